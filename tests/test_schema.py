"""Structure inference: which column is what, and why. Dictionary: analysis.likert.SCALES."""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import replace
from pathlib import Path

import exports
import pandas as pd
import pytest

from analysis import likert
from analysis.inference import infer_schema
from analysis.load import read_survey
from analysis.schema import ANSWER_COLUMNS, Field, Item, Schema, Survey, load_survey

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
needs_realdata = pytest.mark.skipif(not REALDATA.exists(), reason="../shared/realdata not present")

VENDORS = [
    exports.google_forms_csv,
    exports.microsoft_forms_xlsx,
    exports.surveymonkey_csv,
    exports.surveymonkey_xlsx,
    exports.qualtrics_csv,
    exports.plain_csv,
]


@pytest.mark.parametrize("build", VENDORS)
def test_every_vendor_maps_role_wave_department_items_and_text(build):
    table = read_survey(build())
    schema = infer_schema(table)
    assert table.frame[schema.role].tolist() == [r[0] for r in exports.ROWS]
    assert table.frame[schema.wave].tolist() == [r[1] for r in exports.ROWS]
    assert table.frame[schema.department].tolist() == [r[2] for r in exports.ROWS]
    assert [(i.label, i.points, i.reverse) for i in schema.items] == [
        (exports.STATEMENTS[0], 5, False),
        (exports.STATEMENTS[1], 5, True),  # 「不安」 makes agreement unfavourable
    ]
    assert [table.label(c) for c in schema.free_text] == [exports.FREE_QUESTION]
    for column in schema.pii:  # never shown: personal data, or the ID that links waves
        assert schema.field_of(column) in (Field.PII, Field.RESPONDENT)


@pytest.mark.parametrize(
    ("build", "pii"),
    [
        (exports.google_forms_csv, {"メールアドレス", "社員番号"}),
        (exports.microsoft_forms_xlsx, {"メール", "名前"}),
        (exports.surveymonkey_csv, {"IP Address", "Email Address", "First Name", "Last Name"}),
        (
            exports.qualtrics_csv,
            {
                "IPAddress",
                "RecipientLastName",
                "RecipientFirstName",
                "RecipientEmail",
                "ExternalReference",
                "LocationLatitude",
                "LocationLongitude",
            },
        ),  # fmt: skip
        (exports.plain_csv, {"社員番号"}),
    ],
)
def test_personal_data_columns_are_found(build, pii):
    schema = infer_schema(read_survey(build()))
    assert pii <= set(schema.pii)
    assert all("個人情報" in schema.reasons[c] for c in pii)


@pytest.mark.parametrize(
    ("build", "respondent"),
    [
        (exports.google_forms_csv, "社員番号"),
        (exports.plain_csv, "社員番号"),
        (exports.qualtrics_csv, "ExternalReference"),
    ],
)
def test_respondent_ids_link_waves(build, respondent):
    survey = load_survey(build())
    assert survey.schema.respondent == respondent
    keys = survey.respondent_keys()
    assert keys[0] == keys[3] and keys[0] != keys[1]  # same person before and after
    assert not keys.str.startswith("E1").any()  # pseudonyms, not the raw numbers


def test_an_email_column_links_waves_when_there_is_no_id():
    data = exports.google_forms_csv().decode().replace("社員番号", "備考").encode()
    schema = infer_schema(read_survey(data))
    assert schema.respondent == "メールアドレス"
    assert "メールアドレス" in schema.pii


@pytest.mark.parametrize(
    ("header", "values", "field"),
    [
        ("立場", ["経営層", "管理職", "現場"], "role"),
        ("Q1", ["経営層", "管理職", "一般社員"], "role"),  # recognised from values
        ("時点", ["事前", "事後", "事前"], "wave"),
        ("Q2", ["研修前", "研修後", "3か月後"], "wave"),
        ("実施日", ["2025/04/01", "2025/07/01", "2025/04/01"], "wave"),  # a date as wave
        ("所属", ["営業部", "総務部", "開発部"], "department"),
    ],
)
def test_roles_waves_departments_from_headers_or_values(header, values, field):
    frame = pd.DataFrame({header: values, "AIは役立つと思う": ["そう思う"] * 3}, dtype=object)
    csv = frame.to_csv(index=False).encode()
    assert getattr(infer_schema(read_survey(csv)), field) == header


def test_timestamps_are_not_mistaken_for_waves():
    stamps = [f"2025/04/{d:02d} 10:00:00" for d in range(1, 21)]
    frame = pd.DataFrame({"タイムスタンプ": stamps, "感想": ["よかった"] * 20})
    assert infer_schema(read_survey(frame.to_csv(index=False).encode())).wave is None


def test_missing_role_and_wave_are_explained():
    survey = load_survey("感想,AIは役立つと思う\n楽しかった,そう思う\n".encode())
    assert survey.schema.role is None and survey.schema.wave is None
    assert any("役職" in note for note in survey.warnings)
    assert any("回答時期" in note for note in survey.warnings)


def test_unknown_scale_labels_are_reported_not_guessed():
    csv = "役職,AIは役立つと思う\n" + "".join(
        f"管理職,{a}\n" for a in ["そう思う", "とてもそう思う", "どちらともいえない"] * 4
    )
    csv += "管理職,わからない\n"
    survey = load_survey(csv.encode())
    assert [note for note in survey.warnings if "わからない" in note] == [
        "列「AIは役立つと思う」に尺度にない回答があります（「わからない」1件）。未回答として扱います。"
    ]
    assert survey.answers()["value"].isna().sum() == 1


