"""Helpers for the real-browser tests: Debian's Chromium driven by Playwright, local servers.

Never downloads a browser: Playwright launches the system Chromium (/usr/bin/chromium, installed
by .ci/run with apt-get). When something the browser tests need is missing they skip with a
message on a developer's machine and fail in CI (CI=true), where it must be there.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import secrets
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from trafficking_course.processes import stop_group

from .conftest import ROOT

CHROMIUM = Path(os.environ.get("TC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(message: str):
    """Skip outside CI, fail in CI: there the tool must have been installed by .ci/run."""
    if IN_CI:
        pytest.fail(f"{message} (CI=true: .ci/run must provide it)", pytrace=False)
    pytest.skip(message)


def session_dir(tmp_path_factory, name: str) -> Path:
    """A folder shared by all xdist workers of this test session (and only this session)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/popen-gwK -> pytest-N, common to the workers
    path = base / name
    path.mkdir(exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def chromium_browser():
    """A headless Debian Chromium under Playwright's control (skips/fails when missing)."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[:120]


@contextlib.contextmanager
def screenshot_on_failure(page, name: str) -> Iterator[None]:
    """Save a full-page screenshot and the page's HTML to test-artifacts/ if the block fails."""
    try:
        yield
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = ARTIFACTS / _slug(name)
        with contextlib.suppress(Exception):
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content())
        raise


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Serve directory over HTTP on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "application/javascript", ".mjs": "application/javascript",
                      ".wasm": "application/wasm", ".json": "application/json"}

    def log_message(self, *args):  # keep pytest's output readable
        pass


class LabServer:
    """`make lab` on a free loopback port with a random token, stopped by process group."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.log_path = log_path
        # the student's own copy of the course that `make lab` makes and serves (MY_COURSE)
        self.root = log_path.parent / f"my-course-{self.port}"
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def start(self, timeout: float = 120) -> LabServer:
        args = (f"--no-browser --ServerApp.ip=127.0.0.1 --port={self.port} "
                f"--ServerApp.port_retries=0 --IdentityProvider.token={self.token} "
                # no news/update pop-up over the notebook
                "--LabApp.news_url=None --LabApp.check_for_updates_class="
                "jupyterlab.NeverCheckForUpdate")
        # private JupyterLab settings and workspaces: no news toast, no stale open tabs
        private = self.log_path.parent / f"lab-{self.port}"
        settings = private / "settings/@jupyterlab/apputils-extension"
        settings.mkdir(parents=True, exist_ok=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(private / "settings"),
               "JUPYTERLAB_WORKSPACES_DIR": str(private / "workspaces")}
        self._log = self.log_path.open("w")
        # TC_MAKE_ARGS: extra make arguments, e.g. a shared venv (VENV=... -o .../.installed)
        extra = os.environ.get("TC_MAKE_ARGS", "").split()
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", *extra, "lab", f"LAB_ARGS={args}",
             f"MY_COURSE={self.root}"], cwd=ROOT, env=env,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            req = urllib.request.Request(f"{self.base}/api/status",
                                         headers={"Authorization": f"token {self.token}"})
            try:
                with urllib.request.urlopen(req, timeout=2) as resp:
                    json.load(resp)
                    return self
            except OSError:
                time.sleep(0.5)
        log = self.log_path.read_text()
        self.stop()
        raise AssertionError(f"`make lab` did not answer on port {self.port}:\n{log}")

    def stop(self) -> None:
        if self.proc is None:
            return
        stop_group(self.proc)
        self._log.close()
        self.proc = None
