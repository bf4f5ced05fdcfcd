"""Anonymity thresholds: no group smaller than these ever appears in any output.

Every table that leaves :mod:`analysis` (pages, CLI, slides) goes through the
guards here, so the rule is enforced in one place:

* **Primary suppression** (:func:`suppress_small`): a cell with
  ``0 < n < min_group`` answers shows no number.
* **Complementary suppression** (:func:`disclosure_pattern`, :func:`hidden_cells`,
  :func:`suppress_complementary`): when totals are shown, hiding one small
  group is not enough, because total minus the visible siblings gives it
  back. What else is hidden is chosen by **cost**, as statistical disclosure
  control does for tables (tau-ARGUS, R sdcTable: cell costs, then an audit):
  a total over the first dimension (the overall, a department's total) is
  cheapest, then a finer breakdown (a role in one department), and a group of
  the first dimension (a role: what the gaps compare) is the last resort;
  among equals the smaller. So with 経営層 4, 管理職 9, 一般社員 17 the overall
  is hidden, not 管理職. The hypercube rule runs over every margin equation
  (no line with exactly one hidden member, nor a small hidden sum under a
  shown total) and a linear audit (:func:`_first_exposed`: a small hidden
  node whose indicator vector lies in the row space of the shown nodes)
  hides more until no small group can be solved. Where a total is published
  elsewhere and cannot be hidden (the wave totals beside the counts:
  ``fixed_totals``), a second group is hidden instead.
* **Reasons** (:func:`hidden_reasons`, column ``reason``): every hidden node says
  why, in Japanese: 「経営層は5人未満のため表示していません」 (the threshold, never
  the exact size: with the wave totals and the other counts shown, an exact
  size is one more equation, and it would give back the size of a group
  hidden to protect it), 「経営層を保護するため、あわせて非表示にしています」, or
  for a total 「全体の値は、少人数のグループを保護するため表示していません」;
  a node nobody is in says :data:`NO_ANSWER` (not privacy).

What it does not do: solve an LP for each hidden cell's feasible interval (as
tau-ARGUS's audit does); the rank test above shows no hidden small group is
determined exactly, which is the attack the tests reproduce. Views computed
on ad-hoc subsets (e.g. a caller filtering one department first) are a
different table and must go through the same guards.

* **Differencing control** (:func:`safe_subset`): two populations a number is
  published for, one inside the other (a wave's cell and the people of it
  who also answered another wave, a cell and its part in one department),
  differ by nobody or by at least ``min_group`` people; otherwise the smaller
  view is not published, because whole minus part is the answers of the few
  left over (six managers' mean minus five paired ones is the sixth one's
  answer). :data:`SUBSET_HIDDEN` says why, in Japanese.

Counts: the suppressed cells' ``n`` is the true count while the pattern is
computed; output builders replace it with 0 (:func:`hide_counts`) so the size
of a hidden group is not shown either.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ALL",
    "MIN_GROUP_COMMENTS",
    "MIN_GROUP_SCORES",
    "MISSING",
    "NO_ANSWER",
    "OVERALL_HIDDEN",
    "REASON",
    "SUBSET_HIDDEN",
    "SUBSET_HIDDEN_FINER",
    "WHOLE",
    "check_min_group",
    "disclosure_pattern",
    "group_cells",
    "group_label",
    "hide_counts",
    "node_label",
    "hidden_cells",
    "hidden_reasons",
    "is_visible",
    "safe_subset",
    "subset_note",
    "suppress_complementary",
    "suppress_small",
    "visible_groups",
]

MIN_GROUP_SCORES = 5  # no score for a group smaller than this
MIN_GROUP_COMMENTS = 10  # no verbatim comment from a group smaller than this
MISSING = "（不明）"  # the one label of a group whose value is missing (no role given)
WHOLE = "全体"  # the value of a dimension that was not given (no role or wave column)

FLAG = "suppressed"
REASON = "reason"  # column saying why a cell shows no number, in Japanese
NO_ANSWER = "回答なし"  # nobody in the group answered (not privacy: there is nothing to show)
OVERALL_HIDDEN = "全体の値は、少人数のグループを保護するため表示していません"

# Why a paired comparison is not shown (safe_subset said no); {small} is 「1〜4」 at threshold 5.
SUBSET_HIDDEN = (
    "対応のある比較は、片方の時期だけに答えた人が{small}人のため表示していません"
    "（個人の回答が差し引きで分かるため）"
)
SUBSET_HIDDEN_FINER = (
    "対応のある比較は、部署別または他の時期との比較と合わせると、片方の時期だけに答えた人が"
    "{small}人になるため表示していません（個人の回答が差し引きで分かるため）"
)


class _All:
    """Marker for "every value of this dimension" (a margin) in a disclosure pattern."""

    _instance: _All | None = None

    def __new__(cls) -> _All:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ALL"

    def __reduce__(self) -> str:
        return "ALL"


ALL: Any = _All()  # the margin marker used in disclosure_pattern() output


def check_min_group(min_group: int) -> int:
    """Validate an anonymity threshold (a whole number of at least 1).

    >>> check_min_group(5)
    5
    """
    if isinstance(min_group, bool) or not isinstance(min_group, int | np.integer):
        raise ValueError(f"min_group must be a whole number, got {min_group!r}")
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, got {min_group}")
    return int(min_group)


def is_visible(n: int, min_group: int = MIN_GROUP_SCORES) -> bool:
    """True when a group of ``n`` answers may be shown on its own.

    >>> is_visible(5), is_visible(4)
    (True, False)
    """
    return int(n) >= check_min_group(min_group)


def safe_subset(n_whole: int, n_part: int, min_group: int = MIN_GROUP_SCORES) -> bool:
    """True when numbers for a population and for a part of it may both be published.

    Publishing both gives away the answers of the ``n_whole - n_part`` people
    in the whole but not in the part, so they must be nobody or at least
    ``min_group`` people; and the part must itself be empty (nothing is
    published for it), the whole, or at least ``min_group`` people. The
    whole's own threshold is the caller's (:func:`is_visible`).

    Parameters
    ----------
    n_whole
        People (answers) in the larger population, e.g. a role's cell in one
        wave.
    n_part
        People of it in the smaller one, e.g. those who answered the other
        wave as well (the paired comparison).

    Examples
    --------
    Six managers answered 研修前, five of them 研修後 too: the paired change
    over the five, with the 研修前 mean of the six, gives the sixth's answer.

    >>> safe_subset(6, 5), safe_subset(6, 6), safe_subset(10, 5), safe_subset(9, 5)
    (False, True, True, False)
    >>> safe_subset(3, 0), safe_subset(12, 4)
    (True, False)
    """
    check_min_group(min_group)
    n_whole, n_part = int(n_whole), int(n_part)
    if not 0 <= n_part <= n_whole:
        raise ValueError(f"a part holds 0..{n_whole} people, got {n_part}")
    if n_part in (0, n_whole):
        return True
    return n_part >= min_group and n_whole - n_part >= min_group


def subset_note(min_group: int = MIN_GROUP_SCORES, *, finer: bool = False) -> str:
    """The Japanese reason shown for a view :func:`safe_subset` refused.

    >>> subset_note(5)
    '対応のある比較は、片方の時期だけに答えた人が1〜4人のため表示していません（個人の回答が差し引きで分かるため）'
    """
    small = "1" if check_min_group(min_group) <= 2 else f"1〜{min_group - 1}"
    return (SUBSET_HIDDEN_FINER if finer else SUBSET_HIDDEN).format(small=small)


def visible_groups(
    counts: Mapping[Hashable, int] | pd.Series, min_group: int = MIN_GROUP_SCORES
) -> list[Hashable]:
    """Keys of ``counts`` whose group is large enough to show, in their given order.

    This is primary suppression only: use :func:`suppress_complementary` when
    a total is shown next to the groups.

    >>> visible_groups({"経営層": 3, "管理職": 12, "一般社員": 40})
    ['管理職', '一般社員']
    """
    check_min_group(min_group)
    items = counts.items() if isinstance(counts, Mapping | pd.Series) else counts
    return [key for key, n in items if int(n) >= min_group]


def _blank(table: pd.DataFrame, mask: pd.Series, columns: Iterable[str]) -> None:
    """Set ``columns`` to missing where ``mask`` (in place on a copy owned by the caller)."""
    if not mask.any():
        return
    for column in columns:
        series = table[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            table[column] = series.astype(object).where(~mask, None)
        else:
            table[column] = series.astype("float64").where(~mask, np.nan)


def _check_columns(table: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"table has no column(s) {missing}; it has {list(table.columns)}")


def suppress_small(
    table: pd.DataFrame,
    *,
    n_col: str = "n",
    min_group: int = MIN_GROUP_SCORES,
    value_cols: Sequence[str],
    flag_col: str = FLAG,
) -> pd.DataFrame:
    """Primary suppression: blank ``value_cols`` where ``0 < n < min_group``.

    Cells with ``n == 0`` have nothing to hide but show no number either, so
    they are blanked and flagged as well. An existing ``flag_col`` is kept
    (a row already suppressed stays suppressed).

    Returns
    -------
    DataFrame
        A copy with ``value_cols`` set to NaN (numeric) or None (other) and
        ``flag_col`` (bool) true on those rows; ``n_col`` is unchanged.

    Examples
    --------
    >>> t = pd.DataFrame({"role": ["経営層", "管理職"], "n": [3, 12], "mean": [4.2, 3.1]})
    >>> suppress_small(t, value_cols=["mean"])
      role   n  mean  suppressed
    0  経営層   3   NaN        True
    1  管理職  12   3.1       False
    """
    check_min_group(min_group)
    _check_columns(table, [n_col, *value_cols])
    out = table.copy()
    n = out[n_col].fillna(0).astype(int)
    mask = n < min_group
    if flag_col in out.columns:
        mask = mask | out[flag_col].fillna(False).astype(bool)
    _blank(out, mask, value_cols)
    out[flag_col] = mask.to_numpy()
    return out


def _key_order(key: tuple) -> tuple:
    """Deterministic tie-break independent of row order: compare keys as text."""
    return tuple("" if v is None else str(v) for v in key)


def hidden_cells(
    counts: Mapping[tuple, int],
    *,
    min_group: int = MIN_GROUP_SCORES,
    margins_shown: bool = True,
    fixed_totals: bool = False,
) -> set[tuple]:
    """Which nodes of a table with all its margins must be hidden.

    Parameters
    ----------
    counts
        ``n`` of every finest cell, keyed by a tuple with one value per
        dimension (``None`` is a real value: the group with no answer). The
        first dimension is the one whose groups matter most (the role).
    min_group
        Anonymity threshold.
    margins_shown
        When false, only primary suppression is applied (no total of these
        cells is ever shown anywhere).
    fixed_totals
        When true, the margins are published elsewhere and cannot be hidden
        here (the wave totals of the counts): only cells are hidden with a
        small one.

    Returns
    -------
    set of tuple
        Keys of hidden nodes; margins use :data:`ALL` in the summed-over
        positions (the grand total is ``(ALL, ALL, ...)``).

    Notes
    -----
    Minimal-loss complementary suppression, by cost (:func:`_cost`). For each
    equation ``parent = sum(children)`` (a margin and the cells it sums along
    one dimension), let ``H`` be the hidden members with ``n > 0``. If ``H``
    has exactly one member, or the parent is visible and the hidden children
    hold fewer than ``min_group`` answers together, the cheapest visible
    member of that equation is hidden too: first a total over the first
    dimension (the overall, a department's total), then a finer breakdown
    (role x department), last a group of the first dimension (a role); among
    equals the smaller, ties broken by label. This repeats until stable; then
    the linear audit (:func:`_first_exposed`) looks for any small hidden node
    that still follows from the visible totals, and the cheapest visible node
    sharing a total with it is hidden, until none does.

    Examples
    --------
    With 4/9/17 the overall goes, not 管理職:

    >>> sorted(hidden_cells({("経営層",): 4, ("管理職",): 9, ("一般社員",): 17}), key=str)
    [('経営層',), (ALL,)]
    """
    return set(
        _hide(counts, min_group=min_group, margins_shown=margins_shown, fixed_totals=fixed_totals)
    )


def group_label(value: object) -> str:
    """A role or wave value as its group is named: stripped, 「（不明）」 when missing or blank.

    >>> group_label(" 管理職 "), group_label(None), group_label(float("nan")), group_label("")
    ('管理職', '（不明）', '（不明）', '（不明）')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return str(value).strip() or MISSING


def group_cells(
    n: int, roles: Sequence[object] | None, waves: Sequence[object] | None
) -> list[tuple[str, str]]:
    """(role, wave) group of each of ``n`` rows; a dimension that was not given is 全体.

    >>> group_cells(2, ["経営層", None], None)
    [('経営層', '全体'), ('（不明）', '全体')]
    """
    for name, values in (("roles", roles), ("waves", waves)):
        if values is not None and len(values) != n:
            raise ValueError(f"{name} has {len(values)} values but there are {n} texts")
    role = [group_label(r) for r in roles] if roles is not None else [WHOLE] * n
    wave = [group_label(w) for w in waves] if waves is not None else [WHOLE] * n
    return list(zip(role, wave, strict=True))


def node_label(node: tuple) -> str:
    """A node as people read it: its values joined by 「・」, 「全体」 for the grand total.

    >>> node_label(("経営層", ALL)), node_label((ALL, "営業部")), node_label((ALL, ALL))
    ('経営層', '営業部', '全体')
    """
    values = [MISSING if v is None else str(v) for v in node if v is not ALL]
    return "・".join(values) or "全体"


def hidden_reasons(
    counts: Mapping[tuple, int],
    *,
    min_group: int = MIN_GROUP_SCORES,
    margins_shown: bool = True,
    fixed_totals: bool = False,
) -> dict[tuple, str]:
    """Every hidden node of :func:`hidden_cells` with why it is hidden, in Japanese.

    A group under the threshold says 「…はN人未満のため表示していません」, never its
    exact size: with the wave totals and the other groups' counts shown, an
    exact size is one more equation, and it would give back the size of a
    group hidden to protect it. A node hidden to protect another names the
    small group it protects (a total says only that it protects a small one).

    >>> reasons = hidden_reasons({("経営層",): 4, ("管理職",): 9, ("一般社員",): 17})
    >>> reasons[("経営層",)], reasons[(ALL,)]
    ('経営層は5人未満のため表示していません', '全体の値は、少人数のグループを保護するため表示していません')
    >>> hidden_reasons({("経営層",): 3, ("管理職",): 8}, fixed_totals=True)[("管理職",)]
    '経営層を保護するため、あわせて非表示にしています'
    """
    hidden = _hide(
        counts, min_group=min_group, margins_shown=margins_shown, fixed_totals=fixed_totals
    )
    reasons: dict[tuple, str] = {}
    for node, protected in hidden.items():
        root, seen = node, {node}
        while hidden.get(root) is not None and hidden[root] not in seen:
            root = hidden[root]
            seen.add(root)
        if hidden.get(root) is not None:  # a cycle: fall back to the node itself
            root = node
        if protected is None or root == node:
            reasons[node] = f"{node_label(node)}は{min_group}人未満のため表示していません"
        elif all(v is ALL for v in node):
            reasons[node] = OVERALL_HIDDEN
        elif node[0] is ALL:
            reasons[node] = (
                f"{node_label(node)}の合計は、少人数のグループを保護するため表示していません"
            )
        else:
            reasons[node] = f"{node_label(root)}を保護するため、あわせて非表示にしています"
    return reasons


def hidden_note_lines(table: pd.DataFrame, label_cols: str | Sequence[str]) -> list[str]:
    """One line per hidden group and reason, for a note beside a chart or table.

    ``table`` carries ``item``, ``suppressed`` and ``reason`` (every published gaps
    table does); ``label_cols`` names the group (``"role"``, or ``("a", "b")`` for a
    pair). The same lines go under the page's charts and into the deck's notes.

    >>> t = pd.DataFrame({"item": ["楽になる", "不安", "楽になる", "不安"],
    ...     "role": ["経営層", "経営層", "管理職", "管理職"],
    ...     "reason": ["経営層は5人未満のため表示していません"] * 2 + [None, None]})
    >>> hidden_note_lines(t, "role")
    ['経営層（全項目）: 経営層は5人未満のため表示していません']
    """
    if table.empty or "reason" not in table.columns:
        return []
    columns = (label_cols,) if isinstance(label_cols, str) else tuple(label_cols)
    every_item = list(dict.fromkeys(table["item"]))
    found: dict[tuple[str, str], list[str]] = {}
    for row in table[table["reason"].notna()].itertuples(index=False):
        label = "・".join(str(getattr(row, c)) for c in columns)
        found.setdefault((label, row.reason), []).append(str(row.item))
    lines = []
    for (label, reason), items in found.items():
        where = (
            "全項目" if len(items) == len(every_item) > 1 else "、".join(f"「{i}」" for i in items)
        )
        lines.append(f"{label}（{where}）: {reason}")
    return lines


def _nodes(counts: Mapping[tuple, int]) -> dict[tuple, int]:
    width = len(next(iter(counts)))
    if any(len(key) != width for key in counts):
        raise ValueError("every key in counts needs the same number of dimensions")
    nodes: dict[tuple, int] = {}
    for key, n in counts.items():
        for keep in itertools.product((True, False), repeat=width):
            node = tuple(v if k else ALL for v, k in zip(key, keep, strict=True))
            nodes[node] = nodes.get(node, 0) + int(n)
    return nodes


def _hide(
    counts: Mapping[tuple, int], *, min_group: int, margins_shown: bool, fixed_totals: bool = False
) -> dict[tuple, tuple | None]:
    """Hidden node -> the small node it protects (``None`` for a primary one)."""
    check_min_group(min_group)
    if not counts:
        return {}
    nodes = _nodes(counts)
    hidden: dict[tuple, tuple | None] = {
        node: None for node, n in nodes.items() if 0 < n < min_group
    }
    if not margins_shown:
        return {node: None for node in hidden if ALL not in node}
    equations: dict[tuple[tuple, int], list[tuple]] = {}
    for node in nodes:
        for i, value in enumerate(node):
            if value is not ALL:
                parent = node[:i] + (ALL,) + node[i + 1 :]
                equations.setdefault((parent, i), []).append(node)
    ordered = sorted(equations.items(), key=lambda item: (_key_order(item[0][0]), item[0][1]))
    fixed = {n for n in nodes if ALL in n and n not in hidden} if fixed_totals else set()
    while True:
        _spread(hidden, nodes, ordered, min_group, fixed)
        exposed = _first_exposed(set(hidden), nodes, min_group)
        if exposed is None:
            return hidden
        hidden[_next_to_hide(exposed, set(hidden), nodes, fixed)] = exposed


def _cost(node: tuple, nodes: Mapping[tuple, int]) -> tuple:
    """What hiding ``node`` loses, lowest first: (kind, n, label).

    Kind 0 is a total over the first dimension (the overall, a department's
    total: nobody reads the gaps from them), 1 a finer breakdown (a role in
    one department), 2 a group of the first dimension on its own (a role:
    what the product exists to compare).
    """
    if node[0] is ALL:
        kind = 0
    elif any(v is not ALL for v in node[1:]):
        kind = 1
    else:
        kind = 2
    return (kind, nodes[node], _key_order(node))


def _spread(
    hidden: dict[tuple, tuple | None],
    nodes: dict[tuple, int],
    equations: list[tuple[tuple[tuple, int], list[tuple]]],
    min_group: int,
    fixed: set[tuple],
) -> None:
    """Hypercube rule: no margin equation may leave one hidden member or a small hidden sum."""
    changed = True
    while changed:
        changed = False
        for (parent, _), children in equations:
            members = [m for m in (parent, *children) if nodes[m] > 0]
            hidden_members = [m for m in members if m in hidden]
            if not hidden_members:
                continue
            hidden_children_n = sum(nodes[c] for c in children if c in hidden)
            exposed = len(hidden_members) == 1 or (
                parent not in hidden and hidden_children_n < min_group
            )
            if not exposed:
                continue
            candidates = [c for c in children if c not in hidden and nodes[c] > 0]
            if parent not in hidden and parent not in fixed and nodes[parent] > 0:
                candidates.append(parent)
            if candidates:
                protected = min(hidden_members, key=lambda m: (nodes[m], _key_order(m)))
                hidden[min(candidates, key=lambda c: _cost(c, nodes))] = protected
                changed = True


def _contains(node: tuple, cell: tuple) -> bool:
    return all(v is ALL or v == c for v, c in zip(node, cell, strict=True))


def _first_exposed(hidden: set[tuple], nodes: dict[tuple, int], min_group: int) -> tuple | None:
    """A small hidden node whose total follows exactly from the visible totals, if any.

    Linear audit: the unknowns are the hidden finest cells; every visible node
    is an equation over them. A node is exposed when its indicator vector lies
    in the row space of those equations (adding it does not raise the rank).
    """
    unknown = sorted(
        (k for k, n in nodes.items() if ALL not in k and n > 0 and k in hidden), key=_key_order
    )
    if not unknown:
        return None

    def vector(node: tuple) -> np.ndarray:
        return np.array([1.0 if _contains(node, c) else 0.0 for c in unknown])

    rows = [
        v
        for node, n in nodes.items()
        if n > 0 and node not in hidden
        for v in [vector(node)]
        if v.any()
    ]
    if not rows:
        return None
    equations = np.vstack(rows)
    rank = np.linalg.matrix_rank(equations)
    sensitive = sorted(
        (k for k in hidden if 0 < nodes[k] < min_group), key=lambda k: (k.count(ALL), _key_order(k))
    )
    for node in sensitive:
        if np.linalg.matrix_rank(np.vstack([equations, vector(node)])) == rank:
            return node
    return None


def _next_to_hide(
    exposed: tuple, hidden: set[tuple], nodes: dict[tuple, int], fixed: set[tuple]
) -> tuple:
    """The cheapest visible node (:func:`_cost`) that shares a visible total with the exposed one."""
    target_cells = [k for k in hidden if ALL not in k and nodes[k] > 0 and _contains(exposed, k)]
    totals = [
        node
        for node, n in nodes.items()
        if n > 0 and node not in hidden and any(_contains(node, c) for c in target_cells)
    ]
    cells = {
        k
        for k, n in nodes.items()
        if ALL not in k and n > 0 and k not in hidden and any(_contains(t, k) for t in totals)
    }
    pool = (cells | set(totals)) - fixed or cells | set(totals)
    return min(pool, key=lambda k: _cost(k, nodes))


def _as_key(value: Any) -> Any:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def disclosure_pattern(
    table: pd.DataFrame,
    *,
    dims: Sequence[str],
    strata: Sequence[str] = (),
    n_col: str = "n",
    min_group: int = MIN_GROUP_SCORES,
    margins_shown: bool = True,
    fixed_totals: bool = False,
) -> pd.DataFrame:
    """Suppression pattern for a table of finest cells and all its margins.

    Parameters
    ----------
    table
        One row per finest cell: ``strata`` columns, ``dims`` columns and the
        count ``n_col``. Missing values in ``dims`` are a group of their own
        (people who did not say their role still count in the totals).
    dims
        Dimensions whose margins (totals over them) may be shown, e.g.
        ``["role", "department"]``.
    strata
        Columns that split the table into independent tables that are never
        added up, e.g. ``["wave", "item"]``.

    Returns
    -------
    DataFrame
        One row per node: ``strata``, ``dims`` (:data:`ALL` where summed
        over, ``None`` for the missing group), ``n`` (true count),
        ``suppressed`` and ``reason`` (:func:`hidden_reasons`; :data:`NO_ANSWER`
        for a node nobody is in; ``None`` when shown).

    Examples
    --------
    >>> t = pd.DataFrame({"role": ["経営層", "管理職", "一般社員"], "n": [3, 8, 30]})
    >>> disclosure_pattern(t, dims=["role"])[["role", "n", "suppressed"]]
       role   n  suppressed
    0   経営層   3        True
    1   管理職   8       False
    2  一般社員  30       False
    3   ALL  41        True
    """
    check_min_group(min_group)
    dims, strata = list(dims), list(strata)
    if not dims:
        raise ValueError("dims needs at least one column")
    _check_columns(table, [*strata, *dims, n_col])
    records: list[dict[str, Any]] = []
    groups = table.groupby(strata, sort=False, dropna=False) if strata else [((), table)]
    for stratum, part in groups:
        stratum_key = stratum if isinstance(stratum, tuple) else (stratum,)
        counts: dict[tuple, int] = {}
        for row in part[[*dims, n_col]].itertuples(index=False, name=None):
            key = tuple(_as_key(v) for v in row[:-1])
            if key in counts:
                raise ValueError(f"duplicate cell {key} in stratum {stratum_key}")
            counts[key] = int(0 if pd.isna(row[-1]) else row[-1])
        hidden = hidden_reasons(
            counts, min_group=min_group, margins_shown=margins_shown, fixed_totals=fixed_totals
        )
        totals: dict[tuple, int] = {}
        for key, n in counts.items():
            for keep in itertools.product((True, False), repeat=len(dims)):
                node = tuple(v if k else ALL for v, k in zip(key, keep, strict=True))
                totals[node] = totals.get(node, 0) + n
        for node, n in sorted(totals.items(), key=lambda item: item[0].count(ALL)):
            record = dict(zip(strata, (_as_key(v) for v in stratum_key), strict=True))
            record.update(zip(dims, node, strict=True))
            record[n_col] = n
            record[FLAG] = node in hidden or n == 0
            record[REASON] = NO_ANSWER if n == 0 else hidden.get(node)
            records.append(record)
    columns = [*strata, *dims, n_col, FLAG, REASON]
    return pd.DataFrame.from_records(records, columns=columns)


def suppress_complementary(
    table: pd.DataFrame,
    *,
    group_cols: Sequence[str],
    n_col: str = "n",
    min_group: int = MIN_GROUP_SCORES,
    value_cols: Sequence[str],
    total_shown: bool = True,
    flag_col: str = FLAG,
) -> pd.DataFrame:
    """Primary plus complementary suppression of sibling groups.

    Siblings are rows that share every column of ``group_cols`` but the last
    (e.g. ``["item", "role"]``: the roles of one item). When the parent total
    is shown (``total_shown``), hiding one small sibling would let anyone get
    it back by subtraction, so the next-smallest sibling is hidden as well,
    repeatedly, until each parent has zero hidden siblings or at least two
    holding at least ``min_group`` answers together.

    Call it on the true counts (it applies :func:`suppress_small` itself).

    Returns
    -------
    DataFrame
        A copy with ``value_cols`` blanked and ``flag_col`` set on hidden rows.

    Examples
    --------
    >>> t = pd.DataFrame({"role": ["経営層", "管理職", "一般社員"], "n": [3, 8, 30],
    ...                   "mean": [4.0, 3.0, 2.5]})
    >>> suppress_complementary(t, group_cols=["role"], value_cols=["mean"])
       role   n  mean  suppressed
    0   経営層   3   NaN        True
    1   管理職   8   NaN        True
    2  一般社員  30   2.5       False
    """
    group_cols = list(group_cols)
    if not group_cols:
        raise ValueError("group_cols needs at least one column")
    _check_columns(table, [*group_cols, n_col, *value_cols])
    if table.empty:
        return suppress_small(
            table, n_col=n_col, min_group=min_group, value_cols=value_cols, flag_col=flag_col
        )
    pattern = disclosure_pattern(
        table,
        dims=group_cols[-1:],
        strata=group_cols[:-1],
        n_col=n_col,
        min_group=min_group,
        margins_shown=total_shown,
        fixed_totals=total_shown,
    )
    cells = pattern[pattern[group_cols[-1]].map(lambda v: v is not ALL)]
    hidden = {
        tuple(row[:-1])
        for row in cells[[*group_cols, FLAG]].itertuples(index=False, name=None)
        if row[-1]
    }
    keys = table[group_cols].apply(lambda r: tuple(_as_key(v) for v in r), axis=1)
    mask = keys.map(lambda k: k in hidden).astype(bool)
    out = table.copy()
    out[flag_col] = mask.to_numpy()
    return suppress_small(
        out, n_col=n_col, min_group=min_group, value_cols=value_cols, flag_col=flag_col
    )


def hide_counts(
    table: pd.DataFrame, *, n_cols: Sequence[str] = ("n",), flag_col: str = FLAG
) -> pd.DataFrame:
    """Replace the counts of suppressed rows by 0 so a hidden group's size is not shown.

    >>> t = pd.DataFrame({"n": [3, 12], "suppressed": [True, False]})
    >>> hide_counts(t)["n"].tolist()
    [0, 12]
    """
    _check_columns(table, [*n_cols, flag_col])
    out = table.copy()
    mask = out[flag_col].fillna(False).astype(bool)
    for column in n_cols:
        out[column] = out[column].where(~mask, 0).fillna(0).astype(int)
    return out
