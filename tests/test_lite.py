"""`make lite` builds a JupyterLite site that holds the course, the data and the package wheel.

The site is built once per test session (shared between xdist workers through a lock) from a
copy of lite/'s configuration into a temporary folder, with the same `make lite` a learner runs.
Pyodide itself loads from its CDN at run time, which this machine cannot reach: the tests check
the build and the user interface (files listed, a notebook opens), not the in-browser kernel.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import nbformat
import pytest

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

pytestmark = pytest.mark.slow

LEARNER_DIRS = ("course", "notebooks", "data")


def _learner_files() -> list[str]:
    """Repository files a learner should find in JupyterLite (lecturers' notes excluded)."""
    files = []
    for d in LEARNER_DIRS:
        for p in sorted((ROOT / d).rglob("*")):
            rel = p.relative_to(ROOT)
            if (p.is_file() and ".ipynb_checkpoints" not in rel.parts
                    and "instructor" not in rel.parts and not p.name.endswith(".progress.json")
                    and "__pycache__" not in rel.parts):
                files.append(rel.as_posix())
    return files


def _make_lite(work: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    lite_dir = work / "lite"
    if not lite_dir.exists():
        shutil.copytree(ROOT / "lite", lite_dir,
                        ignore=shutil.ignore_patterns("_output", "_build", ".cache", "*.db"))
    return subprocess.run(
        ["make", "--no-print-directory", "lite", f"LITE_DIR={lite_dir}",
         f"LITE_OUTPUT={output}", f"LITE_STAGE={work / 'stage'}", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def lite_site(tmp_path_factory) -> Path:
    """The JupyterLite site, built once for the whole (possibly distributed) session."""
    shared = session_dir(tmp_path_factory, "lite-build")
    output = shared / "site"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        failure = shared / "failure.txt"
        if not (output / "jupyter-lite.json").exists() and not failure.exists():
            result = _make_lite(shared, output)
            if result.returncode != 0:
                failure.write_text(result.stdout + result.stderr)
        if failure.exists():
            text = failure.read_text()
            if not IN_CI and ".venv-lite" in text and "pip" in text:
                unavailable(f"could not create the JupyterLite build venv:\n{text[-2000:]}")
            pytest.fail(f"`make lite` failed:\n{text[-4000:]}", pytrace=False)
    return output


def test_site_holds_course_notebooks_and_data(lite_site):
    expected = _learner_files()
    assert any(f.startswith("course/") and f.endswith(".ipynb") for f in expected)
    missing = [f for f in expected if not (lite_site / "files" / f).is_file()]
    assert not missing, f"not in the JupyterLite site: {missing}"
    # the contents API that the file browser reads lists them too
    listing = json.loads((lite_site / "api/contents/course/all.json").read_text())
    names = {item["name"] for item in listing["content"]}
    assert {Path(f).name for f in expected if f.startswith("course/")
            and f.count("/") == 1} <= names
    # lecturers' notes stay out of the learner's site
    assert not (lite_site / "files/course/instructor").exists()


def test_notebooks_install_the_package_first_in_the_browser(lite_site):
    """Each notebook in the site runs `%pip install trafficking_course` as its first code cell;
    apart from that one cell the site's copy is the course's notebook, unchanged."""
    notebooks = [f for f in _learner_files() if f.endswith(".ipynb")]
    for rel in notebooks:
        site_nb = nbformat.read(lite_site / "files" / rel, as_version=4)
        repo_nb = nbformat.read(ROOT / rel, as_version=4)
        code = [c for c in site_nb.cells if c.cell_type == "code"]
        assert code and "jupyterlite-install" in code[0].metadata.get("tags", []), rel
        assert "%pip install -q trafficking_course" in code[0].source, rel
        first = site_nb.cells.index(code[0])
        # just before it, what to do if Python cannot be loaded (the kernel shows "Unknown")
        note = site_nb.cells[first - 1]
        assert "jupyterlite-note" in note.metadata.get("tags", []), rel
        assert "*Unknown*" in note.source and "could not download Python" in note.source
        rest = [c for c in site_nb.cells if c is not code[0] and c is not note]
        assert [(c.cell_type, c.source) for c in rest] == \
            [(c.cell_type, c.source) for c in repo_nb.cells], rel
        assert all(c.cell_type == "markdown" for c in site_nb.cells[:first]), rel
        # the repository's notebooks stay platform-neutral
        assert not any("%pip" in c.source for c in repo_nb.cells), rel


def test_package_wheel_is_indexed_for_pip_install(lite_site):
    index = json.loads((lite_site / "pypi/all.json").read_text())
    assert "trafficking-course" in index, sorted(index)
    releases = index["trafficking-course"]["releases"]
    (files,) = releases.values()
    wheel = lite_site / "pypi" / files[0]["filename"]
    assert wheel.name.endswith("-py3-none-any.whl"), "the package must stay pure Python"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [line.split(":", 1)[1].strip().split(";")[0]
                    for line in zf.read(meta).decode().splitlines()
                    if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert "trafficking_course/__init__.py" in names
    assert any(n.startswith("trafficking_course/_data/") for n in names), "data not in wheel"
    # what the wheel pulls in must exist for Pyodide: nothing from the course's server side
    required = {r.split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in requires}
    assert not required & {"jupyterlab", "nbgrader", "notebook", "papermill", "jupyter-server"}
    # the jupyter-lite.json tells the kernel to look there for %pip install
    config = json.loads((lite_site / "jupyter-lite.json").read_text())
    plugin = config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    assert any(u.split("?")[0] == "./pypi/all.json" for u in plugin["pipliteUrls"])


def test_build_bundles_no_server_extensions_and_no_source_maps(lite_site):
    extensions = {p.parent.relative_to(lite_site / "extensions").as_posix()
                  for p in (lite_site / "extensions").glob("**/package.json")}
    assert "@jupyter-widgets/jupyterlab-manager" in extensions  # the widgets render
    assert "@jupyterlite/pyodide-kernel-extension" in extensions
    assert not [e for e in extensions if "nbgrader" in e], extensions
    maps = [p for p in lite_site.rglob("*.map")]
    assert not maps, maps[:5]
    # the JupyterLab inside JupyterLite is the 4.6 line that the course pins
    lab_pkg = json.loads((lite_site / "lab/package.json").read_text())
    deps = {**lab_pkg.get("dependencies", {}), **lab_pkg.get("resolutions", {})}
    version = deps["@jupyterlab/application"]
    assert version.lstrip("~^").startswith("4.6."), version


def test_offline_pyodide_tarball_is_bundled(tmp_path):
    """PYODIDE=<tarball> copies Pyodide into the site and points the kernel at it."""
    dist = tmp_path / "dist" / "pyodide"
    dist.mkdir(parents=True)
    (dist / "pyodide.mjs").write_text("export const loadPyodide = () => {};\n")
    (dist / "pyodide-lock.json").write_text(json.dumps({"info": {}, "packages": {}}))
    tarball = tmp_path / "pyodide-test.tar.bz2"
    with tarfile.open(tarball, "w:bz2") as tf:
        tf.add(dist, arcname="pyodide")
    output = tmp_path / "site"
    result = _make_lite(tmp_path, output, f"PYODIDE={tarball}")
    if result.returncode != 0 and not IN_CI and ".venv-lite" in result.stderr:
        unavailable(f"could not create the JupyterLite build venv:\n{result.stderr[-2000:]}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / "static/pyodide/pyodide.mjs").is_file()
    config = json.loads((output / "jupyter-lite.json").read_text())
    plugin = config["jupyter-config-data"]["litePluginSettings"][
        "@jupyterlite/pyodide-kernel-extension:kernel"]
    assert plugin["pyodideUrl"] == "./static/pyodide/pyodide.mjs"


@pytest.mark.browser
def test_browser_lists_the_course_in_jupyterlite(lite_site):
    with static_server(lite_site) as base, chromium_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        with screenshot_on_failure(page, "lite-file-browser"):
            page.goto(f"{base}/lab/index.html", wait_until="domcontentloaded")
            listing = page.locator(".jp-DirListing-content")
            listing.get_by_text("course", exact=True).wait_for(timeout=60_000)
            assert listing.get_by_text("data", exact=True).is_visible()
            listing.get_by_text("course", exact=True).dblclick()
            first = sorted(p.name for p in (lite_site / "files/course").glob("*.ipynb"))[0]
            item = listing.get_by_text(first, exact=True)
            item.wait_for(timeout=30_000)
            # the notebook opens and shows its first heading (the kernel itself needs the CDN)
            item.dblclick()
            page.locator(".jp-NotebookPanel .jp-MarkdownOutput h1").first.wait_for(
                timeout=30_000)
            heading = page.locator(".jp-NotebookPanel .jp-MarkdownOutput h1").first.text_content()
            assert heading.strip()
            # the page itself says what to do when Python cannot be downloaded (offline here)
            note = page.locator(".jp-NotebookPanel .jp-MarkdownOutput",
                                has_text="could not download Python").first
            note.scroll_into_view_if_needed(timeout=30_000)
            assert note.is_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "lite-offline-note.png"))
            nb = json.loads((lite_site / "files/course" / first).read_text())
            first_md = next("".join(c["source"]) for c in nb["cells"]
                            if c["cell_type"] == "markdown")
            assert heading.strip().rstrip("¶").strip() in first_md

