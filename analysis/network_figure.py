"""The co-occurrence network (:mod:`analysis.cooccurrence`) as a plotly figure (returned, never shown).

Traces, in order: one line per edge (``name`` 共起, width by Jaccard), one
invisible marker per edge midpoint that tells the pair and its Jaccard on
hover, then one marker trace per role (:data:`analysis.cooccurrence.SHARED`
first, in grey), markers sized by area so that ``marker.size`` holds each
word's answer count as it is. Positions are the network's own (a seeded
layout), so the same answers always draw the same picture.
"""

from __future__ import annotations

import plotly.graph_objects as go

from analysis.cooccurrence import SHARED, Network
from analysis.figures import TEMPLATE, Label, japanese, plain, role_colour
from analysis.gaps import order_roles

__all__ = [
    "DISTINCTIVE",
    "EDGE_COLOUR",
    "SHARED_COLOUR",
    "edge_width",
    "network_figure",
    "node_colour",
    "role_order",
]

SHARED_COLOUR = "#a0aec0"
EDGE_COLOUR = "#a0aec0"
LARGEST_MARKER = 56  # px across, for the most used word
DISTINCTIVE = "{role}に特徴的"  # legend entry of a role's words


def edge_width(jaccard: float) -> float:
    """Line width (px, also pt on the slide) of an edge: 1 at Jaccard 0, 7 at 1.

    >>> edge_width(0.0), edge_width(0.5)
    (1.0, 4.0)
    """
    return 1.0 + 6.0 * float(jaccard)


def role_order(roles: object) -> list[str]:
    """Colour groups in legend order: 共通 first when present, then the roles in tier order.

    >>> role_order(["管理職", "共通", "経営層"])
    ['共通', '経営層', '管理職']
    """
    present = list(dict.fromkeys(roles))
    ordered = [r for r in order_roles([r for r in present if r != SHARED])]
    return [SHARED, *ordered] if SHARED in present else ordered


def node_colour(role: str, order: int) -> str:
    """Hex colour of a node: grey for 共通, else the role's colour (:func:`analysis.figures.role_colour`)."""
    return SHARED_COLOUR if role == SHARED else role_colour(role, order)


def network_figure(
    network: Network,
    *,
    empty_note: str | None = None,
    label: Label = japanese,
) -> go.Figure:
    """Words as circles (area ~ answers using them), joined where they co-occur.

    Every word written goes through ``label`` (:func:`analysis.figures.japanese`, or
    ``ui.text.label`` in the app): the title, the legend entries (:data:`DISTINCTIVE`,
    a template with ``{role}``, and :data:`analysis.cooccurrence.SHARED`) and the hovers;
    ``empty_note`` (default 「線で結べる語がありません」) is written when no word is joined.

    >>> from analysis.cooccurrence import cooccurrence_network
    >>> net = cooccurrence_network(["日報の要約", "日報を要約", "議事録を要約"], min_group=1)
    >>> fig = network_figure(net)
    >>> [t.name for t in fig.data], list(fig.data[-1].marker.size)
    (['共起', '共起', '共通'], [3, 2])
    """
    nodes, edges = network.nodes, network.edges
    fig = go.Figure(layout=dict(template=TEMPLATE, title=label("語の共起ネットワーク"), height=640))
    joined = label("共起")
    at = {w: (x, y) for w, x, y in nodes[["word", "x", "y"]].itertuples(index=False)}
    mid_x, mid_y, mid_text = [], [], []
    for source, target, jaccard, both in edges.itertuples(index=False):
        (x0, y0), (x1, y1) = at[source], at[target]
        fig.add_trace(
            go.Scatter(
                x=[x0, x1], y=[y0, y1], mode="lines", name=joined, hoverinfo="skip",
                showlegend=False, line=dict(color=EDGE_COLOUR, width=edge_width(jaccard)),
                customdata=[[jaccard, both]] * 2,
            )
        )  # fmt: skip
        mid_x.append((x0 + x1) / 2)
        mid_y.append((y0 + y1) / 2)
        mid_text.append(f"{plain(source)} – {plain(target)}")
    if len(edges):
        fig.add_trace(
            go.Scatter(
                x=mid_x, y=mid_y, mode="markers", name=joined, showlegend=False,
                marker=dict(size=10, opacity=0), text=mid_text,
                customdata=edges[["jaccard", "both"]].to_numpy().tolist(),
                hovertemplate="%{text}<br>Jaccard %{customdata[0]:.2f}"
                + label("（両方 {n}件）", n="%{customdata[1]}") + "<extra></extra>",
            )
        )  # fmt: skip
    largest = int(nodes["count"].max()) if len(nodes) else 1
    for order, role in enumerate(role_order(nodes["role"])):
        part = nodes[nodes["role"] == role]
        fig.add_trace(
            go.Scatter(
                x=part["x"].tolist(),
                y=part["y"].tolist(),
                mode="markers+text",
                name=label(SHARED) if role == SHARED else label(DISTINCTIVE, role=plain(role)),
                text=[plain(w) for w in part["word"]],
                textposition="middle center",
                textfont=dict(size=13, color="#1a202c"),
                customdata=part[["count"]].to_numpy().tolist(),
                hovertemplate="%{text}: "
                + label("{n}件", n="%{customdata[0]}")
                + "<extra></extra>",
                marker=dict(
                    size=part["count"].tolist(),
                    sizemode="area",
                    sizeref=2 * largest / LARGEST_MARKER**2,
                    sizemin=8,
                    color=node_colour(role, order),
                    opacity=0.7,
                    line=dict(color="white", width=1),
                ),
            )
        )
    hidden = dict(visible=False, range=[-1.2, 1.2])
    fig.update_layout(
        xaxis=hidden,
        yaxis=hidden | {"scaleanchor": "x"},
        legend=dict(orientation="h", yanchor="top", y=-0.02),
    )
    if nodes.empty:
        note = label("線で結べる語がありません") if empty_note is None else empty_note
        fig.add_annotation(text=note, showarrow=False, x=0, y=0)
    return fig
