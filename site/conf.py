"""Sphinx configuration of the course book (`make site`).

MyST-NB reads the notebooks, executes them (so the book shows real outputs and figures) and the
book theme lays them out as chapters. `make site` copies this folder's pages and the course's
notebooks into a staging folder and builds from there; see the Makefile's site target.

Every notebook page starts with two links: open this notebook in JupyterLite (the site that
`make site` also builds, under lite/ beside the book) or on Binder (needs the repository to be
public; set COURSE_REPOSITORY=owner/name and COURSE_BRANCH when building).

The widgets' JavaScript (require.js and the ipywidgets HTML manager, from the npm packages in
package.json) is served from the book itself: `make site` copies it from node_modules/ into
the folder COURSE_WIDGETS_JS names, and no page loads anything from a CDN. Each activity shows
its state as a static picture, followed by a line saying that it runs in JupyterLite or on
Binder, with links there.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import urllib.parse
from pathlib import Path

project = "Trafficking, smuggling, globalisation and gender"
author = "The course authors"
copyright = "the course authors; text CC BY 4.0, code MIT"  # noqa: A001 - Sphinx's name

def _origin_repository() -> str | None:
    """owner/name of this checkout's GitHub origin, if it has one (for the Binder link)."""
    try:
        url = subprocess.run(["git", "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, timeout=10,
                             cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        return None
    found = re.search(r"github\.com[:/]([^/]+/[^/]+?)(?:\.git)?/?$", url)
    return found.group(1) if found else None


# The repository the Binder and repository links point at: COURSE_REPOSITORY=owner/name, else
# this checkout's GitHub origin, else the course's own repository (README, "The course book").
REPOSITORY = (os.environ.get("COURSE_REPOSITORY") or _origin_repository()
              or "trafficking-course/trafficking-course")
BRANCH = os.environ.get("COURSE_BRANCH", "main")
BINDER = os.environ.get("COURSE_BINDER", "https://mybinder.org")
# where the JupyterLite site lives, relative to the book's root
LITE_PATH = os.environ.get("COURSE_LITE_PATH", "lite")

extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "**/instructor/**", "jupyter_execute"]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# Execute every notebook on each build, stop on the first error, show it in the log.
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

html_theme = "sphinx_book_theme"
html_title = "Trafficking, smuggling, globalisation and gender"
html_theme_options = {
    "repository_url": f"https://github.com/{REPOSITORY}",
    "repository_branch": BRANCH,
    "use_repository_button": True,
    "show_toc_level": 2,
    "home_page_in_toc": True,
}
html_last_updated_fmt = None
# The download button's ".ipynb" is the notebook itself (the copy under _sources/, no ".txt")
html_copy_source = True
html_sourcelink_suffix = ""
html_show_sourcelink = False


# The widgets' JavaScript, served from the book (make site fills this folder from node_modules)
WIDGETS_JS = os.environ.get("COURSE_WIDGETS_JS", "")
if not (WIDGETS_JS and (Path(WIDGETS_JS) / "embed-amd.js").is_file()):
    raise RuntimeError("COURSE_WIDGETS_JS must name the folder with require.js and embed-amd.js "
                       "(make site copies them from node_modules/: run `make site`)")
# MyST-NB adds these to each page with widgets; plain file names are served from _static/
nb_ipywidgets_js = {"require.js": {}, "widgets-config.js": {}, "embed-amd.js": {}}


def _lite_and_binder(pagename: str) -> tuple[str, str]:
    notebook = f"{pagename}.ipynb"
    up = "../" * pagename.count("/")
    lite = f"{up}{LITE_PATH}/lab/index.html?" + urllib.parse.urlencode({"path": notebook})
    binder = (f"{BINDER}/v2/gh/{REPOSITORY}/{BRANCH}?"
              + urllib.parse.urlencode({"urlpath": f"lab/tree/{notebook}"}))
    return lite, binder


def activity_note(pagename: str) -> str:
    """The line under each activity: the book shows a static picture; where it runs."""
    lite, binder = _lite_and_binder(pagename)
    return (
        '<p class="tc-activity-note">This activity is shown here as a static picture: its '
        "buttons and boxes do nothing in the book. To do it, open this notebook in "
        f'<a href="{html.escape(lite)}">JupyterLite</a> (runs in your browser) or on '
        f'<a href="{html.escape(binder)}">Binder</a>.</p>'
    )


WIDGET_VIEW = re.compile(r'(<script type="application/vnd\.jupyter\.widget-view\+json">.*?'
                         r"</script>)", re.S)


def launch_links(pagename: str) -> str:
    """The HTML block that opens a notebook page's own notebook in JupyterLite and on Binder."""
    lite, binder = _lite_and_binder(pagename)
    return (
        '<nav class="tc-launch" aria-label="Open this notebook">'
        f'<a class="tc-launch-lite" href="{html.escape(lite)}">'
        "Open this notebook in JupyterLite (runs in your browser)</a> · "
        f'<a class="tc-launch-binder" href="{html.escape(binder)}">'
        "Open this notebook on Binder (a JupyterLab in the cloud)</a>"
        "</nav>\n"
    )


def _add_launch_links(app, pagename, templatename, context, doctree):
    if doctree is None or "body" not in context:
        return
    source = app.env.doc2path(pagename)
    if str(source).endswith(".ipynb"):
        body = WIDGET_VIEW.sub(lambda m: m.group(1) + activity_note(pagename), context["body"])
        context["body"] = launch_links(pagename) + body


def setup(app):
    app.connect("html-page-context", _add_launch_links)
    app.add_css_file("course.css")
    app.add_js_file("static-activities.js")
    return {"parallel_read_safe": True}


html_static_path = ["_static", WIDGETS_JS]
