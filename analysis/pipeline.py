"""Published tables: one function each, called by the pages, the CLI, the headlines and the deck.

A number that two outputs print must come from one function, or the two
drift and together give away a hidden group (the home page once counted rows
with no role as 「（不明）」 while the deck dropped them: 82 − 10 − 20 − 50 = 2).
Outputs only arrange what these functions return.
"""

from __future__ import annotations

import pandas as pd

from analysis.gaps import order_roles
from analysis.privacy import MISSING, check_min_group, suppress_complementary
from analysis.schema import Field, Survey

COUNT_COLUMNS = ["wave", "role", "n", "suppressed", "label"]
EVERYONE = "全員"  # the one group of a survey without a role column


def respondent_counts(survey: Survey, *, min_group: int) -> pd.DataFrame:
    """People by role x wave, as every output shows them.

    A person counts once per wave (resubmissions merged, see
    :func:`analysis.schema.distinct_people`); rows with no role are the group
    :data:`analysis.privacy.MISSING` and count like any other. Wave totals are
    shown elsewhere (設定, アップロード), so when one group is under ``min_group``
    another is hidden with it (complementary suppression).

    Returns
    -------
    DataFrame
        ``wave`` (``""`` without a wave column), ``role``, ``n`` (0 when
        hidden), ``suppressed``, ``label``: 「24人」, 「5人未満」 for a group
        under ``min_group``, 「非表示」 for one hidden to protect another.

    Examples
    --------
    >>> from analysis.load import read_survey
    >>> from analysis.inference import infer_schema
    >>> rows = ["管理職"] * 6 + ["一般社員"] * 7 + ["経営層"] * 2 + [""]
    >>> csv = "役職,AIは役立つと思う\\n" + "".join(f"{r},そう思う\\n" for r in rows)
    >>> table = read_survey(csv.encode())
    >>> counts = respondent_counts(Survey(table, infer_schema(table)), min_group=5)
    >>> counts[["role", "label"]].values.tolist()
    [['経営層', '5人未満'], ['管理職', '非表示'], ['一般社員', '7人'], ['（不明）', '5人未満']]
    """
    check_min_group(min_group)
    kept = survey.people_kept()
    roles = survey.group_values(Field.ROLE)[kept].fillna(MISSING)
    waves = survey.group_values(Field.WAVE)[kept].fillna("")
    if survey.schema.role is None:  # no role column: everyone is one group
        roles = pd.Series(EVERYONE, index=roles.index, dtype=object)
    frame = pd.DataFrame({"wave": waves.to_numpy(), "role": roles.to_numpy()})
    counts = frame.groupby(["wave", "role"]).size().rename("n").reset_index()
    if counts.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    wave_order = [w for w in survey.waves if w in set(counts["wave"])] or [""]
    counts["wave"] = pd.Categorical(counts["wave"], wave_order, ordered=True)
    counts["role"] = pd.Categorical(counts["role"], order_roles(counts["role"]), ordered=True)
    counts = counts.sort_values(["wave", "role"]).astype({"wave": str, "role": str})
    counts = suppress_complementary(
        counts.reset_index(drop=True), group_cols=["wave", "role"], min_group=min_group,
        value_cols=[],
    )  # fmt: skip
    counts["label"] = [
        ("非表示" if n >= min_group else f"{min_group}人未満") if hidden else f"{n}人"
        for n, hidden in zip(counts["n"], counts["suppressed"], strict=True)
    ]
    counts["n"] = counts["n"].where(~counts["suppressed"], 0).astype(int)
    return counts[COUNT_COLUMNS].reset_index(drop=True)
