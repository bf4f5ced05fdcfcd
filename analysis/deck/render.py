"""The deck drawn with python-pptx: native, editable charts, text boxes and tables (16:9).

:func:`render_deck` turns :class:`~analysis.deck.content.SlideContent` records
into ``.pptx`` bytes; each :class:`~analysis.deck.content.Layout` has one
arrangement here. Every run gets the Latin *and* East Asian typeface
(:data:`FONT`, see :func:`set_font`) and Japanese language; every data slide's
notes end with the method notes; every slide gets a footer. Text is written
as plain text through :func:`~analysis.deck.content.clean_text`. Nothing here
computes a number or words a sentence.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.text.text import Font
from pptx.util import Emu, Inches, Pt

from analysis.cooccurrence import SHARED
from analysis.deck.content import (
    TREND_CHARTS_PER_SLIDE,
    ChartSpec,
    Layout,
    SlideContent,
    clean_text,
    footer_text,
)
from analysis.figures import OTHER_COLOURS, role_colour
from analysis.network_figure import DISTINCTIVE, EDGE_COLOUR, edge_width, node_colour, role_order

__all__ = ["FONT", "SLIDE_HEIGHT", "SLIDE_WIDTH", "render_deck", "set_font"]

SLIDE_WIDTH = Inches(13.333)  # 16:9
SLIDE_HEIGHT = Inches(7.5)
FONT = "Meiryo"  # Latin and East Asian typeface of every run (Windows has it; others substitute)

_DARK = RGBColor(0x1A, 0x20, 0x2C)
_GREY = RGBColor(0x71, 0x80, 0x96)
_HEADER_FILL = RGBColor(0xED, 0xF2, 0xF7)


def set_font(
    font: Font,
    *,
    size: float | None = None,
    bold: bool | None = None,
    colour: RGBColor | None = None,
    typeface: str = FONT,
) -> None:
    """Set the Latin *and* East Asian typeface (``a:latin``, ``a:ea``) and Japanese language.

    PowerPoint draws kana and kanji with the ``a:ea`` face; without it they fall
    back to the theme's East Asian font, which differs between machines.
    """
    rpr = font._element
    rpr.set("lang", "ja-JP")
    rpr.set("altLang", "en-US")
    latin = rpr.get_or_add_latin()
    latin.set("typeface", typeface)
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = OxmlElement("a:ea")
        latin.addnext(ea)  # schema order: latin, ea, cs
    ea.set("typeface", typeface)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = colour


def _write(
    text_frame,
    paragraphs: Sequence[str | tuple[str, dict]],
    *,
    size: float = 16,
    bold: bool = False,
    colour: RGBColor = _DARK,
    align: PP_ALIGN | None = None,
    space_after: float | None = None,
) -> None:
    """Replace a text frame's content by plain-text paragraphs, each one run with the deck font.

    A paragraph may be ``(text, {"size": .., "bold": .., "colour": ..})`` to override.
    """
    text_frame.clear()
    for index, paragraph in enumerate(paragraphs):
        text, style = paragraph if isinstance(paragraph, tuple) else (paragraph, {})
        para = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        if align is not None:
            para.alignment = align
        if space_after is not None:
            para.space_after = Pt(space_after)
        run = para.add_run()
        run.text = clean_text(text)
        set_font(
            run.font,
            size=style.get("size", size),
            bold=style.get("bold", bold),
            colour=style.get("colour", colour),
        )


class _Deck:
    """A 16:9 presentation with the deck's title, chart, table and notes conventions."""

    def __init__(self, survey_name: str, method_notes: list[str]):
        self.prs = Presentation()
        self.prs.slide_width = SLIDE_WIDTH
        self.prs.slide_height = SLIDE_HEIGHT
        self.survey_name = survey_name
        self.method_notes = method_notes

    def slide(self, title: str, *, notes: Sequence[str] = (), data: bool = True):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # Title Only
        shape = slide.shapes.title
        shape.left, shape.top = Inches(0.5), Inches(0.25)
        shape.width, shape.height = SLIDE_WIDTH - Inches(1.0), Inches(0.85)
        shape.text_frame.word_wrap = True
        shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _write(shape.text_frame, [title], size=24, bold=True, align=PP_ALIGN.LEFT)
        lines = list(notes) + (["", *self.method_notes] if data else [])
        if lines:
            _write(slide.notes_slide.notes_text_frame, lines, size=12)
        return slide

    def text(self, slide, paragraphs, left, top, width, height, **style):
        box = slide.shapes.add_textbox(left, top, width, height)
        box.text_frame.word_wrap = True
        _write(box.text_frame, paragraphs, **style)
        return box

    def chart(self, slide, spec: ChartSpec, chart_type, left, top, width, height):
        horizontal = chart_type in (
            XL_CHART_TYPE.BAR_CLUSTERED,
            XL_CHART_TYPE.BAR_STACKED,
            XL_CHART_TYPE.BAR_STACKED_100,
        )
        data = CategoryChartData(number_format=spec.number_format)
        data.categories = spec.categories
        for name, values in spec.series:
            data.add_series(clean_text(name), values)
        frame = slide.shapes.add_chart(chart_type, left, top, width, height, data)
        chart = frame.chart
        set_font(chart.font, size=12, colour=_DARK)
        chart.has_title = True
        _write(chart.chart_title.text_frame, [spec.title], size=14, bold=True)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        set_font(chart.legend.font, size=12)
        if horizontal:  # first category (and first series) on top, value axis still below
            chart.category_axis.reverse_order = True
            # c:crosses on valAx: where the value axis meets the category axis (at the last one)
            chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
        plot = chart.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.show_value = True
        set_font(labels.font, size=10 if chart_type != XL_CHART_TYPE.BAR_STACKED_100 else 9)
        if chart_type == XL_CHART_TYPE.BAR_CLUSTERED:
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            plot.gap_width, plot.overlap = 60, 0
        elif chart_type == XL_CHART_TYPE.LINE_MARKERS:
            labels.position = XL_LABEL_POSITION.ABOVE
        else:
            labels.position = XL_LABEL_POSITION.CENTER
            plot.gap_width = 50
        for axis, title in (
            (chart.value_axis, spec.value_title),
            (chart.category_axis, spec.category_title),
        ):
            axis.has_title = True
            _write(axis.axis_title.text_frame, [title], size=11, colour=_GREY)
            set_font(axis.tick_labels.font, size=11)
        if spec.value_range is not None:
            chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = spec.value_range
            chart.value_axis.major_unit = 1 if spec.value_range[1] > 1 else 0.25
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE2, 0xE8, 0xF0)
        self._colour(plot, chart_type)
        return frame

    @staticmethod
    def _colour(plot, chart_type) -> None:
        for order, series in enumerate(plot.series):
            if chart_type == XL_CHART_TYPE.BAR_STACKED_100:
                colour = (list(OTHER_COLOURS) + ["#2b6cb0", "#dd6b20", "#2f855a"])[order % 8]
            else:
                colour = role_colour(series.name, order)
            rgb = RGBColor.from_string(colour.lstrip("#").upper())
            if chart_type == XL_CHART_TYPE.LINE_MARKERS:
                series.format.line.color.rgb = rgb
                series.format.line.width = Pt(2.5)
                series.smooth = False
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = rgb
                series.marker.format.line.color.rgb = rgb
            else:
                series.format.fill.solid()
                series.format.fill.fore_color.rgb = rgb

    def table(self, slide, frame: pd.DataFrame, left, top, width, *, first_width, size=11):
        rows, cols = len(frame) + 1, len(frame.columns)
        row_height = Inches(0.5)
        shape = slide.shapes.add_table(rows, cols, left, top, width, row_height * rows)
        table = shape.table
        table.columns[0].width = first_width
        rest = (width - first_width) // max(cols - 1, 1)
        for index in range(1, cols):
            table.columns[index].width = Emu(rest)
        for c, name in enumerate(frame.columns):
            cell = table.cell(0, c)
            _write(cell.text_frame, [str(name)], size=size, bold=True)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _HEADER_FILL
        for r, values in enumerate(frame.itertuples(index=False), start=1):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.fill.background()
                lines = str(value).split("\n")
                paragraphs = [lines[0]] + [
                    (line, {"size": size - 2, "colour": _GREY}) for line in lines[1:]
                ]
                _write(cell.text_frame, paragraphs, size=size)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
        return shape

    def footer(self) -> None:
        total = len(self.prs.slides)
        for number, slide in enumerate(self.prs.slides, start=1):
            box = slide.shapes.add_textbox(
                Inches(0.5), SLIDE_HEIGHT - Inches(0.4), SLIDE_WIDTH - Inches(1.0), Inches(0.3)
            )
            _write(
                box.text_frame,
                [footer_text(self.survey_name, number, total)],
                size=9,
                colour=_GREY,
                align=PP_ALIGN.RIGHT,
            )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


