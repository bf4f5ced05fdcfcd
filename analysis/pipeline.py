"""Published tables: one function each, called by the pages, the CLI, the headlines and the deck.

A number that two outputs print must come from one function, or the two
drift and together give away a hidden group (the home page once counted rows
with no role as 「（不明）」 while the deck dropped them: 82 − 10 − 20 − 50 = 2).
Outputs only arrange what these functions return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from analysis.errors import SurveyError
from analysis.gaps import order_roles
from analysis.masking import mask_pii
from analysis.privacy import MISSING, WHOLE, check_min_group
from analysis.schema import Field, Survey
from analysis.text import is_no_answer
from analysis.themes import Theme, theme_counts

if TYPE_CHECKING:  # analysis.topics (scikit-learn) is imported where topics are made
    from analysis.topics import TopicResult

COUNT_COLUMNS = ["wave", "role", "n", "suppressed", "label"]
EVERYONE = "全員"  # the one group of a survey without a role column


def respondent_counts(survey: Survey, *, min_group: int) -> pd.DataFrame:
    """People by role x wave, as every output shows them.

    A person counts once per wave (resubmissions merged, see
    :func:`analysis.schema.distinct_people`); rows with no role are the group
    :data:`analysis.privacy.MISSING` and count like any other. A group under
    ``min_group`` reads 「5人未満」 and its number appears nowhere.

    No other group is hidden with it: the n beside every shown score already
    gives the other groups' sizes, so hiding one here only contradicted the
    score tables (a title slide read 管理職「非表示」 above 管理職's n = 9). What
    keeps the small group's size unknown is that no true total is published
    beside these counts: outputs show :func:`shown_people` (the sum over the
    shown groups), and a file's full row count stays on the HR pages
    (アップロード, 設定), whose readers hold the file itself.

    Returns
    -------
    DataFrame
        ``wave`` (``""`` without a wave column), ``role``, ``n`` (0 when
        hidden), ``suppressed``, ``label``: 「24人」, or 「5人未満」 for a group
        under ``min_group``.

    Examples
    --------
    >>> from analysis.load import read_survey
    >>> from analysis.inference import infer_schema
    >>> rows = ["管理職"] * 6 + ["一般社員"] * 7 + ["経営層"] * 2 + [""]
    >>> csv = "役職,AIは役立つと思う\\n" + "".join(f"{r},そう思う\\n" for r in rows)
    >>> table = read_survey(csv.encode())
    >>> counts = respondent_counts(Survey(table, infer_schema(table)), min_group=5)
    >>> counts[["role", "label"]].values.tolist()
    [['経営層', '5人未満'], ['管理職', '6人'], ['一般社員', '7人'], ['（不明）', '5人未満']]
    >>> shown_people(counts)
    13
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
    counts = counts.reset_index(drop=True)
    counts["suppressed"] = counts["n"] < min_group
    counts["label"] = [
        f"{min_group}人未満" if hidden else f"{n}人"
        for n, hidden in zip(counts["n"], counts["suppressed"], strict=True)
    ]
    counts["n"] = counts["n"].where(~counts["suppressed"], 0).astype(int)
    return counts[COUNT_COLUMNS].reset_index(drop=True)


def shown_people(counts: pd.DataFrame) -> int:
    """People in the shown groups of :func:`respondent_counts` (every wave: 延べ人数).

    The one total published beside the counts: a hidden group's size never
    follows from it (see the example there).
    """
    return int(counts.loc[~counts["suppressed"].astype(bool), "n"].sum())


def response_rates(counts: pd.DataFrame, headcounts: pd.DataFrame) -> pd.DataFrame:
    """:func:`respondent_counts` with each shown group's response rate (people / headcount).

    ``headcounts`` is HR's table (:meth:`analysis.store.WaveStore.headcounts`:
    ``role``, ``department``, ``headcount``); a role's headcount is its
    whole-role row, else the sum of its departments
    (:func:`analysis.store.role_headcounts`). A hidden group's rate is hidden
    too and reads as its count does (「5人未満」): rate x headcount would give
    its n back. No headcount and no total rate is published, so nothing adds
    up to a hidden group either.

    Returns
    -------
    DataFrame
        The columns of ``counts`` and ``rate`` (0-1; NaN when hidden or the
        role has no headcount) and ``rate_label`` (「40%」 by
        :func:`analysis.numbers.percent`, the count's label 「5人未満」 when
        hidden, ``""`` for a role without a headcount, hidden or not).

    Examples
    --------
    >>> counts = pd.DataFrame({"wave": ["前", "前", "前"], "role": ["管理職", "一般社員", "経営層"],
    ...     "n": [6, 7, 0], "suppressed": [False, False, True],
    ...     "label": ["6人", "7人", "5人未満"]})
    >>> heads = pd.DataFrame({"role": ["管理職", "管理職", "経営層"],
    ...     "department": ["営業", "開発", ""], "headcount": [8, 8, 3]})
    >>> response_rates(counts, heads)[["role", "rate", "rate_label"]].values.tolist()
    [['管理職', 0.375, '38%'], ['一般社員', nan, ''], ['経営層', nan, '5人未満']]
    """
    from analysis.numbers import percent
    from analysis.store import role_headcounts

    totals = role_headcounts(headcounts) if len(headcounts) else {}
    rates = counts.copy()
    heads = rates["role"].map(totals)
    shown = ~rates["suppressed"].astype(bool) & heads.notna() & (heads > 0)
    rates["rate"] = (rates["n"] / heads).where(shown).astype(float)
    known = heads.notna() & (heads > 0)
    rates["rate_label"] = [
        "" if not has_head else (label if hidden else f"{percent(rate)}%")
        for label, hidden, rate, has_head in zip(
            rates["label"], rates["suppressed"].astype(bool), rates["rate"], known, strict=True
        )
    ]
    return rates


def wave_answers(survey: Survey, wave: str | None) -> pd.DataFrame:
    """The long answers of one wave, as every output selects them; ``None``: all answers.

    ``None`` is meant for a survey with one wave or none: with several, a
    person would count once per wave, so callers choose a wave (the gaps page
    and the CLI the one asked for, the deck the first, the headlines the last).

    Examples
    --------
    >>> from analysis.load import read_survey
    >>> from analysis.inference import infer_schema
    >>> csv = "役職,回答時期,AIは役立つと思う\\n管理職,研修前,そう思う\\n管理職,研修後,そう思う\\n"
    >>> table = read_survey(csv.encode())
    >>> survey = Survey(table, infer_schema(table))
    >>> wave_answers(survey, "研修後")["wave"].tolist(), len(wave_answers(survey, None))
    (['研修後'], 2)
    """
    if wave is not None and wave not in survey.waves:
        raise SurveyError(
            f"回答時期「{wave}」のデータがありません（{'、'.join(survey.waves) or 'なし'}）"
        )
    return one_wave(survey.answers(), wave)


def one_wave(answers: pd.DataFrame, wave: str | None) -> pd.DataFrame:
    """Rows of long answers whose wave reads as ``wave`` (as text: 1 -> "1"); ``None``: all.

    The one filter behind :func:`wave_answers`, for callers that hold answers
    rather than a survey (:func:`analysis.headlines.headline_table`).

    >>> answers = pd.DataFrame({"wave": ["研修前", None, 1, "研修後"], "value": [1, 2, 3, 4]})
    >>> one_wave(answers, "1")["value"].tolist(), len(one_wave(answers, None))
    ([3], 4)
    """
    if wave is None:
        return answers
    labels = answers["wave"]
    chosen = [w for w in labels.dropna().unique() if str(w) == wave]
    return answers[labels.isin(chosen)]


@dataclass(frozen=True)
class TopicInputs:
    """A free-text question as :func:`analysis.topics.fit_topics` takes it.

    ``texts`` are the answers (``""`` when blank); ``roles`` and ``waves`` are
    per answer, or ``None`` when the survey has no role (wave) column, which
    :mod:`analysis.topics` reads as :data:`analysis.topics.WHOLE`. A row whose
    role or wave is missing in a survey that has the column is the group
    :data:`analysis.privacy.MISSING`, as in :func:`respondent_counts`.
    """

    texts: list[str]
    roles: list[str] | None
    waves: list[str] | None


def topic_inputs(survey: Survey, column: str) -> TopicInputs:
    """One free-text question's answers and groups, the same for screen, CLI and deck.

    Examples
    --------
    >>> from analysis.load import read_survey
    >>> from analysis.inference import infer_schema
    >>> csv = "役職,感想\\n管理職,相談が増えた\\n,特になし\\n"
    >>> table = read_survey(csv.encode())
    >>> inputs = topic_inputs(Survey(table, infer_schema(table)), "感想")
    >>> inputs.roles, inputs.waves
    (['管理職', '（不明）'], None)
    """
    texts = survey.texts(column)

    def groups(present: bool, values: pd.Series) -> list[str] | None:
        return [str(v) for v in values.fillna(MISSING)] if present else None

    return TopicInputs(
        texts=[str(t) for t in texts["text"].fillna("")],
        roles=groups(survey.schema.role is not None, texts["role"]),
        waves=groups(survey.schema.wave is not None, texts["wave"]),
    )


def topic_model(
    survey: Survey,
    column: str,
    *,
    k: int | None,
    min_group: int,
    themes: Sequence[Theme] | None = None,
) -> TopicResult:
    """Topics of one free-text question (:func:`analysis.topics.fit_topics` of :func:`topic_inputs`).

    ``themes`` (default: the bundled dictionary) groups a small question's answers.
    """
    inputs = topic_inputs(survey, column)
    from analysis.topics import fit_topics

    return fit_topics(
        inputs.texts,
        roles=inputs.roles,
        waves=inputs.waves,
        k=k,
        min_group=min_group,
        themes=themes,
    )


def _group_labels(inputs: TopicInputs) -> list[str]:
    """One 「役割｜回答時期」 label per answer (全体 for a dimension the survey lacks)."""
    whole = [WHOLE] * len(inputs.texts)
    return [
        f"{role}｜{wave}"
        for role, wave in zip(inputs.roles or whole, inputs.waves or whole, strict=True)
    ]


def keyword_hits(survey: Survey, column: str, keyword: str, *, min_group: int) -> pd.DataFrame:
    """Masked answers containing ``keyword``, from role x wave groups large enough to quote.

    The groups are the topics' (:func:`topic_inputs`), labelled 「役割｜回答時期」.

    >>> from analysis.load import read_survey
    >>> from analysis.inference import infer_schema
    >>> rows = ["管理職,日報にAIを使いたい", "管理職,AIは便利", "一般社員,AIは不安"]
    >>> table = read_survey(("役職,感想\\n" + "\\n".join(rows)).encode())
    >>> keyword_hits(Survey(table, infer_schema(table)), "感想", "AI", min_group=2).values.tolist()
    [['管理職｜全体', '日報に【AI】を使いたい'], ['管理職｜全体', '【AI】は便利']]
    """
    inputs = topic_inputs(survey, column)
    from analysis.topics import keyword_in_context

    return keyword_in_context(
        inputs.texts, keyword, groups=_group_labels(inputs), min_group=min_group
    )


def theme_table(
    survey: Survey, column: str, *, min_group: int, themes: Sequence[Theme] | None = None
) -> pd.DataFrame:
    """Answers mentioning each theme per role x wave (:func:`analysis.themes.theme_counts`).

    ``themes`` defaults to the bundled dictionary; the groups are :func:`topic_inputs`'.
    """
    inputs = topic_inputs(survey, column)
    return theme_counts(
        inputs.texts, roles=inputs.roles, waves=inputs.waves, min_group=min_group, themes=themes
    )


def role_terms(survey: Survey, column: str, *, min_group: int) -> pd.DataFrame:
    """Words each role uses in each wave: ``role``, ``wave``, ``term``, ``z``, ``count``.

    Only role x wave groups large enough to quote take part
    (:func:`analysis.topics.distinctive_terms`). Without roles the waves are
    compared (``role`` 全体); without waves, the roles over all answers (``wave`` 全体).
    """
    from analysis.topics import distinctive_terms

    inputs = topic_inputs(survey, column)
    if inputs.roles is None:
        table = distinctive_terms(inputs.texts, inputs.waves or [WHOLE] * len(inputs.texts),
                                  min_group=min_group)  # fmt: skip
        table = table.rename(columns={"group": "wave"}).assign(role=WHOLE)
    elif inputs.waves is None:
        table = distinctive_terms(inputs.texts, inputs.roles, min_group=min_group)
        table = table.rename(columns={"group": "role"}).assign(wave=WHOLE)
    else:
        table = distinctive_terms(
            inputs.texts, inputs.roles, waves=inputs.waves, min_group=min_group
        ).rename(columns={"group": "role"})
    rank = {
        "wave": {w: i for i, w in enumerate(survey.waves)},
        "role": {r: i for i, r in enumerate(order_roles(table["role"].unique()))},
    }
    table = table.sort_values(
        ["wave", "role"], key=lambda c: c.map(rank[c.name]).fillna(len(rank[c.name])), kind="stable"
    )
    return table[["role", "wave", "term", "z", "count"]].reset_index(drop=True)


def group_comments(
    survey: Survey, column: str, *, role: str | None, wave: str | None, min_group: int
) -> list[str] | None:
    """Masked answers of one role (and wave) to a free-text question; ``None`` if the group is small.

    The group is the topics' role x wave cell (:func:`topic_inputs`; ``None`` for a
    dimension means all of it), quoted only with at least ``min_group`` answers that say
    something. Comments are never cut by department: a role's comments beside the same
    role's in one department would give away, by difference, the other departments'.

    >>> from analysis.load import read_survey
    >>> from analysis.inference import infer_schema
    >>> rows = ["管理職,山田さんに相談できた", "管理職,日報が楽", "管理職,特になし", "一般社員,不安"]
    >>> table = read_survey(("役職,感想\\n" + "\\n".join(rows)).encode())
    >>> survey = Survey(table, infer_schema(table))
    >>> group_comments(survey, "感想", role="管理職", wave=None, min_group=2)
    ['〔氏名〕さんに相談できた', '日報が楽']
    >>> group_comments(survey, "感想", role="一般社員", wave=None, min_group=2) is None
    True
    """
    inputs = topic_inputs(survey, column)
    whole = [None] * len(inputs.texts)
    answered = [
        text
        for text, r, w in zip(
            inputs.texts, inputs.roles or whole, inputs.waves or whole, strict=True
        )
        if (role is None or r == role) and (wave is None or w == wave) and not is_no_answer(text)
    ]
    if len(answered) < min_group:
        return None
    return [mask_pii(text) for text in answered]
