"""Issue 14: tables on the pages read as Japanese, not as the code's identifiers.

The trends page's change table showed `cliffs_delta` and a 0 in 対応のある人数 for
comparisons that were not paired.
"""

from __future__ import annotations

import pandas as pd
from test_pages import app, run_page

from analysis import stats


def test_trends_change_table_names_methods_and_effects_in_japanese(data_dir):
    at = app().run()
    run_page(at, "pages/3_trends.py")
    changes = next(frame.value for frame in at.dataframe if "effect" in frame.value.columns)
    assert len(changes) > 0
    assert set(changes["effect"]) <= set(stats.EFFECT_NAMES_JA.values()), set(changes["effect"])
    assert set(changes["method"]) <= {"対応あり", "対応なし"}
    unpaired = changes[changes["method"] == "対応なし"]
    assert unpaired["n_pairs"].isna().all()  # blank, never 0 people
    assert not any(
        isinstance(v, str) and v in ("cliffs_delta", "d_z", "hedges_g", "paired", "unpaired")
        for v in pd.unique(changes.astype(str).to_numpy().ravel())
    )


def test_downloads_have_japanese_headers_and_values():
    """The XLSX and CSV exports were headed `role, wave, …` and held `cliffs_delta`."""
    import io

    import openpyxl
    from test_pages import GOOGLE_CSV

    from analysis import gaps, spreadsheet, trends
    from analysis.schema import load_survey

    survey = load_survey(GOOGLE_CSV)
    answers = survey.answers()
    tables = {
        "役割別スコア": trends.wave_scores(answers),
        "役割間ギャップ": gaps.role_gaps(answers[answers["wave"] == survey.waves[0]]),
        "研修前後の変化": trends.wave_changes(answers),
    }
    book = openpyxl.load_workbook(io.BytesIO(spreadsheet.xlsx_bytes(tables)))
    identifiers = set(spreadsheet.HEADERS_JA) | {"cliffs_delta", "hedges_g", "d_z", "holm",
                                                  "paired", "unpaired", "True", "False"}  # fmt: skip
    for sheet in book.worksheets:
        header = [cell.value for cell in sheet[1]]
        assert not set(header) & identifiers, (sheet.title, header)
        cells = {str(c.value) for row in sheet.iter_rows(min_row=2) for c in row}
        assert not cells & identifiers, (sheet.title, cells & identifiers)
    csv = spreadsheet.csv_bytes(tables["研修前後の変化"]).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("役割,項目,比較元,比較先,方法")
