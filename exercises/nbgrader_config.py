"""nbgrader configuration for the course's graded exercises (exercises/ is the course root).

Read by every `nbgrader ...` command run from exercises/ and by the project's own grading
pipeline (python -m trafficking_course grading ...), which loads this same file. Each setting
says which known weakness of plain nbgrader it addresses.
"""

import importlib.util
import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "trafficking-course"
# The file-system exchange lives inside the course root (git-ignored) so a single lecturer
# machine needs no system-wide /srv/nbgrader/exchange.
c.Exchange.root = os.path.join(HERE, ".exchange")

# Per-cell execution timeout in seconds: an infinite loop is interrupted after this long and
# only that cell fails (nbgrader issue #1004). Overridable for one run with the environment
# variable COURSE_CELL_TIMEOUT or `--cell-timeout` of the project's autograde.
c.ExecutePreprocessor.timeout = int(os.environ.get("COURSE_CELL_TIMEOUT", "30"))
c.Execute.timeout = c.ExecutePreprocessor.timeout
c.Execute.interrupt_on_timeout = True

# A deleted test or written-answer cell is put back from the gradebook and graded
# (nbgrader issue #1682); edited read-only cells are restored from the gradebook anyway.
c.OverwriteCells.add_missing_cells = True

# Huge outputs are cut down before they reach the gradebook and the feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 40

# Feedback never shows hidden tests, their tracebacks, or the mark scheme (nbgrader issues
# #917 and #1363): the project's preprocessor blanks the outputs of cells that held hidden
# tests, then nbgrader's own ClearHiddenTests and ClearMarkScheme remove the text.
# Each failed cell says why (a visible test, a hidden test, an error in the student's code,
# a timeout) without showing the hidden test. Delimiter text a student typed in an answer
# (e.g. "BEGIN HIDDEN TESTS" in a comment) is hidden from ClearHiddenTests/ClearMarkScheme,
# which would otherwise fail for that student, and put back afterwards.
c.GenerateFeedback.preprocessors = [
    "trafficking_course.grading.reports.feedback.GetGradesShowingPending",
    "trafficking_course.grading.reports.feedback.ProtectDelimiters",
    "trafficking_course.grading.reports.feedback.ExplainTestOutputs",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "trafficking_course.grading.reports.feedback.RestoreDelimiters",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
# The page itself: nbgrader's feedback template, extended by the course's (in the package,
# grading/reports/templates/course_feedback.html.j2): a written answer not yet marked by hand
# says "awaiting your lecturer's mark" (GetGradesShowingPending above), not "Score: 0"; the
# page loads nothing from the network (no MathJax from a CDN) and shows no "In [n]" prompts.
_COURSE = importlib.util.find_spec("trafficking_course")
if _COURSE is not None and _COURSE.origin:  # absent where only nbgrader's student side runs
    c.HTMLExporter.template_file = os.path.join(
        os.path.dirname(_COURSE.origin), "grading", "reports", "templates",
        "course_feedback.html.j2")

# Every student's code runs in a sandbox, and no test cell runs in the student's kernel, in the
# course's parallel autograde (`make autograde`) and in nbgrader's own Autograde as well, which
# the formgrader's Autograde button runs: TrustedExecute runs the student's cells in a kernel
# started in bubblewrap (no network, nothing of the course folder but the student's own files,
# a bounded disk), then runs every test cell in the grading process itself, asking the kernel
# only for plain values and for the results of calls to the student's functions. Where
# bubblewrap cannot run, the button grades unsandboxed with a warning in its log. See
# exercises/README.md, "Autograde" and "Writing a test".
c.Execute.kernel_manager_class = \
    "trafficking_course.grading.isolation.sandbox.SandboxedKernelManager"

# What fails a test cell: an exception (a failed assert, an error in the student's code, a
# timeout). Text a correct answer writes to stderr (a warning, a log line) does not: plain
# nbgrader would give the cell 0 points for it. See exercises/README.md, "What fails a test".
c.Autograde.autograde_preprocessors = [
    "trafficking_course.grading.isolation.trusted.TrustedExecute",
    "trafficking_course.grading.rules.WarningsDoNotFail",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
