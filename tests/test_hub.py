"""`make hub` end to end: a real JupyterHub with Linux accounts, driven over HTTP as a browser.

The hub (hub/jupyterhub_config.py) runs as a subprocess on free loopback ports with its state in
a fresh folder. The instructor and two students log in through the login form and start their
servers through the hub; the instructor creates and releases the fixture assignment with the
formgrader's API (what its buttons call); each student fetches it, answers it and submits it
through nbgrader's Assignments-tab endpoints; the instructor collects (formgrader), autogrades
with the course's parallel autograde (run in the instructor's own kernel), generates and
releases feedback; each student fetches their own. Then: what a student is refused, and that
the hub and every server it started are gone. One real-browser check at the end.

Needs root (it creates Linux users, removed at the end) and configurable-http-proxy (make axe
installs it); skips without them on a developer's machine, fails under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from trafficking_course import hub
from trafficking_course.hubclient import HubProcess, HubUser

from .browser import ARTIFACTS, chromium_browser, screenshot_on_failure, unavailable
from .conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.slow]

PROXY = ROOT / "node_modules/.bin/configurable-http-proxy"
COURSE = hub.COURSE_ID
ANSWERS = {  # grade_id of each answer cell -> what each student writes
    "student1": {"q1_answer": 'offence = "trafficking"',
                 "q2_answer": 'def count_means(facts):\n    return len(facts.get("means", []))',
                 "q3_written": "Answer of student1: deception vitiates consent, Art. 3(b)."},
    "student2": {"q1_answer": 'offence = "trafficking"',
                 "q2_answer": "def count_means(facts):\n    return 1",
                 "q3_written": "Answer of student2: consent is irrelevant."},
}
SCORES = {"student1": 5.0, "student2": 2.0}  # q1 (2) + q2 (3) auto-graded; q3 is manual


def _needs() -> None:
    if os.geteuid() != 0:
        unavailable("the class hub creates Linux users: run the hub test as root")
    if not PROXY.exists():
        unavailable(f"{PROXY} missing: run `make axe` (npm ci) for configurable-http-proxy")
    if not shutil.which("useradd"):
        unavailable("useradd not found")


def processes_of(names) -> list[str]:
    out = subprocess.run(["ps", "-eo", "user:32=,pid=,args="], capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line.split(None, 1)[0] in names]


def wait_for_no_processes(names, timeout: float) -> list[str]:
    """The accounts' processes still running after timeout seconds (servers shut down their
    kernels first, which takes a few seconds on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while (left := processes_of(names)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


@pytest.fixture
def class_hub(tmp_path):
    _needs()
    state = hub.HubState(Path(tempfile.mkdtemp(prefix="course-hub-", dir="/tmp")))
    password = "pw-" + os.urandom(6).hex()
    the_hub = None
    try:
        hub.prepare(state, password)
        the_hub = HubProcess(state, ROOT / "hub/jupyterhub_config.py", tmp_path / "hub.log",
                             password=password).wait()
        yield the_hub
    finally:
        if the_hub is not None:
            the_hub.stop()
            ARTIFACTS.mkdir(exist_ok=True)
            shutil.copy(the_hub.log_path, ARTIFACTS / "hub.log")
        left = wait_for_no_processes(hub.ACCOUNTS, timeout=30)
        for line in left:  # clean up before failing, so that the accounts can be removed
            subprocess.run(["kill", "-9", line.split()[1]], capture_output=True)
        time.sleep(1 if left else 0)
        hub.remove_accounts(state)
        shutil.rmtree(state.root, ignore_errors=True)
        assert not left, f"processes left after the hub stopped: {left}"
        for name in hub.ACCOUNTS:
            assert subprocess.run(["id", name], capture_output=True).returncode != 0, name


def answer(user: HubUser, path: str, answers: dict[str, str]) -> None:
    """Write answers into the fetched notebook through the contents API (as JupyterLab saves)."""
    model = user.api("GET", f"api/contents/{path}", params={"content": 1})
    nb = nbformat.from_dict(model["content"])
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    user.api("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json",
                                                 "content": nb})


def release_fixture(instructor: HubUser) -> None:
    """The instructor creates the assignment in their source/ and releases it (formgrader)."""
    nb = nbformat.read(FIXTURES / "grading/source/fixture/fixture.ipynb", as_version=4)
    instructor.api("PUT", "api/contents/exercises/source/fixture", json={"type": "directory"})
    instructor.api("PUT", "api/contents/exercises/source/fixture/fixture.ipynb",
                   json={"type": "notebook", "format": "json", "content": nb})
    for step in ("assign", "release"):
        result = instructor.api("POST", f"formgrader/api/assignment/fixture/{step}")
        assert result["success"], result.get("log", result)[-3000:]


def grade(instructor: HubUser) -> dict[str, float]:
    """Collect (formgrader), the course's autograde in the instructor's kernel, feedback."""
    assert instructor.api("POST", "formgrader/api/assignment/fixture/collect")["success"]
    [run] = instructor.run_code([
        "import subprocess, sys\n"
        "p = subprocess.run([sys.executable, '-m', 'trafficking_course', 'grading', 'autograde',"
        " 'fixture', '--workers', '2', '--no-progress'], capture_output=True, text=True)\n"
        "print(p.returncode, p.stdout[-2000:], p.stderr[-2000:])"])
    assert run["status"] == "ok" and run["text"].startswith("0 "), run["text"]
    assert "(2 graded)" in run["text"] and "failed" not in run["text"], run["text"]
    subs = instructor.api("GET", "formgrader/api/submissions/fixture")
    for step in ("generate_feedback", "release_feedback"):
        result = instructor.api("POST", f"formgrader/api/assignment/fixture/{step}")
        assert result["success"], result.get("log", result)[-3000:]
    return {s["student"]: s["score"] for s in subs if s["student"] in SCORES}


