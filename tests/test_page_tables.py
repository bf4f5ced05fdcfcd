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
