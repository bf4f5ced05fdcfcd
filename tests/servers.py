"""A real dashboard server on 127.0.0.1 for tests and benchmarks: started the way
``make run`` starts it (``python -m ui.serve``), or as a bare ``streamlit run app.py``."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_RUN = ("-m", "ui.serve")  # what `make run` starts
BARE = ("-m", "streamlit", "run", str(ROOT / "app.py"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether the server at ``url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except OSError:
        return False


def start_server(
    log: Path,
    *,
    start: Sequence[str] = MAKE_RUN,
    env: Mapping[str, str] | None = None,
    timeout_s: float = 60,
) -> tuple[subprocess.Popen, str, float]:
    """A headless server on a free port: the process, its URL and the seconds until it answered.

    Its output goes to ``log``; the file watcher is off (others may edit pages meanwhile).
    Raises ``RuntimeError`` with the log's end when it does not answer in ``timeout_s``.
    """
    port = free_port()
    command = [
        sys.executable, *start, "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=None if env is None else dict(env), stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    while not healthy(url):
        if process.poll() is not None or time.perf_counter() - began > timeout_s:
            stop_server(process)
            raise RuntimeError(f"the server did not answer on {url}:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)
    return process, url, time.perf_counter() - began


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