def disabled_lab_extensions(user: HubUser) -> set[str]:
    html = user.request("GET", "lab").text
    found = re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S)
    assert found, f"no JupyterLab page config for {user.name}"
    return set(json.loads(found.group(1))["disabledExtensions"])


def lecturers_tools_only_for_the_instructor(instructor: HubUser, students) -> None:
    """Students: the Assignments tab only; the instructor: every nbgrader tool."""
    tools = {"@jupyter/nbgrader:menu", "@jupyter/nbgrader:create-assignment",
             "@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:formgrader",
             "@jupyter/nbgrader:course-list"}
    for student in students:
        disabled = disabled_lab_extensions(student)
        assert tools <= disabled and "@jupyter/nbgrader:assignment-list" not in disabled
    assert not {*tools, "@jupyter/nbgrader:assignment-list"} & disabled_lab_extensions(instructor)


def refusals(student: HubUser, state: hub.HubState) -> None:
    """A student reaches neither the formgrader nor another account's server."""
    own = student.request("GET", "formgrader/api/assignments")
    assert own.status_code == 404  # no formgrader in a student's server
    for server, path in (("instructor", "formgrader"), ("instructor", "api/contents"),
                         ("student2", "api/contents/fixture/fixture.ipynb"),
                         ("student2", "lab")):
        resp = student.request("GET", path, server=server)
        assert resp.status_code == 403, (server, path, resp.status_code, resp.url)
    # and on disk: the homes are the Linux users' own (mode 0700)
    for path in (state.home("student2") / "fixture/fixture.ipynb",
                 state.home("instructor") / "exercises/gradebook.db",
                 state.home("instructor") / "exercises/source/fixture/fixture.ipynb"):
        assert path.exists(), path
        read = subprocess.run(["runuser", "-u", student.name, "--", "cat", str(path)],
                              capture_output=True)
        assert read.returncode != 0 and b"Permission denied" in read.stderr, path


def test_a_class_on_the_hub(class_hub):
    people = {name: HubUser(class_hub.base, name) for name in ("instructor", *ANSWERS)}
    for person in people.values():
        person.login(class_hub.password)
    ready = {name: person.wait_ready() for name, person in people.items()}
    instructor = people.pop("instructor")
    lecturers_tools_only_for_the_instructor(instructor, people.values())
    # the course was copied into each home on first start; the lecturers' material only once
    homes = class_hub.state.home
    assert (homes("instructor") / "instructor").is_dir()
    assert (homes("instructor") / "exercises/nbgrader_config.py").is_file()
    for name in ANSWERS:
        assert (homes(name) / "course/01-definitions.ipynb").is_file()
        assert not (homes(name) / "instructor").exists()
        assert not (homes(name) / "exercises").exists()
    release_fixture(instructor)
    for name, student in people.items():
        listed = student.nbgrader("list", course_id=COURSE)
        assert [a["assignment_id"] for a in listed] == ["fixture"]
        student.nbgrader("fetch", course_id=COURSE, assignment_id="fixture")
        answer(student, "fixture/fixture.ipynb", ANSWERS[name])
        student.nbgrader("submit", course_id=COURSE, assignment_id="fixture")
    assert grade(instructor) == SCORES
    for name, student in people.items():
        student.nbgrader("fetch_feedback", course_id=COURSE, assignment_id="fixture")
        folder = student.api("GET", "api/contents/fixture/feedback")["content"]
        [stamp] = [f["path"] for f in folder]
        page = student.request("GET", f"files/{stamp}/fixture.html").text
        assert f"Answer of {name}" in page
        others = [other for other in ANSWERS if other != name]
        assert not any(f"Answer of {other}" in page for other in others)
        assert f"fixture (Score: {SCORES[name]:.1f} / 8.0)" in page  # nbgrader's header line
        assert "BEGIN HIDDEN TESTS" not in page and "hidden: two means" not in page
    refusals(people["student1"], class_hub.state)
    assert all(seconds < 240 for seconds in ready.values())
    browser_opens_module_1(class_hub)


def browser_opens_module_1(class_hub) -> None:
    """Chromium: student3 logs in on the hub's page and opens module 1 in JupyterLab."""
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        with screenshot_on_failure(page, "hub-student-module-1"):
            page.goto(f"{class_hub.base}/hub/login")
            page.fill("#username_input", "student3")
            page.fill("#password_input", class_hub.password)
            page.click("#login_submit")
            page.wait_for_url("**/user/student3/lab**", timeout=240_000)
            page.goto(f"{class_hub.base}/user/student3/lab/tree/course/01-definitions.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput h1", timeout=120_000)
            heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first.text_content()
            assert heading and heading.startswith("Module 1")
            assert page.locator("text=Nbgrader").count() == 0  # no lecturers' menu
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "hub-student-module-1.png"))
