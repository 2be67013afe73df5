"""`make site` builds the course book: every notebook executed, figures with alt text, and on
each notebook page links that open the notebook in JupyterLite (built beside the book) and on
Binder. Built once per session into a temporary folder with the same `make site` as a user.
"""

from __future__ import annotations

import fcntl
import json
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from .browser import (
    ARTIFACTS,
    IN_CI,
    chromium_browser,
    screenshot_on_failure,
    session_dir,
    static_server,
    unavailable,
)
from .conftest import ROOT
from .test_lite import lite_site  # noqa: F401 - builds .venv-lite first, under its lock

pytestmark = pytest.mark.slow


def _book_notebooks() -> list[Path]:
    found = []
    for d in ("course", "notebooks"):
        base = ROOT / d
        if base.is_dir():
            found += [p for p in base.rglob("*.ipynb")
                      if ".ipynb_checkpoints" not in p.parts and "instructor" not in p.parts]
    return sorted(found)


@pytest.fixture(scope="session")
def book(tmp_path_factory, lite_site) -> Path:  # noqa: F811 - the fixture imported above
    shared = session_dir(tmp_path_factory, "site-build")
    output = shared / "book"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        failure = shared / "failure.txt"
        if not (output / "index.html").exists() and not failure.exists():
            planted = _plant_progress_file()
            lite_dir = shared / "lite"
            if not lite_dir.exists():
                shutil.copytree(ROOT / "lite", lite_dir, ignore=shutil.ignore_patterns(
                    "_output", "_build", ".cache", "*.db"))
            try:
                result = subprocess.run(
                    ["make", "--no-print-directory", "site", f"SITE_OUTPUT={output}",
                     f"SITE_STAGE={shared / 'src'}", f"LITE_DIR={lite_dir}",
                     f"LITE_STAGE={shared / 'lite-stage'}"],
                    cwd=ROOT, capture_output=True, text=True, timeout=1500)
            finally:
                if planted:
                    PLANTED.unlink(missing_ok=True)
            if result.returncode != 0:
                failure.write_text(result.stdout + result.stderr)
        if failure.exists():
            text = failure.read_text()
            if not IN_CI and ".venv-site" in text and "pip" in text:
                unavailable(f"could not create the book's build venv:\n{text[-2000:]}")
            pytest.fail(f"`make site` failed:\n{text[-4000:]}", pytrace=False)
    return output


# A builder's own progress file, with answers, planted beside module 1 while the book builds
PLANTED = ROOT / "course/01-definitions.progress.json"
PLANTED_MARK = "planted-answer-3f9c1e"


def _plant_progress_file() -> bool:
    """Plant the file unless a real learner's file is there (then it is left alone)."""
    if PLANTED.exists():
        return False
    PLANTED.write_text(json.dumps({"format": "trafficking-course-progress", "version": 1,
                                   "answers": {"quiz:01-definitions": {"note": PLANTED_MARK}}}))
    return True


def _page(book: Path, notebook: Path) -> BeautifulSoup:
    html = book / notebook.relative_to(ROOT).with_suffix(".html")
    assert html.is_file(), f"no page for {notebook.relative_to(ROOT)}"
    return BeautifulSoup(html.read_text(), "html.parser")


def test_every_notebook_is_a_page_of_the_book(book):
    notebooks = _book_notebooks()
    assert notebooks
    index = BeautifulSoup((book / "index.html").read_text(), "html.parser")
    linked = {a["href"].split("#")[0] for a in index.select("nav a[href]")}
    for nb in notebooks:
        rel = nb.relative_to(ROOT).with_suffix(".html").as_posix()
        assert rel in linked, f"{rel} is not in the book's table of contents"
        _page(book, nb)


def test_pages_show_executed_outputs(book):
    for nb_path in _book_notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        if not any(c.cell_type == "code" and c.source.strip() for c in nb.cells):
            continue
        page = _page(book, nb_path)
        outputs = page.select("div.cell_output")
        assert outputs, f"{nb_path.name}: the book shows no executed output"
        assert not page.select("div.cell_output .ansi-red-fg, div.cell_output .output.traceback"), \
            f"{nb_path.name}: an output in the book is an error"
    start = _page(book, ROOT / "course/00-start-here.ipynb")
    assert "trafficking_course version" in start.get_text()


