"""`make lab` really serves the course: start it, poll /api/status, stop it by its pid."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from trafficking_course.processes import stop_group

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_make_lab_serves_the_course(tmp_path):
    port, token = free_port(), secrets.token_hex(16)
    args = f"--no-browser --ServerApp.ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 " \
           f"--IdentityProvider.token={token}"
    log = (tmp_path / "lab.log").open("w")
    mine = tmp_path / "my-course"
    proc = subprocess.Popen(["make", "--no-print-directory", "lab", f"LAB_ARGS={args}",
                             f"MY_COURSE={mine}"], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status, deadline = None, time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/status",
                                         headers={"Authorization": f"token {token}"})
            try:
                with urllib.request.urlopen(req, timeout=2) as resp:
                    status = json.load(resp)
                    break
            except OSError:
                time.sleep(0.5)
        text = (tmp_path / "lab.log").read_text()
        assert status is not None, f"JupyterLab did not answer on port {port}:\n{text}"
        assert "started" in status
        # the course is served from the student's own copy, not from the tracked files
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/contents/course/00-start-here.ipynb?content=0",
            headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert json.load(resp)["type"] == "notebook"
        assert (mine / "course/00-start-here.ipynb").is_file()
        assert (mine / "notebooks").is_dir()
        # the URL printed for the user opens the start page, not the Launcher
        printed = re.search(rf"http://127\.0\.0\.1:{port}(/\S*)\?token=", text)
        assert printed, text
        assert printed.group(1) == "/lab/tree/course/00-start-here.ipynb", printed.group(0)
        req = urllib.request.Request(f"http://127.0.0.1:{port}{printed.group(1)}",
                                     headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=5) as resp:
            assert resp.status == 200
        if os.geteuid() == 0:
            assert "--allow-root" in text
    finally:
        stop_group(proc)
        log.close()


NBGRADER_LAB = {"@jupyter/nbgrader:menu", "@jupyter/nbgrader:create-assignment",
                "@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:formgrader",
                "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list"}
NBGRADER_SERVER = ["formgrader", "validate_assignment", "assignment_list", "course_list"]


class _Lab:
    """`make <target>` on a free loopback port; get() answers (status, body) with the token."""

    def __init__(self, target: str, log_path):
        self.port, self.token, self.log_path = free_port(), secrets.token_hex(16), log_path
        args = f"--no-browser --ServerApp.ip=127.0.0.1 --port={self.port} " \
               f"--ServerApp.port_retries=0 --IdentityProvider.token={self.token}"
        self._log = log_path.open("w")
        self.root = log_path.parent / f"my-course-{self.port}"
        self.proc = subprocess.Popen(["make", "--no-print-directory", target, f"LAB_ARGS={args}",
                                      f"MY_COURSE={self.root}"],
                                     cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def get(self, path: str) -> tuple[int, str]:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                     headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def wait(self) -> _Lab:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if self.get("/api/status")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"no answer on {self.port}:\n{self.log_path.read_text()}")

    def page_config(self) -> dict:
        status, html = self.get("/lab")
        assert status == 200
        found = re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', html, re.S)
        assert found, "no page config in /lab"
        return json.loads(found.group(1))

    def stop(self) -> str:
        stop_group(self.proc)
        self._log.close()
        return self.log_path.read_text()


def _notification_defaults(lab: _Lab) -> dict:
    status, body = lab.get("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert status == 200
    props = json.loads(body)["schema"]["properties"]
    return {key: props[key]["default"] for key in ("fetchNews", "checkForUpdates")}


@pytest.mark.slow
def test_student_lab_has_no_lecturers_tools(tmp_path):
    lab = _Lab("lab", tmp_path / "student.log").wait()
    try:
        config = lab.page_config()
        assert set(config["disabledExtensions"]) >= NBGRADER_LAB
        # the server extensions are not loaded: their pages and APIs are not there
        for path in ("/formgrader", "/formgrader/api/assignments", "/assignments",
                     "/courses", "/nbgrader/validate"):
            assert lab.get(path)[0] == 404, path
        # no news pop-up and no update check: the defaults come from the repository
        assert _notification_defaults(lab) == {"fetchNews": "false", "checkForUpdates": False}
        status, body = lab.get("/api/contents")
        names = {item["name"] for item in json.loads(body)["content"]}
        # the course and nothing of the machinery (the student's copy, not the repository)
        assert names == {"course", "notebooks", "README-my-course.md"}, names
        status, body = lab.get("/api/contents/course")
        listed = {item["name"] for item in json.loads(body)["content"]}
        assert "instructor" not in listed and "00-start-here.ipynb" in listed
        assert not {n for n in listed if n.endswith(".progress.json")}
    finally:
        log = lab.stop()
    for name in NBGRADER_SERVER:
        assert f"nbgrader.server_extensions.{name} | extension was successfully" not in log
    assert "nbgrader_config.py" not in log
    # no warning in a student's log, apart from the 404s the test asked for
    warnings = [line for line in log.splitlines()
                if line.startswith("[W ") and " 404 GET " not in line]
    assert not warnings


@pytest.mark.slow
def test_instructor_lab_has_the_formgrader(tmp_path):
    lab = _Lab("lab-instructor", tmp_path / "instructor.log").wait()
    try:
        assert not NBGRADER_LAB & set(lab.page_config()["disabledExtensions"])
        assert lab.get("/formgrader")[0] in {200, 302}
        status, body = lab.get("/formgrader/api/assignments")
        assert status == 200
        # the formgrader reads the course's own nbgrader config: its assignments are listed
        assert {"definitions", "case"} <= {a["name"] for a in json.loads(body)}
        assert _notification_defaults(lab) == {"fetchNews": "false", "checkForUpdates": False}
    finally:
        log = lab.stop()
    for name in NBGRADER_SERVER:
        assert f"nbgrader.server_extensions.{name} | extension was successfully loaded" in log
    assert "No nbgrader_config.py file found" not in log


@pytest.mark.slow
@pytest.mark.browser
def test_in_chromium_a_student_never_meets_the_lecturers_tools(tmp_path):
    """Student: no Nbgrader menu, no instructor/ folder, no news toast; lecturer: the menu."""
    from playwright.sync_api import expect

    from .browser import ARTIFACTS, chromium_browser, screenshot_on_failure

    with chromium_browser() as browser:
        for target, has_tools in (("lab", False), ("lab-instructor", True)):
            lab = _Lab(target, tmp_path / f"{target}.log").wait()
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            try:
                with screenshot_on_failure(page, f"make-{target}"):
                    # the student follows the printed URL (the server's root): the start page
                    # opens; the lecturer goes to /lab
                    path = "/lab/workspaces/lecturer-test" if has_tools else "/"
                    page.goto(f"http://127.0.0.1:{lab.port}{path}?token={lab.token}&reset")
                    page.wait_for_selector(".jp-DirListing-item", timeout=120_000)
                    if not has_tools:
                        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
                        expect(tab).to_contain_text("00-start-here.ipynb", timeout=60_000)
                    page.wait_for_timeout(1500)  # let late plugins add their menus
                    menus = page.locator(".lm-MenuBar-itemLabel").all_text_contents()
                    assert ("Nbgrader" in menus) is has_tools, menus
                    files = page.locator(".jp-DirListing-itemText").all_text_contents()
                    # the student's file browser opens in the course's folder
                    assert ("01-definitions.ipynb" if not has_tools else "course") in files
                    assert ("instructor" in files) is has_tools, files
                    assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / f"make-{target}.png"))
            finally:
                page.close()
                lab.stop()
