"""The launcher ``make run`` uses (``ui/serve.py``): after its warm-up no page imports
a heavy library on its first view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from conftest import ROOT, sign_in
from servers import start_server, stop_server

from ui import auth, serve

PAGES = [
    "app.py",
    *(f"pages/{path.name}" for path in sorted((ROOT / "pages").glob("*.py"))),
]
# What made the first page after a restart slow (bench/page_bench.py): about a second
# of imports, most of it these.
HEAVY = {"scipy", "sklearn", "sqlalchemy", "plotly", "fugashi", "pandas", "numpy", "pyarrow"}

_VISIT = """
import json, sys
sys.path.insert(0, {root!r})
from ui import serve
serve.warm_up()
from streamlit.testing.v1 import AppTest
before = set(sys.modules)
errors = []
for page in {pages!r}:
    at = AppTest.from_file({app!r}, default_timeout=300)
    at.session_state[{key!r}] = {token!r}
    if page != "app.py":
        at.switch_page(page)
    at.run()
    errors += [f"{{page}}: {{e.message}}" for e in at.exception]
    shown = [m.value for m in at.markdown] + [t.value for t in at.title]
    if not shown:
        errors.append(f"{{page}}: nothing shown")
print(json.dumps({{"new": sorted(set(sys.modules) - before), "errors": errors}}))
"""


def test_app_modules_cover_every_module_of_the_app() -> None:
    names = set(serve.app_modules())
    on_disk = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in serve.PACKAGES
        for path in (ROOT / package).rglob("*.py")
    }
    assert on_disk - serve.SKIPPED - set(serve.PACKAGES) <= names
    assert "analysis.deck.build" in names or any(n.startswith("analysis.deck.") for n in names)
    assert not names & serve.SKIPPED


def test_no_page_imports_a_heavy_library_after_the_warm_up(data_dir: Path) -> None:
    """Every page, viewed once signed in after ``warm_up()``, adds no module of :data:`HEAVY`.

    A page (or a module it imports inside a function) that brings a new heavy import
    fails here until the import is added to ``serve.LAZY_MODULES``.
    """
    token = sign_in(SimpleNamespace(session_state={}), "起動テスト人事")
    script = _VISIT.format(
        root=str(ROOT), pages=PAGES, app=str(ROOT / "app.py"), key=auth.TOKEN, token=token
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    heavy = [name for name in result["new"] if name.split(".")[0] in HEAVY]
    assert heavy == [], f"imported after the warm-up: {heavy}"


def test_the_launcher_serves_with_the_options_given(data_dir: Path) -> None:
    """``python -m ui.serve`` passes Streamlit's options through: it answers on the port and
    address given, and the warm-up does not make Streamlit ask for a restart (reading
    ``st.secrets`` early parsed the config before the options were set)."""
    log = data_dir / "serve.log"
    process, url, _ = start_server(log)
    stop_server(process)
    printed = log.read_text()
    assert url.removeprefix("http://") in printed and "restart" not in printed, printed