def test_every_figure_has_alt_text(book):
    images = 0
    for page_path in book.rglob("*.html"):
        if "lite" in page_path.relative_to(book).parts or page_path.name in {
                "genindex.html", "search.html"}:
            continue
        page = BeautifulSoup(page_path.read_text(), "html.parser")
        for img in page.select("article img"):
            images += 1
            alt = (img.get("alt") or "").strip()
            src = img.get("src", "")
            assert alt, f"{page_path.relative_to(book)}: image {src} has no alt text"
            assert Path(alt).name != Path(src).name and not alt.endswith(".png"), \
                f"{page_path.relative_to(book)}: image {src} has a file name as alt text"


def test_each_notebook_page_links_to_jupyterlite_and_binder(book):
    for nb in _book_notebooks():
        rel = nb.relative_to(ROOT).as_posix()
        page = _page(book, nb)
        nav = page.select_one("nav.tc-launch")
        assert nav is not None, f"{rel}: no launch links"
        lite = urllib.parse.urlsplit(nav.select_one("a.tc-launch-lite")["href"])
        page_dir = (book / rel).parent
        target = (page_dir / lite.path).resolve()
        assert target == (book / "lite/lab/index.html").resolve() and target.is_file(), lite
        path = urllib.parse.parse_qs(lite.query)["path"][0]
        assert path == rel and (book / "lite/files" / path).is_file(), path
        binder = urllib.parse.urlsplit(nav.select_one("a.tc-launch-binder")["href"])
        assert binder.path.startswith("/v2/gh/"), binder
        assert urllib.parse.parse_qs(binder.query)["urlpath"] == [f"lab/tree/{rel}"]
        assert "JupyterLite" in nav.get_text() and "Binder" in nav.get_text()


@pytest.mark.browser
def test_book_link_opens_the_notebook_in_jupyterlite(book):
    with static_server(book) as base, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        with screenshot_on_failure(page, "site-to-lite"):
            page.goto(f"{base}/course/00-start-here.html")
            page.get_by_role("link", name="Open this notebook in JupyterLite").first.click()
            page.wait_for_url("**/lite/lab/**")
            heading = page.locator(".jp-NotebookPanel .jp-MarkdownOutput h1").first
            heading.wait_for(timeout=60_000)
            assert "Start here" in heading.text_content()


@pytest.mark.browser
def test_book_pages_pass_axe(book):
    """axe-core over the article of every notebook page (the theme's frame is not ours).

    One narrow exception: the empty header cells that pandas itself lays out in a DataFrame's
    table head (the corner above the index, and the blanks beside an index name). axe's
    empty-table-header is a best-practice rule, not a WCAG criterion, and these cells head
    nothing; every header cell with content, and every other rule, is checked.
    """
    from .test_browser import _axe_report, _axe_source

    axe = _axe_source()
    with static_server(book) as base, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for nb in _book_notebooks():
            rel = nb.relative_to(ROOT).with_suffix(".html").as_posix()
            with screenshot_on_failure(page, f"site-axe-{rel}"):
                page.goto(f"{base}/{rel}")
                page.add_script_tag(content=axe)
                result = page.evaluate(
                    """async () => await axe.run({
                        include: [['main article']],
                        exclude: [['table.dataframe > thead th:empty']],
                      }, {
                        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',
                                                        'wcag21aa', 'best-practice']},
                        resultTypes: ['violations']})""")
                assert not result["violations"], f"{rel}:\n" + _axe_report(result["violations"])


def test_the_book_never_includes_progress_files(book):
    """make site copies course/ with whatever progress files a builder has: none may reach
    the book (they hold the builder's answers, the feedback that reveals the right ones)."""
    assert not list(book.rglob("*.progress.json*"))
    for path in book.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".ipynb", ".txt", ".js"}:
            assert PLANTED_MARK not in path.read_text(errors="ignore"), path


def _activity_pages(book: Path) -> list[Path]:
    pages = [book / nb.relative_to(ROOT).with_suffix(".html") for nb in _book_notebooks()]
    return [p for p in pages if "widget-view+json" in p.read_text()]


