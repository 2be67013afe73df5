"""The class hub's setup pieces: password, prefix, environment, messages, the accounts' Python."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from trafficking_course.errors import HubError
from trafficking_course.hub import accounts, environment

from .conftest import ROOT


def test_the_password_is_given_kept_or_generated(tmp_path):
    state = accounts.HubState(tmp_path)
    assert accounts.password_for(state, "given-one") == ("given-one", False)
    fresh, generated = accounts.password_for(state, None)
    assert generated and len(fresh) >= 12
    state.private.mkdir()
    state.password_file.write_text("kept-one\n")
    assert accounts.password_for(state, None) == ("kept-one", False)


def test_each_account_gets_its_jupyterlab_settings_and_the_exchange(tmp_path):
    state, roster = accounts.HubState(tmp_path), accounts.Roster("c2-")
    teacher = accounts.server_environment(state, "c2-instructor", roster)
    student = accounts.server_environment(state, "c2-student1", roster)
    # the settings come from the hub's copy of the course, not from the checkout
    assert teacher["JUPYTER_CONFIG_PATH"] == str(tmp_path / "course/jupyter/instructor")
    assert student["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(tmp_path / "course/jupyter/hub-student"), str(tmp_path / "course/jupyter/student")]
    assert teacher["COURSE_GRADING_ROOT"] == str(state.home("c2-instructor") / "exercises")
    assert "COURSE_GRADING_ROOT" not in student
    for env in (teacher, student):
        assert env["NBGRADER_EXCHANGE"] == str(state.exchange)
        assert env["PATH"].split(os.pathsep)[0] == str(tmp_path / "python/bin")
    # an account named like the instructor without the hub's prefix is a student's
    unprefixed = accounts.server_environment(state, "instructor", roster)
    assert "COURSE_GRADING_ROOT" not in unprefixed


def test_account_names_take_the_prefix_and_hub_students(monkeypatch):
    monkeypatch.delenv("HUB_STUDENTS", raising=False)
    monkeypatch.delenv("HUB_PREFIX", raising=False)
    plain = accounts.Roster.from_environment()
    assert plain.accounts == ("instructor", "student1", "student2", "student3")
    monkeypatch.setenv("HUB_PREFIX", "spring-")
    monkeypatch.setenv("HUB_STUDENTS", "bench001, bench002,")
    roster = accounts.Roster.from_environment()
    assert roster.instructors == ("spring-instructor",)
    assert roster.students == ("spring-bench001", "spring-bench002")
    assert roster.is_instructor("spring-instructor") and not roster.is_instructor("instructor")


@pytest.mark.parametrize("prefix", ["Class-", "1st-", "a b", "x" * 17, "ta;rm"])
def test_a_prefix_unusable_in_user_names_is_refused(prefix):
    with pytest.raises(HubError, match="HUB_PREFIX") as err:
        accounts.Roster(prefix)
    assert repr(prefix) in str(err.value)


def test_an_account_taken_by_another_hub_names_the_command_that_clears_it(tmp_path):
    other = tmp_path / "old-hub"
    (other / "hub").mkdir(parents=True)
    text = accounts.taken_message("student1", other / "home/student1", accounts.Roster())
    assert f"make hub-remove HUB_STATE={other}" in text
    assert "HUB_PREFIX=class2-" in text
    # an account no hub made: the way out is another prefix, never taking it over
    text = accounts.taken_message("student1", Path("/home/student1"), accounts.Roster("a-"))
    assert "hub-remove" not in text and "HUB_PREFIX=a-2-" in text


def test_one_state_keeps_one_prefix(tmp_path):
    state = accounts.HubState(tmp_path)
    state.private.mkdir()
    accounts._check_prefix(state, accounts.Roster("a-"))
    accounts._check_prefix(state, accounts.Roster("a-"))
    with pytest.raises(HubError, match="HUB_PREFIX=a-"):
        accounts._check_prefix(state, accounts.Roster("b-"))


def test_a_folder_others_cannot_enter_is_named(tmp_path):
    closed = tmp_path / "closed"
    (closed / "inside").mkdir(parents=True)
    closed.chmod(0o700)
    try:
        with pytest.raises(HubError, match="cannot enter .*closed"):
            accounts.check_reachable(closed / "inside")
    finally:
        closed.chmod(0o755)


def test_the_stamp_follows_the_pins_and_the_package(tmp_path):
    repo = tmp_path / "repo"
    (repo / "src/pkg").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (repo / "src/pkg/a.py").write_text("A = 1\n")
    python = Path("/usr/bin/python3")
    deps, package = (environment.dependencies_digest(repo, python),
                     environment.package_digest(repo))
    (repo / "src/pkg/a.py").write_text("A = 2\n")
    assert environment.dependencies_digest(repo, python) == deps
    assert environment.package_digest(repo) != package
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\nversion = '2'\n")
    assert environment.dependencies_digest(repo, python) != deps


def test_the_course_copy_leaves_out_generated_and_private_files(tmp_path):
    repo = tmp_path / "repo"
    for path in ("course/00-start-here.ipynb", "course/x.progress.json",
                 "exercises/source/a/a.ipynb", "exercises/gradebook.db",
                 "exercises/submitted/s1/a/a.ipynb", "exercises/roster.csv",
                 "jupyter/student/jupyter_server_config.py"):
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text("x")
    state = accounts.HubState(tmp_path / "state")
    state.root.mkdir()
    course = environment.copy_course(state, repo)
    copied = {str(p.relative_to(course)) for p in course.rglob("*") if p.is_file()}
    assert copied == {"course/00-start-here.ipynb", "exercises/source/a/a.ipynb",
                      "jupyter/student/jupyter_server_config.py"}
    # the same course again: the same version; a changed one: a new version, the link
    # switched, the previous version kept for a hub still copying from it, older ones removed
    first = course.resolve()
    assert environment.copy_course(state, repo).resolve() == first
    (repo / "course/00-start-here.ipynb").write_text("changed")
    second = environment.copy_course(state, repo).resolve()
    assert second != first and first.is_dir()
    assert (state.course / "course/00-start-here.ipynb").read_text() == "changed"
    (repo / "course/00-start-here.ipynb").write_text("changed again")
    third = environment.copy_course(state, repo).resolve()
    assert third.is_dir() and second.is_dir() and not first.exists()
    assert sorted(p.name for p in state.root.iterdir()) == sorted(
        ["course", second.name, third.name])


@pytest.mark.slow
def test_the_accounts_python_is_the_hubs_own(tmp_path):
    """Built from the system's Python under the state folder; an account runs the course."""
    from .test_hub import TEST_ROOT, _needs

    _needs()
    state = accounts.HubState(TEST_ROOT / "setup", env_root=TEST_ROOT)
    python = environment.prepare_environment(state, ROOT)
    assert python == TEST_ROOT / "python/bin/python"
    stamp = json.loads((TEST_ROOT / "python" / environment.STAMP).read_text())
    base = environment.hub_python()
    assert stamp["dependencies"] == environment.dependencies_digest(ROOT, base)
    assert set(stamp) == {"dependencies", "package"}  # (others may edit the package meanwhile)
    # run as an account that is nobody in particular: nothing of the checkout is needed
    code = ("import sys, nbgrader, jupyterlab, jupyterhub, trafficking_course; "
            "print(sys.prefix); print(trafficking_course.__file__)")
    runuser = shutil.which("runuser") or "runuser"
    out = subprocess.run([runuser, "-u", "nobody", "--", str(python), "-c", code],
                         capture_output=True, text=True, env={"HOME": "/tmp", "PATH": "/usr/bin"})
    assert out.returncode == 0, out.stderr
    prefix, package = out.stdout.split()
    assert Path(prefix) == TEST_ROOT / "python"
    assert Path(package).is_relative_to(TEST_ROOT / "python")
    assert not Path(package).is_relative_to(ROOT)
    # a second setup with the same pins keeps the environment (at most the course's package
    # is installed again, when its code changed meanwhile)
    made = (TEST_ROOT / "python/pyvenv.cfg").stat().st_mtime_ns
    environment.prepare_environment(state, ROOT)
    assert (TEST_ROOT / "python/pyvenv.cfg").stat().st_mtime_ns == made
    for name in ("jupyter/instructor/jupyter_server_config.py", "course/01-definitions.ipynb"):
        assert (TEST_ROOT / "course" / name).is_file()


