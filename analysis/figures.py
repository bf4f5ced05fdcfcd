"""Plotly figures from the tidy tables of gaps, trends and topics (returned, never shown).

One template and one Japanese font stack for every chart. Suppressed cells are
dropped or left blank before plotting, so a hidden group never reaches a chart.

Every word a chart writes (titles, axes, legends, hovers) is a Japanese template passed
through ``label``: :func:`japanese` fills it in as written, and the UI passes
``ui.text.label``, which looks the template up in its English table first. Plotly's own
placeholders (``%{x:.2f}``) go in as values, so a template stays ``str.format`` text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import likert
from analysis.gaps import order_roles
from analysis.schema import Item

FONT = "Noto Sans JP, Hiragino Sans, Meiryo, sans-serif"
ROLE_COLOURS = {"経営層": "#2b6cb0", "管理職": "#dd6b20", "一般社員": "#2f855a", "現場": "#2f855a"}
OTHER_COLOURS = ("#6b46c1", "#b7791f", "#c53030", "#319795", "#718096")
FAVOURABLE, NEUTRAL, UNFAVOURABLE = "#2f855a", "#a0aec0", "#c53030"
#: Topics: ten colours none of which is a role's (plotly's colour-blind-safe "Safe" set,
#: its grey last), so a topic never reads as a role and ten topics never share one.
TOPIC_COLOURS = (
    "#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288",
    "#AA4499", "#44AA99", "#999933", "#882255", "#661100",
)  # fmt: skip

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=14, color="#1a202c"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=list(ROLE_COLOURS.values())[:3] + list(OTHER_COLOURS),
        margin=dict(l=20, r=20, t=100, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
        hoverlabel=dict(font_family=FONT),
        xaxis=dict(gridcolor="#e2e8f0", zerolinecolor="#a0aec0"),
        yaxis=dict(gridcolor="#e2e8f0", zerolinecolor="#a0aec0"),
    )
)


Label = Callable[..., str]  # label(japanese_template, /, **values) -> the words shown


def japanese(template: str, /, **values: object) -> str:
    """The default ``label``: the Japanese template as written, filled with ``values``.

    >>> japanese("平均 {x}（n={n}）", x="%{x:.2f}", n=12)
    '平均 %{x:.2f}（n=12）'
    """
    return template.format(**values) if values else template


def role_colour(role: str, order: int = 0) -> str:
    return ROLE_COLOURS.get(role, OTHER_COLOURS[order % len(OTHER_COLOURS)])


LABEL_COLUMNS = ("item", "role", "wave", "department", "label", "a", "b")


def plain(text: object) -> str:
    """A label as plain text: plotly renders a subset of HTML (links among it) in labels.

    >>> plain("<a href='https://example.invalid'>経営層</a>")
    "＜a href='https://example.invalid'＞経営層＜/a＞"
    """
    return str(text).replace("<", "＜").replace(">", "＞")


def _plain_labels(table: pd.DataFrame) -> pd.DataFrame:
    """A copy whose label columns (role, item, wave ...) cannot carry markup."""
    columns = [c for c in LABEL_COLUMNS if c in table.columns]
    return table.assign(
        **{c: table[c].map(lambda v: v if pd.isna(v) else plain(v)) for c in columns}
    )


def _visible(table: pd.DataFrame) -> pd.DataFrame:
    return table[~table["suppressed"].astype(bool)] if "suppressed" in table else table


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


REVERSE_MARK = "（逆）"  # after a reverse-worded statement: agreeing is the unfavourable answer
REVERSE_NOTE = "（逆）は否定的な文言の項目で、低い値（尺度の1の側）が好ましい回答です"
MIXED_SCALES = "項目によって尺度が異なります"


def scale_ends(scale: likert.Scale) -> str:
    """A scale's endpoints as worded: 「1 = そう思わない 〜 4 = そう思う」.

    >>> scale_ends(likert.SCALES_BY_NAME["agree4_soft"])
    '1 = そう思わない 〜 4 = そう思う'
    >>> scale_ends(likert.SCALES_BY_NAME["numeric7"])
    '1 〜 7'
    """
    if scale.numeric:
        return f"1 〜 {scale.points}"
    return f"1 = {scale.labels[0]} 〜 {scale.points} = {scale.labels[-1]}"


class _Direction:
    """Which statements are reverse-worded and on which scale, by (plain) statement.

    From the survey's items when given (their scale names the endpoints), else from a
    table's ``reverse`` and ``points`` columns (endpoints then read 「1 〜 5」).
    """

    def __init__(self, table: pd.DataFrame, items: Iterable[Item], label: Label = japanese) -> None:
        self.words = label
        self.reverse: dict[str, bool] = {}
        self.ends: dict[str, str] = {}
        if "reverse" in table.columns:
            self.reverse.update(zip(table["item"], table["reverse"].astype(bool), strict=True))
        if "points" in table.columns:
            points = zip(table["item"], table["points"], strict=True)
            self.ends.update((i, f"1 〜 {int(p)}") for i, p in points if pd.notna(p))
        for item in items:
            self.reverse[plain(item.label)] = bool(item.reverse)
            self.ends[plain(item.label)] = scale_ends(likert.SCALES_BY_NAME[item.scale])

    def sign(self, item: str) -> int:
        """-1 for a reverse item (a higher raw value is less favourable), else 1."""
        return -1 if self.reverse.get(item, False) else 1

    def label(self, item: str, limit: int = 28) -> str:
        mark = self.words(REVERSE_MARK) if self.reverse.get(item, False) else ""
        return _short(item, limit) + mark

    def ends_of(self, item: str) -> str:
        """The item's scale endpoints, 「」 when unknown."""
        return self.ends.get(item, "")

    def note(self, items: Iterable[str]) -> str:
        """The endpoints of the scale of ``items``, e.g. 「1 = そう思わない 〜 4 = そう思う」.

        Items on different scales say so and list each scale's endpoints; ``""`` when
        no scale is known.
        """
        found = list(dict.fromkeys(self.ends[i] for i in items if i in self.ends))
        if len(found) > 1:
            mixed = self.words(MIXED_SCALES)
            return self.words("{mixed}（{scales}）", mixed=mixed, scales=" ／ ".join(found))
        return found[0] if found else ""

    def any_reverse(self, items: Iterable[str]) -> bool:
        return any(self.reverse.get(i, False) for i in items)


