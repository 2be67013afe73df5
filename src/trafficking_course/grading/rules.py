"""The course's rule for what fails a test cell, where it differs from plain nbgrader.

Plain nbgrader gives a test cell 0 points when anything at all is written to stderr while it
runs (nbgrader.utils.determine_grade). A correct function that logs a warning (`warnings.warn`,
`logging.warning`, a library's FutureWarning) then loses the cell's points, although every
assert passed, and the student cannot see why: the warning may fire only on hidden inputs.

The course's rule: **a test cell fails when it raises an exception** (a failed assert, an
error in the student's code, a timeout); text on stderr is shown, marked as a warning, and
does not fail it. `WarningsDoNotFail` applies the rule in autograde, between nbgrader's
Execute and SaveAutoGrades (see exercises/nbgrader_config.py): in every test cell it turns
stderr output into ordinary output under a line that says so.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from nbformat.v4 import new_output
from traitlets import Bool, Unicode

WARNING_HEADER = "Written to stderr (a warning; it does not fail the test):\n"


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: a code cell that is graded and holds no answer."""
    m = cell.get("metadata", {}).get("nbgrader", {}) or {}
    return cell.cell_type == "code" and bool(m.get("grade")) and not m.get("solution")


class WarningsDoNotFail(Preprocessor):
    """In test cells, stderr output becomes stdout under WARNING_HEADER (see module doc)."""

    enabled = Bool(True).tag(config=True)  # nbconvert's default is off
    header = Unicode(WARNING_HEADER).tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: dict,
                        index: int) -> tuple[NotebookNode, dict]:
        if not is_test_cell(cell):
            return cell, resources
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                out = new_output("stream", name="stdout", text=self.header + out.get("text", ""))
            outputs.append(out)
        cell.outputs = outputs
        return cell, resources
