"""The upload page's column grid (issue 14 item 8): reasons and the summary follow each edit.

Files are real exports of ``tests/data/exports`` (a 30-column Qualtrics "Insights" export
from QualtricsTools) and the 26-column Qualtrics variant; expected summaries are counted
by hand from the files (see the comments), never from the code under test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.load import read_survey

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # ui/ lives at the repository root
    sys.path.insert(0, str(ROOT))

from ui.mapping import editor_key  # noqa: E402
from ui.widgets import JOINER  # noqa: E402

EXPORTS = ROOT / "tests" / "data" / "exports"
REAL_30 = EXPORTS / "real_qualtrics_insights_matrix7.csv"  # QualtricsTools, 5 answers, 30 columns
QUALTRICS_26 = EXPORTS / "ja_qualtrics_numeric7.csv"  # 20 answers, 26 columns
PII_6 = "IPAddress・RecipientLastName・RecipientFirstName・RecipientEmail ほか2"

# By hand from the files' header rows and answers:
# REAL_30: Q1_1-4, are-dashes-in-dexps_1-4, Q3_1-4, Q4_1-4 are 16 numeric 1-7 grid items, none
#   negative; no free text, role, wave or department; IPAddress, RecipientLastName,
#   RecipientFirstName, RecipientEmail, LocationLatitude, LocationLongitude are personal.
# QUALTRICS_26: Q4_1-4 are 7-point items, Q4_2 「生成AIの操作は難しいと感じる」 reversed; Q5 is
#   free text; Q1 roles 経営層 2, 管理職 6, 一般社員 12; Q3 研修前/研修後; Q2 営業部・製造部・
#   総務部・開発部; the same six personal columns.
SUMMARIES = {
    REAL_30: "尺度項目 16問（7件法 16、うち逆転 0）、自由記述 0問、役割: なし、"
    f"回答時期: なし（全体を1回分）、部署: なし、個人情報 6列は表示しません（{PII_6}）",
    QUALTRICS_26: "尺度項目 4問（7件法 4、うち逆転 1）、自由記述 1問、"
    "役割: 「Q1」（経営層・管理職・一般社員）、回答時期: 2（研修前・研修後）、"
    f"部署: 「Q2」（4部署）、個人情報 6列は表示しません（{PII_6}）",
}


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


def uploaded(path: Path) -> tuple[AppTest, str]:
    """The upload page with ``path`` read; the column grid's widget key."""
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run())
    ok(at.switch_page("pages/1_upload.py").run())
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/csv")).run()
    return ok(at), editor_key("mapping", read_survey(path.read_bytes(), name=path.name))


def summary(at: AppTest) -> str:
    [line] = [i.value for i in at.info if i.value.startswith("尺度項目")]
    return line


def edit(at: AppTest, key: str, rows: dict[int, dict[str, object]]) -> AppTest:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return ok(at.run())


def full_reasons(at: AppTest) -> str:
    """The Markdown list in 「判定の理由（全文）」, without the invisible joiners after colons."""
    [full] = [e for e in at.expander if e.label == "判定の理由（全文）"]
    return full.markdown[0].value.replace(JOINER, "")


def row_of(at: AppTest, key: str, column: str) -> int:
    grid = at.data_editor(key=key).value
    return int(grid.index[grid["列"] == column][0])


@pytest.mark.parametrize("path", [REAL_30, QUALTRICS_26], ids=["real_30", "qualtrics_26"])
def test_summary_says_what_a_real_export_will_analyse(data_dir, path):
    at, key = uploaded(path)
    assert summary(at) == SUMMARIES[path]
    assert len(at.data_editor(key=key).value) == len(read_survey(path.read_bytes()).frame.columns)
    captions = [c.value for c in at.caption]
    assert f"全{len(at.data_editor(key=key).value)}列を表示しています。" in captions


SEVEN = "7件法（1〜7）"
FIVE = "5件法（1〜5）"


