"""nbconvert preprocessors the course adds to nbgrader (see exercises/nbgrader_config.py).

Plain nbgrader copies hidden tests back into the autograded notebook and from there into the
student's feedback, together with their tracebacks (nbgrader issues #917 and #1363).
`HideHiddenTestOutputs` runs before nbgrader's ClearHiddenTests in GenerateFeedback: for each
cell that holds a hidden-test region it replaces the outputs by one neutral line saying whether
the tests passed, so neither the hidden code nor its assertion messages reach the student.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output
from traitlets import Bool, Unicode

HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"


class HideHiddenTestOutputs(Preprocessor):
    """Blank the outputs of cells that contain hidden tests, keeping only pass/fail."""

    enabled = Bool(True).tag(config=True)
    begin_delimiter = Unicode(HIDDEN_BEGIN).tag(config=True)
    failed_text = Unicode(
        "Some tests in this cell failed, including hidden tests whose details are not shown.\n"
    ).tag(config=True)
    passed_text = Unicode("All tests in this cell passed.\n").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or self.begin_delimiter not in cell.source:
            return cell, resources
        failed = any(
            out.output_type == "error"
            or (out.output_type == "stream" and out.get("name") == "stderr")
            for out in cell.get("outputs", [])
        )
        text = self.failed_text if failed else self.passed_text
        cell.outputs = [new_output("stream", name="stdout", text=text)]
        return cell, resources
