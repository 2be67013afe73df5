"""The class hub's setup pieces that need no Linux accounts: password, environment, Python."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from trafficking_course import hub
from trafficking_course.errors import HubError

from .conftest import ROOT


def test_the_password_is_given_kept_or_generated(tmp_path):
    state = hub.HubState(tmp_path)
    assert hub.password_for(state, "given-one") == ("given-one", False)
    fresh, generated = hub.password_for(state, None)
    assert generated and len(fresh) >= 12
    state.private.mkdir()
    state.password_file.write_text("kept-one\n")
    assert hub.password_for(state, None) == ("kept-one", False)


def test_each_account_gets_its_jupyterlab_settings_and_the_exchange(tmp_path):
    state = hub.HubState(tmp_path)
    teacher = hub.server_environment(state, "instructor", ROOT)
    student = hub.server_environment(state, "student1", ROOT)
    assert teacher["JUPYTER_CONFIG_PATH"] == str(ROOT / "jupyter/instructor")
    assert student["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(ROOT / "jupyter/hub-student"), str(ROOT / "jupyter/student")]
    assert teacher["COURSE_GRADING_ROOT"] == str(state.home("instructor") / "exercises")
    assert "COURSE_GRADING_ROOT" not in student
    for env in (teacher, student):
        assert env["NBGRADER_EXCHANGE"] == str(state.exchange)
        assert env["PATH"].split(os.pathsep)[0] == str(state.python_env / "bin")


def test_students_come_from_hub_students(monkeypatch):
    monkeypatch.delenv("HUB_STUDENTS", raising=False)
    assert hub.students() == hub.STUDENTS
    monkeypatch.setenv("HUB_STUDENTS", "bench001, bench002,")
    assert hub.students() == ("bench001", "bench002")


def test_a_folder_others_cannot_enter_is_named(tmp_path):
    closed = tmp_path / "closed"
    (closed / "inside").mkdir(parents=True)
    closed.chmod(0o700)
    try:
        with pytest.raises(HubError, match="cannot enter .*closed"):
            hub.check_reachable(closed / "inside")
    finally:
        closed.chmod(0o755)
    hub.check_reachable(ROOT / "src")  # the checkout itself must be reachable


@pytest.mark.slow
def test_the_accounts_python_sees_the_course_environment(tmp_path):
    tmp_path.chmod(0o755)
    state = hub.HubState(tmp_path / "state")
    state.root.mkdir()
    python = hub.users_python(state)
    env = {**hub.server_environment(state, "student1", ROOT), "HOME": str(tmp_path)}
    code = "import sys, nbgrader, jupyterlab, trafficking_course; print(sys.prefix)"
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()) == state.python_env
    # console scripts run on the accounts' Python (nbgrader calls alembic by name)
    first = (state.python_env / "bin" / "alembic").read_text().splitlines()[0]
    assert first == f"#!{python}"
