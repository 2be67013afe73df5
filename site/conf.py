"""Sphinx configuration of the course book (`make site`).

MyST-NB reads the notebooks, executes them (so the book shows real outputs and figures) and the
book theme lays them out as chapters. `make site` copies this folder's pages and the course's
notebooks into a staging folder and builds from there; see the Makefile's site target.

Every notebook page starts with two links: open this notebook in JupyterLite (the site that
`make site` also builds, under lite/ beside the book) or on Binder (needs the repository to be
public; set COURSE_REPOSITORY=owner/name and COURSE_BRANCH when building).
"""

from __future__ import annotations

import html
import os
import urllib.parse

project = "Trafficking, smuggling, globalisation and gender"
author = "The course authors"
copyright = "the course authors; text CC BY 4.0, code MIT"  # noqa: A001 - Sphinx's name

REPOSITORY = os.environ.get("COURSE_REPOSITORY", "trafficking-course/trafficking-course")
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
html_copy_source = False
html_show_sourcelink = False


def launch_links(pagename: str) -> str:
    """The HTML block that opens a notebook page's own notebook in JupyterLite and on Binder."""
    notebook = f"{pagename}.ipynb"
    up = "../" * pagename.count("/")
    lite = f"{up}{LITE_PATH}/lab/index.html?" + urllib.parse.urlencode({"path": notebook})
    binder = (f"{BINDER}/v2/gh/{REPOSITORY}/{BRANCH}?"
              + urllib.parse.urlencode({"urlpath": f"lab/tree/{notebook}"}))
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
        context["body"] = launch_links(pagename) + context["body"]


def setup(app):
    app.connect("html-page-context", _add_launch_links)
    app.add_css_file("course.css")
    return {"parallel_read_safe": True}


html_static_path = ["_static"]