# --------------------------------------------------------------------------- layouts


def _title(deck: _Deck, slide, content: SlideContent) -> None:
    heading, *note = content.texts
    deck.text(
        slide,
        [(heading[0], {"size": 22, "bold": True}), *heading[1:]],
        Inches(0.5), Inches(1.3), Inches(12.3), Inches(1.5),
        size=16, space_after=6,
    )  # fmt: skip
    if not content.tables:
        return
    (grid,) = content.tables
    roles = len(grid.columns) - 1
    deck.table(
        slide, grid, Inches(0.5), Inches(3.1), Inches(2.0 + 2.2 * roles),
        first_width=Inches(2.0), size=14,
    )  # fmt: skip
    deck.text(
        slide, note[0],
        Inches(0.5), Inches(3.3) + Inches(0.5) * (len(grid) + 1), Inches(12.3), Inches(0.5),
        size=12, colour=_GREY,
    )  # fmt: skip


def _summary(deck: _Deck, slide, content: SlideContent) -> None:
    deck.text(
        slide, content.texts[0],
        Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.6), size=18, space_after=14,
    )  # fmt: skip


def _one_chart(chart_type):
    def place(deck: _Deck, slide, content: SlideContent) -> None:
        deck.chart(
            slide, content.charts[0], chart_type,
            Inches(0.4), Inches(1.15), Inches(12.5), Inches(5.9),
        )  # fmt: skip

    return place