@pytest.mark.parametrize(
    ("column", "cells", "reason", "start"),
    [
        # 判定: an item made free text; the count of items and of free text both move
        ("Q4_1", {"判定": "自由記述"}, "手動で変更: 尺度項目 → 自由記述",
         "尺度項目 3問（7件法 3、うち逆転 1）、自由記述 2問、"),
        # 尺度: one item on another scale; the items are counted by scale
        ("Q4_3", {"尺度": FIVE}, "手動で変更: 尺度 7件法 → 5件法",
         "尺度項目 4問（7件法 3・5件法 1、うち逆転 1）、自由記述 1問、"),
        # 逆転: the reversed item set back to forward
        ("Q4_2", {"逆転": False}, "手動で変更: 逆転 あり → なし",
         "尺度項目 4問（7件法 4、うち逆転 0）、自由記述 1問、"),
        # 判定: the role column dropped; the summary no longer names groups
        ("Q1", {"判定": "その他（分析しない）"}, "手動で変更: 役割（役職） → その他（分析しない）",
         "尺度項目 4問（7件法 4、うち逆転 1）、自由記述 1問、役割: なし、"),
    ],
)  # fmt: skip
def test_an_edit_refreshes_reason_and_summary_on_the_same_rerun(
    data_dir, column, cells, reason, start
):
    at, key = uploaded(QUALTRICS_26)
    row = row_of(at, key, column)
    before = at.data_editor(key=key).value.loc[row]
    assert not before["理由"].startswith("手動")
    assert before["確信度"] in {"高", "中", "低"}

    edit(at, key, {row: cells})
    after = at.data_editor(key=key).value.loc[row]
    assert (after["理由"], after["確信度"]) == (reason, "手動")
    assert summary(at).startswith(start)
    assert f"- **{column}**（" in full_reasons(at) and reason in full_reasons(at)

    edit(at, key, {})  # set back: the proposal's reason and the first summary return
    assert at.data_editor(key=key).value.loc[row, "理由"] == before["理由"]
    assert summary(at) == SUMMARIES[QUALTRICS_26]


def test_the_grid_reason_is_short_and_the_whole_one_is_below(data_dir):
    at, key = uploaded(QUALTRICS_26)
    grid = at.data_editor(key=key).value
    # The 判定 a reason starts with is its own column: 「尺度項目: 回答が1〜7…」 -> 「回答が1〜7…」
    assert grid.loc[row_of(at, key, "Q4_1"), "理由"] == "回答が1〜7の数値（7件法）"
    assert grid.loc[row_of(at, key, "StartDate"), "理由"].startswith("日時: ")  # not a 判定
    lines = full_reasons(at).splitlines()
    assert len(lines) == len(grid) == 26
    assert "- **Q4_1**（尺度項目）: 尺度項目: 回答が1〜7の数値（7件法）" in lines


def _page_text(at: AppTest) -> list[str]:
    """Every message, caption and markdown the page shows (not the data in the grids)."""
    kinds = ("markdown", "caption", "info", "warning", "error", "success", "toast", "subheader")
    texts = [element.value for kind in kinds for element in getattr(at, kind)]
    return texts + [e.label for e in at.expander]


@pytest.mark.parametrize(
    "content",
    [
        None,  # before a file is chosen
        QUALTRICS_26.read_bytes(),
        "感想\nよかった\nむずかしい\n".encode(),  # no role, wave or item: every "not found" note
        "役職,Q1\n部長,とてもそう思う\n".encode(),  # no free text, no wave
        b"",  # an empty file: the reading error
    ],
    ids=["empty_page", "qualtrics_26", "free_text_only", "no_free_text", "empty_file"],
)
def test_no_message_on_the_upload_page_sends_the_user_to_the_upload_page(data_dir, content):
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run())
    ok(at.switch_page("pages/1_upload.py").run())
    if content is not None:
        ok(at.file_uploader[0].set_value(("survey.csv", content, "text/csv")).run())
    texts = _page_text(at)
    assert texts, "the page showed nothing to check"
    assert [t for t in texts if "アップロード画面" in t or "アップロードページ" in t] == []
    assert [t for t in texts if "「アップロード」" in t] == []
