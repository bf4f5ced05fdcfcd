"""Published tables: one function each, called by the pages, the CLI, the headlines and the deck.

A number that two outputs print must come from one function, or the two
drift and together give away a hidden group (the home page once counted rows
with no role as 「（不明）」 while the deck dropped them: 82 − 10 − 20 − 50 = 2).
Outputs only arrange what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.errors import SurveyError
from analysis.gaps import order_roles
from analysis.privacy import MISSING, check_min_group, suppress_complementary
from analysis.schema import Field, Survey
from analysis.topics import TopicResult, fit_topics

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


def topic_model(survey: Survey, column: str, *, k: int | None, min_group: int) -> TopicResult:
    """Topics of one free-text question (:func:`analysis.topics.fit_topics` of :func:`topic_inputs`)."""
    inputs = topic_inputs(survey, column)
    return fit_topics(
        inputs.texts, roles=inputs.roles, waves=inputs.waves, k=k, min_group=min_group
    )
