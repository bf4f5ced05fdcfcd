"""The sample deck renders: LibreOffice makes one PDF page per slide, and no page is blank.

Needs ``soffice`` (libreoffice-impress) and ``pdftoppm`` (poppler-utils). Skipped
on a machine without them, but never in CI (``CI`` set), where .ci/run installs them.

``python tests/test_deck_render.py`` rewrites docs/sample_deck_page.png, the
role-gap slide at 100 dpi shown in the README.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PAGE = ROOT / "docs" / "sample_deck_page.png"
SAMPLE_SLIDE = 3  # 役割間のギャップ（研修前） 1/2
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")


def to_pdf(deck: Path, workdir: Path) -> Path:
    """Convert with a fresh LibreOffice profile, so a running or broken one cannot interfere."""
    profile = (workdir / "lo-profile").resolve().as_uri()
    subprocess.run(
        [
            SOFFICE, f"-env:UserInstallation={profile}", "--headless",
            "--convert-to", "pdf", "--outdir", str(workdir), str(deck),
        ],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    pdf = workdir / f"{deck.stem}.pdf"
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice wrote no PDF for {deck}")
    return pdf


def to_pngs(pdf: Path, workdir: Path, *, dpi: int, first: int | None = None) -> list[Path]:
    pages = ["-f", str(first), "-l", str(first)] if first else []
    prefix = workdir / "page"
    subprocess.run(
        [PDFTOPPM, "-r", str(dpi), *pages, "-png", str(pdf), str(prefix)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return sorted(workdir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def ink(png: Path) -> float:
    """Share of pixels that are clearly not white."""
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return sum(histogram[:200]) / (image.width * image.height)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    if not (SOFFICE and PDFTOPPM):
        if os.environ.get("CI"):
            pytest.fail("soffice and pdftoppm must be installed in CI (see .ci/run)")
        pytest.skip("LibreOffice (soffice) or poppler (pdftoppm) is not installed")
    from test_slides import sample_deck_bytes

    workdir = tmp_path_factory.mktemp("render")
    deck = workdir / "deck.pptx"
    deck.write_bytes(sample_deck_bytes())
    pdf = to_pdf(deck, workdir)
    return (
        len(Presentation(io.BytesIO(deck.read_bytes())).slides),
        pdf,
        to_pngs(pdf, workdir, dpi=50),
    )


def test_pdf_has_one_page_per_slide(rendered):
    slides, _, pngs = rendered
    assert len(pngs) == slides


def test_no_page_is_blank(rendered):
    _, _, pngs = rendered
    for png in pngs:
        assert png.stat().st_size > 3_000, png.name
        assert ink(png) > 0.005, png.name  # title, text and charts leave some ink on every page


def test_chart_pages_carry_more_ink_than_the_title_page(rendered):
    _, _, pngs = rendered
    assert ink(pngs[SAMPLE_SLIDE - 1]) > ink(pngs[0])


def write_sample_page(out: Path = SAMPLE_PAGE) -> Path:
    """Render the sample deck's role-gap slide at 100 dpi into ``out``."""
    import tempfile

    from test_slides import sample_deck_bytes

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        deck = workdir / "deck.pptx"
        deck.write_bytes(sample_deck_bytes())
        (png,) = to_pngs(to_pdf(deck, workdir), workdir, dpi=100, first=SAMPLE_SLIDE)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, out)
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    print(write_sample_page())