def _trends(deck: _Deck, slide, content: SlideContent) -> None:
    width = (SLIDE_WIDTH - Inches(1.0)) // TREND_CHARTS_PER_SLIDE
    for index, spec in enumerate(content.charts):
        deck.chart(
            slide, spec, XL_CHART_TYPE.LINE_MARKERS,
            Inches(0.5) + width * index, Inches(1.15), width - Inches(0.15), Inches(5.9),
        )  # fmt: skip


def _change(deck: _Deck, slide, content: SlideContent) -> None:
    deck.text(
        slide, content.texts[0],
        Inches(0.5), Inches(1.05), Inches(12.3), Inches(0.4), size=12, colour=_GREY,
    )  # fmt: skip
    (table,) = content.tables
    deck.table(
        slide, table, Inches(0.5), Inches(1.5), Inches(12.3), first_width=Inches(5.1),
        size=12 if len(table) <= 10 else 10,
    )  # fmt: skip


def _comments(deck: _Deck, slide, content: SlideContent) -> None:
    columns = content.columns
    size = 12 if columns == 2 else 11
    width, height = (SLIDE_WIDTH - Inches(1.0)) // columns, Inches(2.85)
    for index, (heading, *quoted) in enumerate(content.texts):
        deck.text(
            slide,
            [(heading, {"bold": True, "size": size + 3}), *quoted],
            Inches(0.5) + width * (index % columns), Inches(1.2) + height * (index // columns),
            width - Inches(0.2), height - Inches(0.1), size=size, space_after=4,
        )  # fmt: skip


def _questions(deck: _Deck, slide, content: SlideContent) -> None:
    deck.text(
        slide, content.texts[0], Inches(0.7), Inches(1.3), Inches(11.9), Inches(5.6),
        size=20, space_after=18,
    )  # fmt: skip


def _method(deck: _Deck, slide, content: SlideContent) -> None:
    deck.text(
        slide, content.texts[0], Inches(0.5), Inches(1.2), Inches(12.3), Inches(5.8),
        size=14, space_after=8,
    )  # fmt: skip


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _network(deck: _Deck, slide, content: SlideContent) -> None:
    """Edges as straight lines (width by Jaccard), then words as ovals (area by count), a legend.

    Every piece is a plain shape: HR can move a word, recolour it or delete a line.
    """
    deck.text(
        slide, content.texts[0],
        Inches(0.5), Inches(1.05), Inches(12.3), Inches(0.4), size=12, colour=_GREY,
    )  # fmt: skip
    nodes, edges = content.tables
    left, top, width, height = Inches(0.9), Inches(1.9), Inches(9.2), Inches(4.8)
    largest = max(int(nodes["count"].max()), 1)
    smallest, biggest = Inches(0.3), Inches(0.85)

    def centre(x: float, y: float) -> tuple[int, int]:
        return int(left + (x + 1) / 2 * width), int(top + (1 - y) / 2 * height)

    at = {w: centre(x, y) for w, x, y in nodes[["word", "x", "y"]].itertuples(index=False)}
    for source, target, jaccard, _ in edges.itertuples(index=False):
        (x0, y0), (x1, y1) = at[source], at[target]
        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, x0, y0, x1, y1)
        line.line.color.rgb = _rgb(EDGE_COLOUR)
        line.line.width = Pt(edge_width(jaccard))
    order = {role: i for i, role in enumerate(role_order(nodes["role"]))}
    for word, count, role, _, _ in nodes.itertuples(index=False):
        size = int(smallest + (biggest - smallest) * (count / largest) ** 0.5)
        x, y = at[word]
        oval = slide.shapes.add_shape(MSO_SHAPE.OVAL, x - size // 2, y - size // 2, size, size)
        oval.name = f"語: {word}"
        oval.fill.solid()
        oval.fill.fore_color.rgb = _rgb(node_colour(role, order[role]))
        alpha = OxmlElement("a:alpha")  # 75% opaque: the lines under a word stay visible
        alpha.set("val", "75000")
        oval.fill._xPr.find(qn("a:solidFill"))[0].append(alpha)
        oval.line.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        frame = oval.text_frame
        frame.word_wrap = False
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _write(frame, [word], size=10, align=PP_ALIGN.CENTER)
    for index, role in enumerate(order):
        y = Inches(2.0) + Inches(0.45) * index
        key = slide.shapes.add_shape(MSO_SHAPE.OVAL, Inches(10.6), y, Inches(0.25), Inches(0.25))
        key.fill.solid()
        key.fill.fore_color.rgb = _rgb(node_colour(role, order[role]))
        key.line.fill.background()
        name = role if role == SHARED else DISTINCTIVE.format(role=role)
        deck.text(slide, [name], Inches(10.95), y - Inches(0.08), Inches(2.2), Inches(0.4), size=12)


_LAYOUTS = {
    Layout.TITLE: _title,
    Layout.SUMMARY: _summary,
    Layout.GAPS: _one_chart(XL_CHART_TYPE.BAR_CLUSTERED),
    Layout.TRENDS: _trends,
    Layout.CHANGE: _change,
    Layout.TOPIC_SHARES: _one_chart(XL_CHART_TYPE.BAR_STACKED_100),
    Layout.COMMENTS: _comments,
    Layout.QUESTIONS: _questions,
    Layout.METHOD: _method,
    Layout.NETWORK: _network,
}


def render_deck(
    slides: Sequence[SlideContent], *, survey_name: str, method_notes: list[str]
) -> bytes:
    """``slides`` as ``.pptx`` bytes: 16:9, native charts, a footer on every slide.

    Data slides (``data=True``) get ``method_notes`` after their own notes.
    """
    deck = _Deck(survey_name, method_notes)
    for content in slides:
        slide = deck.slide(content.title, notes=content.notes, data=content.data)
        _LAYOUTS[content.layout](deck, slide, content)
    deck.footer()
    return deck.to_bytes()
