"""`make hub` end to end: a real JupyterHub with Linux accounts, driven over HTTP as a browser.

The hub runs as `make hub` runs it: from its own Python under its state folder (built once from
the system's Python, kept between runs), on free loopback ports, with accounts of its own
prefix. The instructor and two students log in through the login form and start their servers
through the hub; the instructor creates and releases the fixture assignment with the
formgrader's API (what its buttons call); each student fetches it, answers it and submits it
through nbgrader's Assignments-tab endpoints; the instructor collects (formgrader), autogrades
with the course's parallel autograde (run in the instructor's own kernel), generates and
releases feedback; each student fetches their own. Then: what a student is refused, and that
the hub and every server it started are gone. One real-browser check at the end. A second test
runs two hubs with different prefixes side by side.

Needs root (it creates Linux users, removed at the end) and configurable-http-proxy (make axe
installs it); skips without them on a developer's machine, fails under CI=true. The tests'
state is HUB_TEST_STATE (default /srv/trafficking-course-test): the accounts' Python is kept
there for the next run, everything else is removed after each test.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest

from trafficking_course.errors import HubError
from trafficking_course.hub import accounts, environment
from trafficking_course.hub.client import HubProcess, HubUser

from .browser import ARTIFACTS, chromium_browser, screenshot_on_failure, unavailable
from .conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.slow]

PROXY = ROOT / "node_modules/.bin/configurable-http-proxy"
TEST_ROOT = Path(os.environ.get("HUB_TEST_STATE", "/srv/trafficking-course-test"))
COURSE = accounts.COURSE_ID
P = "hubtest-"  # the test hub's prefix: its accounts never clash with a real hub's
INSTRUCTOR = P + "instructor"
ANSWERS = {  # grade_id of each answer cell -> what each student writes
    P + "student1": {"q1_answer": 'offence = "trafficking"',
                     "q2_answer": 'def count_means(facts):\n    return len(facts.get("means", []))',
                     "q3_written": "Answer of student1: deception vitiates consent, Art. 3(b)."},
    P + "student2": {"q1_answer": 'offence = "trafficking"',
                     "q2_answer": "def count_means(facts):\n    return 1",
                     "q3_written": "Answer of student2: consent is irrelevant."},
}
SCORES = {P + "student1": 5.0, P + "student2": 2.0}  # q1 (2) + q2 (3) auto-graded; q3 manual


def _needs() -> None:
    if os.geteuid() != 0:
        unavailable("the class hub creates Linux users: run the hub test as root")
    if not PROXY.exists():
        unavailable(f"{PROXY} missing: run `make axe` (npm ci) for configurable-http-proxy")
    if not shutil.which("useradd"):
        unavailable("useradd not found")


def hub_state(name: str) -> accounts.HubState:
    """A test hub's state under TEST_ROOT, sharing the tests' course copy and Python."""
    return accounts.HubState(TEST_ROOT / name, env_root=TEST_ROOT)


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


def clear(state: accounts.HubState) -> None:
    """Remove the test hub's accounts and everything but the shared environment."""
    if state.homes.is_dir():
        accounts.remove_accounts(state)
    shutil.rmtree(state.root, ignore_errors=True)


def start_hub(state: accounts.HubState, roster: accounts.Roster, password: str,
              log: Path, env: dict[str, str] | None = None,
              port: int | None = None) -> HubProcess:
    """What `make hub` does, for a test: state, environment, accounts, then the hub."""
    clear(state)  # a run killed before its clean-up left them
    accounts.prepare_folders(state)
    environment.prepare_environment(state, ROOT)
    accounts.prepare_accounts(state, roster, password)
    return HubProcess(state, log, PROXY, env={"HUB_PREFIX": roster.prefix, **(env or {})},
                      password=password, port=port).wait()


def stop_and_clear(the_hub: HubProcess | None, state: accounts.HubState,
                   names: tuple[str, ...]) -> list[str]:
    """Stop the hub, then remove its accounts even if some process of theirs was left."""
    if the_hub is not None:
        the_hub.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(the_hub.log_path, ARTIFACTS / f"hub-{state.root.name}.log")
    left = wait_for_no_processes(names, timeout=30)
    for line in left:  # clean up before failing, so that the accounts can be removed
        subprocess.run(["kill", "-9", line.split()[1]], capture_output=True)
    time.sleep(1 if left else 0)
    clear(state)
    return left


def no_accounts_with(prefix: str) -> None:
    """The test's accounts are gone: no Linux user's name begins with its prefix."""
    assert not [e.pw_name for e in pwd.getpwall() if e.pw_name.startswith(prefix)]


@pytest.fixture
def class_hub(tmp_path):
    _needs()
    state, roster = hub_state("class"), accounts.Roster(P)
    password = "pw-" + os.urandom(6).hex()
    the_hub = None
    try:
        the_hub = start_hub(state, roster, password, tmp_path / "hub.log")
        yield the_hub
    finally:
        left = stop_and_clear(the_hub, state, roster.accounts)
        assert not left, f"processes left after the hub stopped: {left}"
        no_accounts_with(P)


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


