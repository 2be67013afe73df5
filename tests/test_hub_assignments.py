"""A hub student's Assignments tab: nbgrader's handlers, loaded on first use, not at start.

A student's server on the hub runs with jupyter/hub-student/ in front of jupyter/student/ (as
the hub's config sets JUPYTER_CONFIG_PATH). The server must start without nbgrader's handlers
(the Assignments list is not loaded until asked for), and then answer the Assignments tab's
requests as nbgrader does: list, fetch and the version check, refusing anyone without the
server's token. The end-to-end fetch and submit through a real hub is in tests/test_hub.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import nbformat
import pytest
import requests

from trafficking_course.hub import assignments

from .conftest import ROOT

pytestmark = pytest.mark.slow

TOKEN = "student-token"
NBGRADER_LOADER_SAYS = "Loading the assignment_list nbgrader serverextension"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def student_server(tmp_path):
    """A student's JupyterLab with the hub's settings, an exchange holding one release."""
    exchange, home = tmp_path / "exchange", tmp_path / "home"
    released = exchange / "trafficking-course" / "outbound" / "week1"
    released.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Week 1")]),
                   released / "week1.ipynb")
    home.mkdir()
    port = _free_port()
    # the student's own Jupyter folders (nbgrader's submission cache lives in the data folder),
    # not the test session's shared ones
    env = {**os.environ, "HOME": str(home), "NBGRADER_EXCHANGE": str(exchange),
           "JUPYTER_DATA_DIR": str(home / ".local/share/jupyter"),
           "JUPYTER_RUNTIME_DIR": str(home / ".local/share/jupyter/runtime"),
           "NBGRADER_COURSE_ID": "trafficking-course",
           "JUPYTER_CONFIG_PATH": os.pathsep.join(
               str(ROOT / "jupyter" / name) for name in ("hub-student", "student"))}
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
             f"--port={port}", f"--IdentityProvider.token={TOKEN}",
             f"--ServerApp.root_dir={home}"], env=env, stdout=out, stderr=subprocess.STDOUT,
            cwd=home)  # as the hub starts a server: in the account's home
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/api/status", headers=_auth(), timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"the student's server did not start:\n{log.read_text()}")
                time.sleep(0.2)
        yield base, log, home
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def _auth() -> dict[str, str]:
    return {"Authorization": f"token {TOKEN}"}


def test_the_server_starts_without_nbgrader_and_loads_it_on_the_first_request(student_server):
    base, log, home = student_server
    started = log.read_text()
    assert "loaded on its first use" in started
    assert NBGRADER_LOADER_SAYS not in started, "nbgrader's own loader ran at start"

    version = requests.get(f"{base}/nbgrader_version", params={"version": "0.9.6"},
                           headers=_auth(), timeout=60)
    assert version.json() == {"success": True}

    listed = requests.get(f"{base}/assignments", params={"course_id": "trafficking-course"},
                          headers=_auth(), timeout=60).json()
    assert listed["success"] is True
    assert [(a["assignment_id"], a["status"]) for a in listed["value"]] == [
        ("week1", "released")]

    fetched = requests.post(f"{base}/assignments/fetch", headers=_auth(), timeout=60,
                            data={"course_id": "trafficking-course", "assignment_id": "week1"})
    assert fetched.json()["success"] is True
    assert (home / "week1" / "week1.ipynb").is_file()

    courses = requests.get(f"{base}/courses", headers=_auth(), timeout=60).json()
    assert courses == {"success": True, "value": ["trafficking-course"]}


def test_without_the_token_the_assignments_are_refused(student_server):
    base, _, home = student_server
    for method, path in [("GET", "/assignments?course_id=trafficking-course"),
                         ("POST", "/assignments/fetch")]:
        answer = requests.request(method, base + path, timeout=60, allow_redirects=False,
                                  data={"course_id": "trafficking-course",
                                        "assignment_id": "week1"})
        assert answer.status_code in (302, 403), (path, answer.status_code)
    assert not (home / "week1").exists()


def test_the_stand_in_serves_every_url_nbgrader_registers():
    from nbgrader.server_extensions.assignment_list import handlers

    assert sorted(assignments.ROUTES) == sorted(pattern for pattern, _ in
                                                handlers.default_handlers)