def test_widgets_javascript_is_served_from_the_book(book):
    pages = _activity_pages(book)
    assert len(pages) >= 4, [p.name for p in pages]   # modules 1, 4, 7, 9 at least
    for page_path in pages:
        page = BeautifulSoup(page_path.read_text(), "html.parser")
        srcs = [s.get("src", "") for s in page.select("script[src]")]
        assert not [s for s in srcs if re.match(r"(https?:)?//", s)], (page_path.name, srcs)
        for name in ("require.js", "widgets-config.js", "embed-amd.js"):
            local = [s for s in srcs if s.split("?")[0].endswith(f"_static/{name}")]
            assert local, f"{page_path.name}: {name} is not loaded from the book"
            target = (page_path.parent / local[0].split("?")[0]).resolve()
            assert target.is_file() and target.stat().st_size > 200, target
        assert page.select('script[type="application/vnd.jupyter.widget-state+json"]'), \
            f"{page_path.name}: no widget state, so the activity cannot show its static picture"


def test_each_activity_says_where_it_runs(book):
    for page_path in _activity_pages(book):
        page = BeautifulSoup(page_path.read_text(), "html.parser")
        views = page.select('script[type="application/vnd.jupyter.widget-view+json"]')
        notes = page.select("p.tc-activity-note")
        assert len(notes) == len(views), page_path.name
        for note in notes:
            links = {a.get_text(): a["href"] for a in note.select("a")}
            assert set(links) == {"JupyterLite", "Binder"}, links
            assert "lite/lab/index.html?path=" in links["JupyterLite"]
            assert "/v2/gh/" in links["Binder"]


@pytest.mark.browser
def test_book_activities_show_their_static_state_offline(book):
    """Module 1's page in Chromium with every request off this machine refused: the widgets
    render (not a zero-height box) from the book's own JavaScript."""
    with static_server(book) as base, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        outside: list[str] = []

        def route(r):
            if r.request.url.startswith(base):
                return r.continue_()
            outside.append(r.request.url)
            return r.abort()

        page.route("**/*", route)
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        with screenshot_on_failure(page, "site-widgets-offline"):
            page.goto(f"{base}/course/01-definitions.html")
            classifier = page.locator(".tc-scenario-classifier").first
            classifier.wait_for(timeout=60_000)
            box = classifier.bounding_box()
            assert box and box["height"] > 200, box
            assert "Scenario 1 of" in classifier.text_content()
            # a static picture's controls are visibly switched off, never a tick that seems
            # to work before a Check that cannot answer
            boxes = classifier.locator("input[type=checkbox]")
            boxes.first.wait_for(timeout=30_000)
            assert boxes.count() and all(boxes.nth(i).is_disabled()
                                         for i in range(boxes.count()))
            check = classifier.get_by_role("button", name="Check answer")
            assert check.is_disabled()
            assert "do nothing in the book" in page.locator("p.tc-activity-note").first.inner_text()
            # every radio option (the quiz's too) keeps its button on its first line, so a long
            # option wraps beside its button, not above and to the left of it
            misplaced = page.evaluate("""() => [...document.querySelectorAll(
                    '.tc-widget .widget-radio-box label')].filter(l => {
                const i = l.querySelector('input'); if (!i) return false;
                const r = i.getBoundingClientRect(), q = l.getBoundingClientRect();
                return r.height > 0 && (r.top - q.top > 12 || r.left - q.left > 12);
              }).map(l => l.textContent.trim().slice(0, 40))""")
            assert not misplaced, misplaced
            page.locator(".tc-element-explorer").first.scroll_into_view_if_needed()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "book-01-definitions.png"), full_page=True)
        assert not outside, outside
        assert not missing, f"files the widgets asked for are not in the book: {missing}"


def test_download_gives_the_notebook_itself(book):
    """The page's Download -> .ipynb link leads to the notebook, not to an empty _sources/."""
    page_path = book / "course/01-definitions.html"
    page = BeautifulSoup(page_path.read_text(), "html.parser")
    links = [a.get("href", "") for a in page.select("a[href]")
             if a.get("href", "").split("?")[0].endswith(".ipynb") and "_sources" in a["href"]]
    assert links, "no download link to the notebook on the page"
    target = (page_path.parent / links[0].split("?")[0]).resolve()
    assert target.is_file(), target
    nb = nbformat.read(target, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
