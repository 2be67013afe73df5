"""`make formgrader` and `make lab-instructor`: the lecturers' settings and workspaces of their own.

Each run has a home of its own (HOME in tmp_path), so the workspaces the labs save are the
test's, and a lab that ignored the lecturers' settings would use JupyterLab's default folder.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from .test_lab import NBGRADER_SERVER, _Lab, _notification_defaults

TAB = "course-test:open-tab"  # a workspace entry as JupyterLab keeps one for an open document


def save_workspace(lab: _Lab, path: str) -> None:
    """Save the lab's default workspace with one open document, as JupyterLab does."""
    body = json.dumps({"data": {TAB: {"data": {"path": path}}},
                       "metadata": {"id": "default"}}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{lab.port}/lab/api/workspaces/default",
                                 data=body, method="PUT",
                                 headers={"Authorization": f"token {lab.token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 204


def get_slowly(lab: _Lab, path: str, timeout: float = 180) -> tuple[int, str]:
    """A GET that may take long: the formgrader's first call creates the gradebook (alembic),
    which on a fresh clone and a busy machine takes more than _Lab.get's 10 s."""
    req = urllib.request.Request(f"http://127.0.0.1:{lab.port}{path}",
                                 headers={"Authorization": f"token {lab.token}"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, resp.read().decode()


def open_tab(lab: _Lab) -> str | None:
    status, body = lab.get("/lab/api/workspaces/default")
    assert status == 200
    return json.loads(body)["data"].get(TAB, {}).get("data", {}).get("path")


def saved_in(folder) -> list[str]:
    return sorted(p.name for p in folder.glob("*.jupyterlab-workspace")) if folder.is_dir() else []


@pytest.mark.slow
def test_formgrader_has_the_lecturers_settings_and_a_workspace_of_its_own(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("JUPYTERLAB_WORKSPACES_DIR", "JUPYTER_CONFIG_DIR", "COURSE_LAB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    student = _Lab("lab", tmp_path / "lab.log").wait()
    try:
        save_workspace(student, "course/00-start-here.ipynb")
    finally:
        student.stop()
    grader = _Lab("formgrader", tmp_path / "formgrader.log").wait()
    try:
        # the lecturers' settings: no news pop-up, no update check, nbgrader's tools
        assert _notification_defaults(grader) == {"fetchNews": "false", "checkForUpdates": False}
        status, body = get_slowly(grader, "/formgrader/api/assignments")
        assert status == 200 and "definitions" in {a["name"] for a in json.loads(body)}
        # its own workspace: the student lab's tab (a path outside exercises/) is not reopened
        assert open_tab(grader) is None
        save_workspace(grader, "source/definitions/definitions.ipynb")
        assert open_tab(grader) == "source/definitions/definitions.ipynb"
    finally:
        log = grader.stop()
    for name in NBGRADER_SERVER:
        assert f"nbgrader.server_extensions.{name} | extension was successfully loaded" in log
    lab = home / ".jupyter/lab"
    assert len(saved_in(lab / "workspaces")) == 1
    assert len(saved_in(lab / "workspaces-formgrader")) == 1
    # and the student lab, started again, still has its own tab
    student = _Lab("lab", tmp_path / "lab2.log").wait()
    try:
        assert open_tab(student) == "course/00-start-here.ipynb"
    finally:
        student.stop()
    lecturer = _Lab("lab-instructor", tmp_path / "lab-instructor.log").wait()
    try:
        assert open_tab(lecturer) is None  # neither the student's nor the formgrader's
    finally:
        lecturer.stop()
