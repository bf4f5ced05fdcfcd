"""Plotly figures from the tidy tables of gaps, trends and topics (returned, never shown).

One template and one Japanese font stack for every chart. Suppressed cells are
dropped or left blank before plotting, so a hidden group never reaches a chart.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.gaps import order_roles

FONT = "Noto Sans JP, Hiragino Sans, Meiryo, sans-serif"
ROLE_COLOURS = {"経営層": "#2b6cb0", "管理職": "#dd6b20", "一般社員": "#2f855a", "現場": "#2f855a"}
OTHER_COLOURS = ("#6b46c1", "#b7791f", "#c53030", "#319795", "#718096")
FAVOURABLE, NEUTRAL, UNFAVOURABLE = "#2f855a", "#a0aec0", "#c53030"

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


def _figure(title: str, height: int) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(template=TEMPLATE, title=title, height=height)
    return figure


def gap_heatmap(differences: pd.DataFrame, *, by: str = "role") -> go.Figure:
    """Each group's mean minus the overall mean, item x group; hidden cells stay blank.

    ``differences`` is :func:`analysis.gaps.difference_from_overall`'s table.
    """
    differences = _plain_labels(differences)
    items = list(dict.fromkeys(differences["item"]))
    groups = list(dict.fromkeys(differences[by]))
    shown = differences.assign(
        diff=differences["diff"].where(~differences["suppressed"].astype(bool))
    )
    grid = shown.pivot_table(index="item", columns=by, values="diff", aggfunc="first", dropna=False)
    grid = grid.reindex(index=items, columns=groups)
    text = grid.map(lambda v: "非表示" if pd.isna(v) else f"{v:+.2f}")
    figure = _figure("全体平均との差（役割別）", 120 + 42 * len(items))
    figure.add_trace(
        go.Heatmap(
            z=grid.to_numpy(dtype=float),
            x=groups,
            y=[_short(i) for i in items],
            text=text.to_numpy(),
            texttemplate="%{text}",
            colorscale="RdBu",
            zmid=0,
            colorbar=dict(title="差"),
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    return figure


def gap_dumbbell(
    scores: pd.DataFrame, *, isolated: set[str] | frozenset[str] = frozenset()
) -> go.Figure:
    """One row per item, one dot per role on the item's scale; isolated managers stand out.

    ``scores`` is :func:`analysis.gaps.item_scores` by role; ``isolated`` the
    items where managers differ from both other roles.
    """
    scores = _plain_labels(scores)
    isolated = {plain(item) for item in isolated}
    visible = _visible(scores)
    items = list(dict.fromkeys(scores["item"]))
    labels = {item: ("◆ " if item in isolated else "") + _short(item) for item in items}
    figure = _figure("役割ごとの平均（◆ = 管理職が孤立している項目）", 120 + 44 * len(items))
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
                customdata=rows["n"],
                hovertemplate=f"{role}<br>%{{y}}<br>平均 %{{x:.2f}}（n=%{{customdata}}）<extra></extra>",
            )
        )
    points = int(scores["points"].max()) if len(scores) else 5
    figure.update_xaxes(
        range=[0.8, points + 0.2], title="平均（1 = まったくそう思わない）", dtick=1
    )
    figure.update_yaxes(autorange="reversed")
    return figure


def favourable_bars(scores: pd.DataFrame) -> go.Figure:
    """Favourable / neutral / unfavourable shares (%) per item x role, stacked to 100."""
    visible = _visible(_plain_labels(scores)).copy()
    visible["row_label"] = [
        f"{_short(i, 22)}｜{r}" for i, r in zip(visible["item"], visible["role"], strict=True)
    ]
    midpoint = visible["midpoint"].fillna(0.0)
    parts = (
        ("肯定的", visible["favourable"], FAVOURABLE),
        ("どちらともいえない", midpoint, NEUTRAL),
        ("否定的", 1 - visible["favourable"] - midpoint, UNFAVOURABLE),
    )
    figure = _figure(
        "肯定・中間・否定の割合（逆転項目は向きをそろえています）", 120 + 30 * len(visible)
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
                hovertemplate=f"%{{y}}<br>{name}: %{{x:.0f}}%<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(range=[0, 100], title="%")
    figure.update_yaxes(autorange="reversed")
    return figure


def trend_lines(cells: pd.DataFrame, *, item: str, waves: list[str]) -> go.Figure:
    """Mean per role across waves for one item, with the 95% interval as a band."""
    visible = _visible(_plain_labels(cells[cells["item"] == item]))
    item, waves = plain(item), [plain(w) for w in waves]
    figure = _figure(f"回答時期ごとの平均: {_short(item, 40)}", 420)
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
                hovertemplate=f"{role} %{{x}}<br>平均 %{{y:.2f}}（n=%{{customdata}}）<extra></extra>",
            )
        )
    figure.update_xaxes(categoryorder="array", categoryarray=waves, title="回答時期")
    figure.update_yaxes(title="平均")
    return figure


def topic_share_bars(
    shares: pd.DataFrame, topics: pd.DataFrame, *, waves: list[str] = ()
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
    figure = _figure("話題の割合（役割 × 回答時期）", 160 + 34 * len(set(groups)))
    for order, (topic, rows) in enumerate(data.groupby("topic", sort=True)):
        figure.add_trace(
            go.Bar(
                x=rows["share"] * 100,
                y=rows["group"],
                name=labels.get(topic, str(topic)),
                orientation="h",
                marker_color=OTHER_COLOURS[order % len(OTHER_COLOURS)] if order >= 3 else None,
                customdata=rows["n"],
                hovertemplate="%{y}<br>%{fullData.name}: %{x:.0f}%（回答 %{customdata}件）<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_xaxes(range=[0, 100.5], title="%", dtick=20)
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=groups)
    return figure