def refusals(student: HubUser, state: accounts.HubState) -> None:
    """A student reaches neither the formgrader nor another account's server."""
    own = student.request("GET", "formgrader/api/assignments")
    assert own.status_code == 404  # no formgrader in a student's server
    for server, path in ((INSTRUCTOR, "formgrader"), (INSTRUCTOR, "api/contents"),
                         (P + "student2", "api/contents/fixture/fixture.ipynb"),
                         (P + "student2", "lab")):
        resp = student.request("GET", path, server=server)
        assert resp.status_code == 403, (server, path, resp.status_code, resp.url)
    # and on disk: the homes are the Linux users' own (mode 0700)
    for path in (state.home(P + "student2") / "fixture/fixture.ipynb",
                 state.home(INSTRUCTOR) / "exercises/gradebook.db",
                 state.home(INSTRUCTOR) / "exercises/source/fixture/fixture.ipynb"):
        assert path.exists(), path
        read = subprocess.run(["runuser", "-u", student.name, "--", "cat", str(path)],
                              capture_output=True)
        assert read.returncode != 0 and b"Permission denied" in read.stderr, path


def test_a_class_on_the_hub(class_hub):
    people = {name: HubUser(class_hub.base, name) for name in (INSTRUCTOR, *ANSWERS)}
    for person in people.values():
        person.login(class_hub.password)
    ready = {name: person.wait_ready() for name, person in people.items()}
    instructor = people.pop(INSTRUCTOR)
    lecturers_tools_only_for_the_instructor(instructor, people.values())
    # the course was copied into each home on first start; the lecturers' material only once
    homes = class_hub.state.home
    assert (homes(INSTRUCTOR) / "instructor").is_dir()
    assert (homes(INSTRUCTOR) / "exercises/nbgrader_config.py").is_file()
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
        assert f"Answer of {name.removeprefix(P)}" in page
        others = [other.removeprefix(P) for other in ANSWERS if other != name]
        assert not any(f"Answer of {other}" in page for other in others)
        # nbgrader's header line; a written answer not yet marked by hand is said to be pending
        header = re.search(r"fixture \(Score: ([\d.]+) / 8\.0(\)|; [\d.]+ of these points "
                           r"awaiting your lecturer's mark on \d+ written answers?\))", page)
        assert header and float(header.group(1)) == SCORES[name], page[-3000:]
        assert "BEGIN HIDDEN TESTS" not in page and "hidden: two means" not in page
    refusals(people[P + "student1"], class_hub.state)
    assert all(seconds < 240 for seconds in ready.values())
    browser_opens_module_1(class_hub)


def browser_opens_module_1(class_hub) -> None:
    """Chromium: student3 logs in on the hub's page and opens module 1 in JupyterLab."""
    student3 = P + "student3"
    with chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        with screenshot_on_failure(page, "hub-student-module-1"):
            page.goto(f"{class_hub.base}/hub/login")
            page.fill("#username_input", student3)
            page.fill("#password_input", class_hub.password)
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{student3}/lab**", timeout=240_000)
            page.goto(f"{class_hub.base}/user/{student3}/lab/tree/course/01-definitions.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput h1", timeout=120_000)
            heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first.text_content()
            assert heading and heading.startswith("Module 1")
            assert page.locator("text=Nbgrader").count() == 0  # no lecturers' menu
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "hub-student-module-1.png"))


@pytest.fixture
def two_hubs(tmp_path):
    """Two hubs with different prefixes, each with its own state, running at the same time."""
    _needs()
    rosters = {"side-a": accounts.Roster("hubtesta-"), "side-b": accounts.Roster("hubtestb-")}
    hubs: dict[str, tuple[accounts.HubState, HubProcess | None]] = {}
    try:
        for name, roster in rosters.items():
            state = hub_state(name)
            hubs[name] = (state, None)
            hubs[name] = (state, start_hub(state, roster, f"pw-{name}-" + os.urandom(4).hex(),
                                           tmp_path / f"{name}.log"))
        yield {name: (hub, rosters[name]) for name, (_, hub) in hubs.items()}
    finally:
        for name, (state, the_hub) in hubs.items():
            stop_and_clear(the_hub, state, rosters[name].accounts)
        for roster in rosters.values():
            no_accounts_with(roster.prefix)


def test_two_hubs_with_different_prefixes_run_side_by_side(two_hubs, tmp_path):
    (hub_a, roster_a), (hub_b, roster_b) = two_hubs["side-a"], two_hubs["side-b"]
    for the_hub, roster, other in ((hub_a, roster_a, hub_b), (hub_b, roster_b, hub_a)):
        student = roster.students[0]
        HubUser(the_hub.base, student).login(the_hub.password, then="/hub/home")
        with pytest.raises(HubError, match="refused the login"):  # not a user of the other hub
            HubUser(other.base, student).login(other.password, then="/hub/home")
    # the accounts of one are removed without touching the other's
    accounts.remove_accounts(hub_a.state)
    no_accounts_with(roster_a.prefix)
    assert all(pwd.getpwnam(name) for name in roster_b.accounts)
    # a third hub with b's prefix stops at b's accounts, and names the command that clears them
    third = hub_state("side-c")
    try:
        accounts.prepare_folders(third)
        with pytest.raises(HubError) as err:
            accounts.prepare_accounts(third, roster_b, "pw")
        assert f"make hub-remove HUB_STATE={hub_b.state.root}" in str(err.value)
        assert "HUB_PREFIX=" in str(err.value)
    finally:
        clear(third)
