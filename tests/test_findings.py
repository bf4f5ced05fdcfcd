"""Issue 14: the home page opens with the deck's 要点, each sentence linking to its page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from analysis.deck import build_deck
from analysis.schema import load_survey
from ui.widgets import JOINER

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "ai_survey_google_forms.csv"


def deck_summary(min_group: int = 5) -> list[str]:
    """The 要点 slide's sentences, reopened from the deck's bytes."""
    deck = Presentation(
        io.BytesIO(build_deck(load_survey(SAMPLE), min_group=min_group, k_topics=2))
    )
    [slide] = [
        s for s in deck.slides if s.shapes.title is not None and s.shapes.title.text == "要点"
    ]
    box = next(s for s in slide.shapes if s.has_text_frame and s != slide.shapes.title)
    return [p.text.removeprefix("● ") for p in box.text_frame.paragraphs if p.text.strip()]


def home_findings(at: AppTest) -> list[str]:
    """The sentences under 要点 on the home page, as a person reads them (escapes removed)."""
    return [
        m.value.replace("\\", "").replace(JOINER, "")
        for m in at.markdown
        if "95%CI" in m.value  # every headline quotes its interval
    ]


def test_home_opens_with_the_decks_findings_and_links_to_their_pages(data_dir):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert at.subheader.values[0] == "要点"  # before the counts and the columns
    shown = home_findings(at)
    assert 3 <= len(shown) <= 4
    assert shown == deck_summary()[: len(shown)]
    links = [link.proto.page for link in at.main.get("page_link")]
    assert len(links) == len(shown)
    assert set(links) <= {"gaps", "trends"}  # the pages' URL names
    assert "trends" in links  # the sample has before/after sentences


@pytest.mark.parametrize("threshold", [80])
def test_home_findings_never_name_a_hidden_group(data_dir, threshold):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/6_settings.py").run()
    [box] = [b for b in at.number_input if b.label == "数値を表示する最小人数"]
    box.set_value(threshold).run()
    [save] = [b for b in at.button if b.label == "基準を保存"]
    save.click().run()
    at.switch_page("app.py").run()
    assert not at.exception
    shown = home_findings(at)
    # 経営層 has 21-24 and 管理職 72-76 people per wave: both under 80 (and 管理職 hidden
    # to protect 経営層 where needed); only 一般社員 may be named.
    assert shown and all("経営層" not in s and "管理職" not in s for s in shown)
    assert shown == deck_summary(threshold)[: len(shown)]