def test_answers_are_long_and_scored_on_the_item_scale():
    survey = load_survey(exports.google_forms_csv())
    answers = survey.answers()
    assert len(answers) == len(exports.ROWS) * 2
    first = answers[answers["item"] == exports.STATEMENTS[0]]
    assert first["value"].tolist() == [5.0, 4.0, 3.0, 5.0, 5.0, 4.0]
    assert first["role"].tolist() == [r[0] for r in exports.ROWS]
    assert set(answers["reverse"]) == {False, True}


def test_user_overrides_survive_a_round_trip():
    survey = load_survey(exports.plain_csv())
    changed = replace(
        survey.schema,
        department=None,
        items=(Item(exports.STATEMENTS[0], exports.STATEMENTS[0], 5, True, "agree5"),),
    )
    restored = Schema.from_dict(changed.to_dict())
    assert restored == changed
    assert Survey(survey.table, restored).answers()["reverse"].all()


@needs_realdata
@pytest.mark.parametrize(
    "name", ["daily_20220501_cp932_2row_header.csv", "monthly_202301_utf8bom.csv"]
)
def test_real_exports_are_understood_with_what_is_missing(name):
    survey = load_survey(REALDATA / name)
    schema = survey.schema
    assert {"満足度の理由", "不便さの内容", "福井県に求めるもの"} <= set(schema.free_text)
    assert [(i.column, i.points) for i in schema.items] == [("満足度", 5)]
    assert "会員ID" in schema.pii
    assert schema.role is None and schema.wave is None
    assert any("役職" in note for note in survey.warnings)


# ---------------------------------------------------------------- answers(), one cell at a time
# answers() scores each distinct answer once and spreads it over the rows; these cases hold it
# to what scoring and normalising every cell on its own gives. Scale: agree5.

ODD_CELLS = [
    # (役職, 社員番号, answer to the first statement) -> (role, pseudonym of, value)
    (("管理職", "E10001", "そう思う"), ("管理職", "e10001", 4.0)),
    ((" 管理職　", " Ｅ10001 ", "そう思う"), ("管理職", "e10001", 4.0)),  # spaces, full width
    (("管理職", "E10002", "とてもそう思う"), ("管理職", "e10002", 5.0)),
    ((None, None, None), (None, None, None)),
    ((float("nan"), "  ", ""), (None, None, None)),
    (("一般社員", pd.NA, "わからない"), ("一般社員", "<na>", None)),  # pd.NA is a filled cell
    ((1, 1, "そう思わない"), ("1", "1", 2.0)),  # numbers read as text: 1 and 1.0 stay apart
    ((1.0, 1.0, "そう思わない"), ("1.0", "1.0", 2.0)),
    (("管理職", "E10001", "まったくそう思わない"), ("管理職", "e10001", 1.0)),
]


def test_answers_score_and_name_every_cell_as_if_alone():
    survey = load_survey(exports.plain_csv())
    schema = survey.schema
    frame = pd.DataFrame(
        {
            schema.role: [cells[0] for cells, _ in ODD_CELLS],
            schema.respondent: [cells[1] for cells, _ in ODD_CELLS],
            schema.items[0].column: [cells[2] for cells, _ in ODD_CELLS],
        },
        dtype=object,
    )
    frame[schema.items[1].column] = None
    frame[schema.wave] = [f"第{i + 1}回" for i in range(len(frame))]  # a row each: none merged
    frame[schema.department] = None
    odd = Survey(replace(survey.table, frame=frame), schema)
    answers = odd.answers()
    first = answers[answers["item"] == schema.items[0].label]
    expected_roles = [role for _, (role, _, _) in ODD_CELLS]
    assert [None if pd.isna(r) else r for r in first["role"]] == expected_roles
    assert first["value"].tolist() == pytest.approx(
        [math.nan if v is None else v for _, (_, _, v) in ODD_CELLS], nan_ok=True
    )
    pseudonyms = {
        key: hashlib.sha256(key.encode()).hexdigest()[:12]
        for _, (_, key, _) in ODD_CELLS
        if key is not None
    }
    assert [None if pd.isna(k) else k for k in first["respondent"]] == [
        None if key is None else pseudonyms[key] for _, (_, key, _) in ODD_CELLS
    ]
    assert answers[answers["item"] == schema.items[1].label]["value"].isna().all()
    assert answers["department"].isna().all()
    assert (answers["wave"] == frame[schema.wave].tolist() * 2).all()


def test_answers_match_cell_by_cell_scoring_on_the_sample():
    survey = load_survey(
        Path(__file__).resolve().parents[1] / "sample_data" / "ai_survey_excel_cp932.csv"
    )
    answers = survey.answers()
    assert list(answers.columns) == list(ANSWER_COLUMNS)
    assert answers.dtypes.astype(str).tolist() == [
        "int64", "str", "str", "str", "str", "str", "int64", "bool", "float64",
    ]  # fmt: skip
    rows = len(survey.frame)
    for k, item in enumerate(survey.schema.items):
        part = answers.iloc[k * rows : (k + 1) * rows]
        scale = likert.SCALES_BY_NAME[item.scale]
        expected = [
            likert.score(pd.Series([cell], dtype=object), scale).iloc[0]
            for cell in survey.frame[item.column]
        ]
        assert part["value"].tolist() == pytest.approx(expected, nan_ok=True)
        assert (part["item"] == item.label).all() and part["row"].tolist() == list(range(rows))
    role = survey.group_values(Field.ROLE)
    assert role.tolist() == [
        unicodedata.normalize("NFKC", str(v)).strip() for v in survey.frame[survey.schema.role]
    ]
