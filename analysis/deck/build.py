"""The deck's slide order: published tables -> :mod:`~analysis.deck.content` -> :mod:`~analysis.deck.render`.

Slides, in order:

1. 表紙: survey name, waves, respondents per role x wave (a group under the
   threshold reads 「5人未満」, never its number), date.
2. 要点: the headline sentences with n and interval.
3. 役割間のギャップ: clustered bars of role means, about five items a chart,
   largest gaps first; ◆ marks items where managers stand apart.
4. 研修前後の変化: role lines across waves for the items that moved most, and
   tables of change with effect size, n and 対応あり/対応なし.
5. 自由記述: topic shares by role x wave (100% stacked bars) and masked
   representative comments per topic, only from groups with enough answers.
   Then 語の共起ネットワーク: words joined by Jaccard, coloured by the role
   that uses them distinctively (:func:`analysis.cooccurrence.question_network`).
6. 対話のための問い: questions written from the largest gaps.
7. 分析方法: thresholds, tests and n per group (also in every data slide's notes).

The numbers come from the same tidy tables the pages show
(:func:`analysis.pipeline.respondent_counts`, the gap wave's answers from
:func:`analysis.pipeline.wave_answers`, :func:`analysis.gaps.item_scores`,
:func:`analysis.gaps.role_gaps`, :func:`analysis.trends.wave_scores`,
:func:`analysis.trends.wave_changes`, :func:`analysis.pipeline.topic_model`),
so screen, CLI and slides agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

from analysis import gaps, pipeline, trends
from analysis.cooccurrence import question_network
from analysis.deck import content
from analysis.deck.render import render_deck
from analysis.errors import SurveyError
from analysis.headlines import headline_table
from analysis.privacy import MIN_GROUP_COMMENTS, MIN_GROUP_SCORES, check_min_group
from analysis.schema import Survey
from analysis.themes import Theme

__all__ = ["Progress", "build_deck"]

Progress = Callable[[float, str], None]


def build_deck(
    survey: Survey,
    *,
    wave: str | None = None,
    min_group: int = MIN_GROUP_SCORES,
    min_comments: int = MIN_GROUP_COMMENTS,
    k_topics: int | None = None,
    date: dt.date | None = None,
    progress: Progress | None = None,
    headcounts: pd.DataFrame | None = None,
    themes: Sequence[Theme] | None = None,
) -> bytes:
    """The workshop deck for ``survey`` as ``.pptx`` bytes (16:9, native charts).

    Parameters
    ----------
    wave
        Wave whose role gaps are shown (default: the first wave); trends
        always span every wave.
    min_group
        No number from a group with fewer answers than this.
    min_comments
        No comment quoted from a role x wave group with fewer real answers.
    k_topics
        Topics per free-text question (default: the topic model's choice).
    date
        Date on the title slide (default: today).
    progress
        Called with ``(fraction 0-1, Japanese message)`` as the deck is built.
    headcounts
        HR's headcounts (:meth:`analysis.store.WaveStore.headcounts`): the title
        slide adds each group's response rate (:func:`analysis.pipeline.response_rates`).
    themes
        The theme dictionary that groups a small question's answers (HR's,
        :meth:`analysis.store.WaveStore.themes`; default the bundled ``themes.toml``).
    """
    check_min_group(min_group)
    check_min_group(min_comments)
    report = progress or (lambda fraction, message: None)
    waves = survey.waves
    if wave is not None and wave not in waves:
        raise SurveyError(f"回答時期「{wave}」のデータがありません（{'、'.join(waves) or 'なし'}）")
    gap_wave = wave or (waves[0] if waves else None)

    report(0.0, "回答者数を集計しています")
    counts = pipeline.respondent_counts(survey, min_group=min_group)
    notes = content.method_notes(
        counts, min_group=min_group, min_comments=min_comments, items=survey.schema.items
    )
    name = content.display_name(survey)
    shown_counts = counts
    if headcounts is not None and len(headcounts):
        shown_counts = pipeline.response_rates(counts, headcounts)
    slides = [
        content.title_slide(name, waves, shown_counts, date or dt.date.today(), min_group=min_group)
    ]

    answers = survey.answers()
    has_scores = not answers.empty and answers["role"].notna().any()
    if not answers.empty:
        report(0.05, "要点の文を作っています")
        headlines = headline_table(answers, waves=waves or None, min_group=min_group)
        if len(headlines):
            slides.append(content.summary_slide(headlines))
    questions: list[str] = []
    if has_scores:
        report(0.2, "役割間のギャップを計算しています")
        one_wave = pipeline.wave_answers(survey, gap_wave)
        scores = gaps.item_scores(one_wave, by=("role",), min_group=min_group)
        gap_table = gaps.role_gaps(one_wave, min_group=min_group)
        isolation = gaps.isolation_from_gaps(gap_table, gaps.order_roles(one_wave["role"]))
        slides += content.gap_slides(
            scores, gap_table, isolation, wave=gap_wave, items=survey.schema.items
        )

        if len(waves) >= 2:
            report(0.35, "研修前後の変化を検定しています")
            cells = trends.wave_scores(answers, waves=waves, min_group=min_group)
            changes = trends.wave_changes(answers, waves=waves, min_group=min_group)
            specs = content.trend_charts(cells, changes, waves, items=survey.schema.items)
            slides += content.trend_slides(specs, waves)
            slides += content.change_slides(changes, waves)

        agreement = content.with_agreement(scores, one_wave)
        questions = content.dialogue_questions(agreement, gap_table, isolation)

    free_text = survey.schema.free_text[: content.MAX_FREE_TEXT_QUESTIONS]
    for index, column in enumerate(free_text):
        report(
            0.5 + 0.4 * index / len(free_text),
            f"自由記述の話題を分析しています（{index + 1}/{len(free_text)}）",
        )
        texts = survey.texts(column)
        result = pipeline.topic_model(
            survey, column, k=k_topics, min_group=min_comments, themes=themes
        )
        if result.topics.empty:
            continue
        slides += content.free_text_slides(
            survey.table.label(column), result, texts, waves,
            min_group=min_group, min_comments=min_comments,
        )  # fmt: skip
        network = question_network(survey, column, min_group=min_comments)
        network_slide = content.network_slide(
            survey.table.label(column), network, min_comments=min_comments
        )
        slides += [network_slide] if network_slide is not None else []

    if questions:
        slides.append(content.question_slide(questions))
    slides.append(content.method_slide(notes))
    deck = render_deck(slides, survey_name=name, method_notes=notes)
    report(1.0, f"{len(slides)}枚のスライドを作成しました")
    return deck