def _figure(title: str, height: int) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(template=TEMPLATE, title=title, height=height)
    return figure


def gap_heatmap(
    differences: pd.DataFrame,
    *,
    by: str = "role",
    items: Iterable[Item] = (),
    label: Label = japanese,
) -> go.Figure:
    """Each group's mean minus the overall mean, item x group; hidden cells stay blank.

    ``differences`` is :func:`analysis.gaps.difference_from_overall`'s table; ``items``
    the survey's statements (:attr:`analysis.schema.Schema.items`). The cells show the
    difference as worded, but are coloured by favourable direction: for a reverse item
    (label marked （逆）) the colour value ``z`` is the negated difference, so more
    agreement with 「…不安だ」 is red, not blue. The colour range is symmetric
    (``zmin = -zmax``), so a colour always means the same favourable difference. The x
    axis and each cell's hover name the scale's own endpoints (and say when the items'
    scales differ). A hidden cell shows 非表示 and, on hover, why it is hidden (the
    table's ``reason``). A second, invisible trace has one marker per cell with
    ``customdata`` ``[item, group, hover text]``, so a click can name the statement.
    """
    differences = _plain_labels(differences)
    direction = _Direction(differences, items, label)
    items = list(dict.fromkeys(differences["item"]))  # the statements, as the table names them
    groups = list(dict.fromkeys(differences[by]))
    hidden = differences["suppressed"].astype(bool)
    shown = differences.assign(diff=differences["diff"].where(~hidden))
    grid = shown.pivot_table(index="item", columns=by, values="diff", aggfunc="first", dropna=False)
    grid = grid.reindex(index=items, columns=groups)
    reasons = differences.get("reason", pd.Series(None, index=differences.index))
    why = {
        (item, group): plain(reason)
        for item, group, reason, off in zip(
            differences["item"], differences[by], reasons, hidden, strict=True
        )
        if off and isinstance(reason, str)
    }
    text = grid.map(lambda v: label("非表示") if pd.isna(v) else f"{v:+.2f}")
    signs = [[direction.sign(item)] for item in items]
    favourable = grid.to_numpy(dtype=float) * signs
    hover = [
        [
            _difference_hover(value, value * direction.sign(item), direction.ends_of(item), label)
            if pd.notna(value)
            else label(
                "非表示: {reason}", reason=why.get((item, group)) or label("回答がありません")
            )
            for group, value in zip(groups, grid.loc[item], strict=True)
        ]
        for item in items
    ]
    span = float(np.nanmax(np.abs(favourable))) if np.isfinite(favourable).any() else 1.0
    span = span or 1.0
    labels = [direction.label(i) for i in items]
    figure = _figure(label("全体平均との差（役割別）"), 120 + 42 * len(items))
    figure.add_trace(
        go.Heatmap(
            z=favourable,
            x=groups,
            y=labels,
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="RdBu",  # low = red, high = blue
            zmin=-span,
            zmax=span,
            colorbar=dict(title=dict(text=label("好ましい方向<br>への差"), side="top")),
            hoverinfo="skip",  # the cells below carry the hover, hidden cells' reasons too
        )
    )
    # Heatmaps cannot be selected in plotly; one invisible marker per cell (shown or hidden)
    # can, so a click names the statement and group (customdata) and hover says why a
    # cell is blank.
    cells = [(r, c) for r in range(len(items)) for c in range(len(groups))]
    figure.add_trace(
        go.Scatter(
            x=[groups[c] for _, c in cells],
            y=[labels[r] for r, _ in cells],
            mode="markers",
            marker=dict(size=40, symbol="square", opacity=0),
            selected=dict(marker=dict(opacity=0)),
            unselected=dict(marker=dict(opacity=0)),
            customdata=[[items[r], groups[c], hover[r][c]] for r, c in cells],
            hovertemplate="%{y}<br>%{x}: %{customdata[2]}<extra></extra>",
            showlegend=False,
            name="",
        )
    )
    note = label("色は好ましい向き（青 = 全体より好ましい、赤 = 好ましくない）")
    if direction.note(items):
        note = label("尺度: {scale}。{note}", scale=direction.note(items), note=note)
    if direction.any_reverse(items):
        note += "<br>" + label(REVERSE_NOTE)
    figure.update_xaxes(title=note, side="bottom")
    figure.update_yaxes(autorange="reversed")
    return figure