def test_lms_roles_give_the_hub_group():
    lis = "http://purl.imsglobal.org/vocab/lis/v2/"
    learner, teacher = f"{lis}membership#Learner", f"{lis}membership#Instructor"
    assert accounts.groups_for_lti_roles([learner]) == ["students"]
    assert accounts.groups_for_lti_roles([teacher]) == ["instructors"]
    assert accounts.groups_for_lti_roles([learner, teacher]) == ["instructors"]
    assistant = f"{lis}membership/Instructor#TeachingAssistant"
    assert accounts.groups_for_lti_roles([assistant]) == ["instructors"]
    # a role in the institution only (not in this course), or none: no group
    assert accounts.groups_for_lti_roles([f"{lis}institution/person#Instructor"]) == []
    assert accounts.groups_for_lti_roles([]) == []
    # a look-alike URI is not a role
    assert accounts.groups_for_lti_roles([f"{lis}membership#InstructorX"]) == []


def test_the_benchmark_counts_cpu_seconds_from_proc():
    from trafficking_course.hub import bench

    before, start = bench.cpu_of(os.getpid()), time.process_time()
    while time.process_time() - start < 0.3:
        pass
    assert bench.cpu_of(os.getpid()) - before >= 0.25


def test_the_cpu_table_shares_out_the_hub_and_adds_up():
    from trafficking_course.hub import bench

    runs = [bench.StudentRun(f"s{i}", cpu=dict.fromkeys(bench.CPU_PARTS, 1.0)) for i in range(4)]
    lines = bench.cpu_table(runs, {"cpu_hub_s": 8.0, "cpu_proxy_s": 4.0, "cpu_machine_s": 99})
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1] for line in lines
            if line.startswith("| ") and " | " in line and "---" not in line}
    assert rows["the hub (login, spawn, OAuth; shared out)"] == "2.00"
    assert rows["configurable-http-proxy (shared out)"] == "1.00"
    assert rows["total"] == f"{len(bench.CPU_PARTS) + 3:.2f}"


