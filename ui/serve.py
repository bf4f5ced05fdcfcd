"""Start the dashboard: load what every page needs, then serve ``app.py`` (``make run``).

``python -m ui.serve [streamlit options]`` is ``streamlit run app.py [options]`` with
one step first: :func:`warm_up` imports the app's modules (scipy, scikit-learn,
SQLAlchemy, Plotly, fugashi and the rest) and opens the tokenizer's dictionary
*before* the server listens. Streamlit runs every page in this process, so the
first person to open a page after a restart no longer waits about a second for
imports (``bench/page_bench.py`` measures both ways).
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"

# Imported inside functions (where they serve one step), so not reached by importing
# the packages below; a page's first view would otherwise pay for them.
LAZY_MODULES = (
    "pandas.core.reshape.reshape",
    "pandas.io.formats.csvs",
    "plotly.colors",
    "scipy.optimize",
    "scipy.special",
    "scipy.stats",
    "plotly.graph_objects",
    "plotly.io",
)
PACKAGES = ("analysis", "ui")
SKIPPED = {"analysis.__main__", "ui.serve"}  # entry points, not libraries
# Decorating with st.cache_* before the server runs warns once per function; the caches
# themselves are made at the first call, inside the running server.
_CACHE_LOGGERS = ("cache_data_api", "cache_resource_api")


def app_modules() -> list[str]:
    """Every module of the app's own packages, then :data:`LAZY_MODULES`."""
    names = []
    for package in PACKAGES:
        root = importlib.import_module(package)
        for found in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
            if found.name not in SKIPPED:
                names.append(found.name)
    return [*names, *LAZY_MODULES]


def warm_up() -> list[str]:
    """Import :func:`app_modules`, then use once what pages use on first view.

    Plotly's figure classes, a table sent as Arrow, the database's dialect and the
    tokenizer's dictionary. Returns the modules imported. Nothing here reads a survey or the database:
    no data is held before someone signs in.
    """
    import streamlit  # noqa: F401  (creates its loggers, with their levels, first)

    loggers = [logging.getLogger(f"streamlit.runtime.caching.{name}") for name in _CACHE_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        names = app_modules()
        for name in names:
            importlib.import_module(name)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
    _figure_json()
    import pandas as pd
    import pyarrow as pa

    pa.Table.from_pandas(pd.DataFrame({"列": [1]}))  # how st.dataframe sends a table
    from sqlalchemy import create_engine

    from analysis.store import DATABASE_URL_ENV, database_url

    # imports the database's dialect and connects to nothing; not secrets.toml's URL: reading
    # st.secrets parses Streamlit's config before the command line's options are set
    create_engine(database_url(os.environ.get(DATABASE_URL_ENV))).dispose()
    from analysis.text import tokenize

    tokenize("起動時に辞書を読み込みます")  # maps the dictionary's files; taggers stay per thread
    return names


def _figure_json() -> str:
    """A figure with the app's trace types and titled axes, as JSON for the browser.

    Plotly imports a trace's classes (and their nested properties) on first use and
    builds its templates lazily.
    """
    import plotly.graph_objects as go
    import plotly.io as pio

    title = {"title": {"text": "起動"}}
    traces = [
        go.Bar(x=[1], y=[1], marker={"color": "#000000"}),
        go.Heatmap(z=[[1]], colorbar=title),
        go.Scatter(
            x=[1], y=[1], mode="lines+markers+text", line={"width": 1}, textfont={"size": 9},
            selected={"marker": {"opacity": 1}}, unselected={"marker": {"opacity": 0.5}},
        ),
    ]  # fmt: skip
    layout = {"template": pio.templates.default, **title, "xaxis": title, "yaxis": title}
    return go.Figure(traces, layout=layout).to_json()


def main(argv: list[str] | None = None) -> None:
    warm_up()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