def _difference_hover(value: float, favourable: float, ends: str, label: Label = japanese) -> str:
    """A heatmap cell's hover: the difference as worded, which way is favourable, the scale.

    >>> _difference_hover(0.5, -0.5, "1 = そう思わない 〜 4 = そう思う")
    '+0.50（全体平均との差）<br>全体より好ましくない<br>尺度: 1 = そう思わない 〜 4 = そう思う'
    """
    side = label("全体より好ましい") if favourable > 0 else label("全体より好ましくない")
    lines = [
        label("{value}（全体平均との差）", value=f"{value:+.2f}"),
        side if favourable else label("全体と同じ"),
    ]
    return "<br>".join(lines + ([label("尺度: {ends}", ends=ends)] if ends else []))


def gap_dumbbell(
    scores: pd.DataFrame,
    *,
    isolated: set[str] | frozenset[str] = frozenset(),
    items: Iterable[Item] = (),
    label: Label = japanese,
) -> go.Figure:
    """One row per item, one dot per role on the item's scale; isolated managers stand out.

    ``scores`` is :func:`analysis.gaps.item_scores` by role; ``isolated`` the
    items where managers differ from both other roles; ``items`` the survey's
    statements, whose scales name the x axis's endpoints (and each dot's hover).
    Reverse items are marked （逆） (a lower mean is the favourable one). Each dot's
    ``customdata`` is ``[item, role, n, scale endpoints]``.
    """
    scores = _plain_labels(scores)
    direction = _Direction(scores, items, label)
    isolated = {plain(item) for item in isolated}
    visible = _visible(scores)
    items = list(dict.fromkeys(scores["item"]))
    labels = {item: ("◆ " if item in isolated else "") + direction.label(item) for item in items}
    figure = _figure(label("役割ごとの平均（◆ = 管理職が孤立している項目）"), 120 + 44 * len(items))
    spans = visible.groupby("item", sort=False)["mean"].agg(["min", "max"]).reindex(items).dropna()
    for item, span in spans.iterrows():
        figure.add_trace(
            go.Scatter(
                x=[span["min"], span["max"]],
                y=[labels[item]] * 2,
                mode="lines",
                line=dict(color="#cbd5e0", width=6),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for order, (role, rows) in enumerate(visible.groupby("role", sort=False)):
        standout = [item in isolated and role == "管理職" for item in rows["item"]]
        figure.add_trace(
            go.Scatter(
                x=rows["mean"],
                y=[labels[i] for i in rows["item"]],
                mode="markers",
                name=role,
                marker=dict(
                    color=role_colour(role, order),
                    size=[18 if s else 12 for s in standout],
                    line=dict(width=[3 if s else 0 for s in standout], color="#1a202c"),
                ),
                customdata=[
                    [i, role, int(n), direction.ends_of(i)]
                    for n, i in zip(rows["n"], rows["item"], strict=True)
                ],
                hovertemplate=(
                    f"{role}<br>%{{y}}<br>"
                    + label("平均 {x}（n={n}）", x="%{x:.2f}", n="%{customdata[2]}")
                    + "<br>%{customdata[3]}<extra></extra>"
                ),
            )
        )
    points = int(scores["points"].max()) if len(scores) else 5
    title = label("平均（{scale}）", scale=direction.note(items) or f"1 〜 {points}")
    if direction.any_reverse(items):
        title += "<br>" + label(REVERSE_NOTE)
    figure.update_xaxes(range=[0.8, points + 0.2], title=title, dtick=1)
    figure.update_yaxes(autorange="reversed")
    return figure


def favourable_bars(
    scores: pd.DataFrame, *, items: Iterable[Item] = (), label: Label = japanese
) -> go.Figure:
    """Favourable / neutral / unfavourable shares (%) per item x role, stacked to 100.

    Favourable is the top two boxes, the bottom two for a reverse item (marked （逆）):
    there agreeing is coloured as unfavourable. ``items`` (the survey's statements)
    name each scale's endpoints on the x axis.
    """
    scores = _plain_labels(scores)
    direction = _Direction(scores, items, label)
    visible = _visible(scores).copy()
    visible["row_label"] = [
        f"{direction.label(i, 22)}｜{r}"
        for i, r in zip(visible["item"], visible["role"], strict=True)
    ]
    midpoint = visible["midpoint"].fillna(0.0)
    parts = (
        (label("肯定的"), visible["favourable"], FAVOURABLE),
        (label("どちらともいえない"), midpoint, NEUTRAL),
        (label("否定的"), 1 - visible["favourable"] - midpoint, UNFAVOURABLE),
    )
    figure = _figure(
        label("肯定・中間・否定の割合（逆転項目は向きをそろえています）"), 120 + 30 * len(visible)
    )
    for name, share, colour in parts:
        figure.add_trace(
            go.Bar(
                x=share * 100,
                y=visible["row_label"],
                name=name,
                orientation="h",
                marker_color=colour,
                text=[f"{v:.0f}%" for v in share * 100],
                textposition="inside",
                customdata=[direction.ends_of(i) for i in visible["item"]],
                hovertemplate=f"%{{y}}<br>{name}: %{{x:.0f}}%<br>%{{customdata}}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    shown = list(dict.fromkeys(visible["item"]))
    title = label("%（肯定的 = 好ましい側の2段階）")
    if direction.note(shown):
        title += "　" + label("尺度: {ends}", ends=direction.note(shown))
    if direction.any_reverse(shown):
        title += "<br>" + label(
            "（逆）の項目は低い側（1・2）の2段階を肯定的（好ましい回答）として数えます"
        )
    figure.update_xaxes(range=[0, 100], title=title)
    figure.update_yaxes(autorange="reversed")
    return figure


def trend_lines(
    cells: pd.DataFrame,
    *,
    item: str,
    waves: list[str],
    items: Iterable[Item] = (),
    label: Label = japanese,
) -> go.Figure:
    """Mean per role across waves for one item, with the 95% interval as a band.

    The y axis names the item's scale endpoints (from ``items``, the survey's
    statements); a reverse item is marked （逆） and the axis says lower is better.
    """
    chosen = _plain_labels(cells[cells["item"] == item])
    direction = _Direction(chosen, items, label)
    visible = _visible(chosen)
    item, waves = plain(item), [plain(w) for w in waves]
    figure = _figure(label("回答時期ごとの平均: {item}", item=direction.label(item, 40)), 420)
    for order, (role, rows) in enumerate(visible.groupby("role", sort=False)):
        rows = rows.set_index("wave").reindex([w for w in waves if w in set(rows["wave"])])
        colour = role_colour(role, order)
        figure.add_trace(
            go.Scatter(
                x=list(rows.index) + list(rows.index[::-1]),
                y=list(rows["mean_high"]) + list(rows["mean_low"][::-1]),
                fill="toself",
                fillcolor=colour,
                opacity=0.15,
                mode="lines",
                line=dict(width=0),
                hoverinfo="skip",
                showlegend=False,
                name=f"{role} 95%CI",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=list(rows.index),
                y=rows["mean"],
                mode="lines+markers",
                name=role,
                line=dict(color=colour, width=3),
                customdata=rows["n"],
                hovertemplate=(
                    f"{role} %{{x}}<br>"
                    + label("平均 {x}（n={n}）", x="%{y:.2f}", n="%{customdata}")
                    + (f"<br>{direction.ends_of(item)}" if direction.ends_of(item) else "")
                    + "<extra></extra>"
                ),
            )
        )
    figure.update_xaxes(categoryorder="array", categoryarray=waves, title=label("回答時期"))
    ends = direction.note([item])
    title = label("平均（{scale}）", scale=ends) if ends else label("平均")
    if direction.any_reverse([item]):
        title += "<br>" + label("（逆）低いほど好ましい")
    figure.update_yaxes(title=title)
    return figure


def topic_share_bars(
    shares: pd.DataFrame,
    topics: pd.DataFrame,
    *,
    waves: list[str] = (),
    label: Label = japanese,
) -> go.Figure:
    """Share of each topic within role x wave groups (groups under the threshold are absent).

    Groups run role by role (経営層, 管理職, 一般社員), each in wave order.
    """
    labels = dict(zip(topics["id"], topics["label"].map(plain), strict=True))
    shares = _plain_labels(shares)
    roles = order_roles(shares["role"].unique())
    wave_rank = {plain(w): i for i, w in enumerate(waves)}
    data = shares.assign(
        group=[f"{r}｜{w}" for r, w in zip(shares["role"], shares["wave"], strict=True)],
        _order=[
            roles.index(r) * 1000 + wave_rank.get(w, 999)
            for r, w in zip(shares["role"], shares["wave"], strict=True)
        ],
    ).sort_values("_order", kind="stable")
    groups = list(dict.fromkeys(data["group"]))
    topics_shown = data["topic"].nunique()
    figure = _figure(
        label("話題の割合（役割 × 回答時期）"),
        160 + 34 * len(set(groups)) + 24 * -(-topics_shown // 2),
    )
    for order, (topic, rows) in enumerate(data.groupby("topic", sort=True)):
        figure.add_trace(
            go.Bar(
                x=rows["share"] * 100,
                y=rows["group"],
                name=labels.get(topic, str(topic)),
                orientation="h",
                marker_color=TOPIC_COLOURS[order % len(TOPIC_COLOURS)],
                customdata=rows["n"],
                hovertemplate="%{y}<br>%{fullData.name}: %{x:.0f}%"
                + label("（回答 {n}件）", n="%{customdata}")
                + "<extra></extra>",
            )
        )
    # Topic labels are phrases: the legend goes under the bars, where it can take rows
    # without covering the title.
    figure.update_layout(
        barmode="stack",
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, traceorder="normal"),
    )
    figure.update_xaxes(range=[0, 100.5], title="%", dtick=20)
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=groups)
    return figure