def test_the_report_sets_the_two_ways_of_starting_servers_side_by_side():
    from trafficking_course.hub import bench

    def mode(label, ready, zygote_cpu):
        runs = [bench.StudentRun(f"s{i}", ready_s=ready + i, module_s=5.0, pss_mb=100.0,
                                 rss_mb=150.0, cpu=dict.fromkeys(bench.CPU_PARTS, 1.0))
                for i in range(4)]
        runs.append(bench.StudentRun("s9", error="login refused"))
        machine = {"cores": 2, "students": 5, "load": 0.5, "cells": 7, "wall_s": 60,
                   "cpu_hub_s": 4.0, "cpu_proxy_s": 0.0, "cpu_machine_s": 50,
                   "cpu_zygote_s": zygote_cpu, "zygote_pss_mb": 40.0 if zygote_cpu else 0}
        return bench.ModeRun(label, runs, machine)

    text = bench.report([mode("a new Python for each server", 40.0, 0.0),
                         mode("forked warm by the zygote", 10.0, 8.0)])
    table = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1:] for line in
             text.splitlines() if line.startswith("| ") and "---" not in line}
    assert table["time from login to a ready JupyterLab (s)"] == ["41.5 / 43.0",
                                                                   "11.5 / 13.0 |"]
    # 5 parts of 1.0 each, the hub's 4.0 over 4 students, and the zygote's 8.0 over 4
    assert table["CPU seconds per student, all parts (median)"] == ["6.00", "8.00 |"]
    assert "the zygote (its imports once, the forks; shared out) | 2.00" in text
    assert text.count("Failures: s9: login refused") == 2
    assert "The zygote itself held 40 MiB (PSS), 10.0 MiB per student." in text


def test_a_corrected_course_reaches_a_students_home_and_keeps_their_answers(tmp_path):
    """On the hub, every start brings the course's corrections into the home's notebooks (the
    same three-way merge as `make lab`); the student's edits and answers survive."""
    name = pwd.getpwuid(os.getuid()).pw_name
    roster = accounts.Roster("", (name,))
    source, home = tmp_path / "course-copy", tmp_path / "home"
    for rel in ("course/01-definitions.ipynb", "notebooks/01-how-much.ipynb"):
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, source / rel)
    (source / "data").mkdir()
    (source / "data/table.csv").write_text("a\n1\n")
    (source / "exercises").mkdir()
    (source / "exercises/secret.txt").write_text("solutions")
    home.mkdir()
    assert accounts.copy_course(name, home, source, roster) is True
    assert (home / "data/table.csv").is_file() and not (home / "exercises").exists()
    module = home / "course/01-definitions.ipynb"
    mine = nbformat.read(module, as_version=4)
    mine.cells.append(nbformat.v4.new_markdown_cell("My answer: the means was deception."))
    nbformat.write(mine, module)
    (home / "course/01-definitions.progress.json").write_text('{"quiz": {"q1": "b"}}')
    # the lecturer corrects the module mid-term; the hub's course copy changes
    fixed = nbformat.read(source / "course/01-definitions.ipynb", as_version=4)
    fixed.cells[0].source += "\n\nCorrected by the lecturer."
    nbformat.write(fixed, source / "course/01-definitions.ipynb")
    assert accounts.copy_course(name, home, source, roster) is False   # a later start
    merged = nbformat.read(module, as_version=4)
    assert merged.cells[0].source.endswith("Corrected by the lecturer.")
    assert any(c.source == "My answer: the means was deception." for c in merged.cells)
    assert (home / "course/01-definitions.progress.json").read_text() == '{"quiz": {"q1": "b"}}'
