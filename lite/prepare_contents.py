"""Prepare the staged copies of the notebooks for JupyterLite (run by `make lite`).

In JupyterLite, Python runs in the browser (Pyodide) and starts without the course package.
Each staged notebook gets, as its first code cell, one that installs it from the site's own wheel
index (`%pip install trafficking_course`; Pyodide brings pandas, matplotlib and ipywidgets), and
just before it a short note that says what to do when Python cannot be loaded: JupyterLite
downloads Pyodide on first use, and without that download the kernel shows "Unknown" and the
first cell waits for ever, with the reason only in the browser's log console.
Only the copies in the build folder change: the course's notebooks stay the same everywhere else.

    python lite/prepare_contents.py lite/_build/files
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

TAG = "jupyterlite-install"
NOTE_TAG = "jupyterlite-note"
NOTE = (
    "**Python in your browser.** This copy of the course runs Python inside your browser. On "
    "first use the browser downloads it (tens of megabytes), which can take a minute. If the "
    "kernel name at the top right says *Unknown* or shows a red mark, and the cell below keeps "
    "waiting, your browser could not download Python (no connection, or a network that blocks "
    "it): the rest of the page still reads, and the course book, Binder or `make lab` on your "
    "own computer run the activities instead."
)
SOURCE = (
    "# JupyterLite runs Python inside your browser: this installs the course package there.\n"
    "%pip install -q trafficking_course"
)


def prepare(notebook: Path) -> bool:
    """Insert the install cell before the first code cell; False if there is one already."""
    nb = nbformat.read(notebook, as_version=4)
    if any(TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        return False
    cell = nbformat.v4.new_code_cell(SOURCE, metadata={"tags": [TAG]})
    note = nbformat.v4.new_markdown_cell(NOTE, metadata={"tags": [NOTE_TAG]})
    if (nb.nbformat, nb.nbformat_minor) < (4, 5):
        cell.pop("id", None)  # cell ids exist from format 4.5 on
        note.pop("id", None)
    # before the first code cell: the title and the content note stay on top
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"),
                      len(nb.cells))
    nb.cells[first_code:first_code] = [note, cell]
    nbformat.validate(nb)
    nbformat.write(nb, notebook)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    root = Path(argv[0])
    notebooks = sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    changed = sum(prepare(p) for p in notebooks)
    print(f"{changed} of {len(notebooks)} notebooks get the JupyterLite install cell")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
