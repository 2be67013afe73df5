"""The lecturer's grading cycle, fast parts: leak scan, collect, checks before grading, the
simulated cohort's plan, the feedback preprocessor, the command line. No kernels here; the
cycle with kernels is in test_grading_cycle.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from trafficking_course.cli import main
from trafficking_course.errors import GradingError
from trafficking_course.grading import cycle
from trafficking_course.grading.bench import record
from trafficking_course.grading.course import Course
from trafficking_course.grading.reports import cohort, leaks
from trafficking_course.grading.reports.feedback import HideHiddenTestOutputs
from trafficking_course.grading.run.autograde import Layout, preflight

from .conftest import FIXTURES, ROOT

FIXTURE_SOURCE = FIXTURES / "grading" / "source"


@pytest.fixture
def course(tmp_path) -> Course:
    """A course root with the real exercises/nbgrader_config.py and the fixture assignment."""
    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    shutil.copytree(FIXTURE_SOURCE, tmp_path / "source")
    return Course(tmp_path)


def _fake_release(course: Course) -> Path:
    """A release/ made by nbgrader's own preprocessors, without a kernel or a gradebook."""
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearSolutions,
        ComputeChecksums,
        LockCells,
    )

    nb = nbformat.read(str(course.root / "source/fixture/fixture.ipynb"), as_version=4)
    for pp in (LockCells(), ClearSolutions(), ClearHiddenTests(), ClearMarkScheme(),
               ComputeChecksums()):
        nb, _ = pp.preprocess(nb, {})
    out = course.root / "release/fixture/fixture.ipynb"
    out.parent.mkdir(parents=True)
    nbformat.write(nb, str(out))
    return out


def test_secrets_are_solutions_hidden_tests_and_mark_schemes(course):
    secrets = leaks.secrets_of(course, "fixture")
    kinds = {(s.kind, s.cell) for s in secrets}
    assert ("solution", "q1_answer") in kinds
    assert ("hidden test", "q2_tests") in kinds
    assert ("mark scheme", "q3_markscheme") in kinds
    assert ("solution", "q3_written") in kinds  # a whole written model answer
    lines = {s.line for s in secrets}
    assert 'assert count_means({}) == 0' in lines
    # public text (the function signature, the visible test) is not a secret
    assert "def count_means(facts):" not in lines
    assert 'assert count_means({"means": []}) == 0' not in lines


def test_leak_scan_passes_a_clean_release_and_fails_a_leaky_one(course):
    path = _fake_release(course)
    assert leaks.scan_release(course, "fixture") == []
    nb = nbformat.read(str(path), as_version=4)
    nb.cells[-1].source += "\nassert count_means({}) == 0"  # a hidden test slips through
    nbformat.write(nb, str(path))
    with pytest.raises(GradingError) as info:
        leaks.check(course, "fixture", where=("release",))
    assert "hidden test of fixture cell 'q2_tests'" in str(info.value)
    assert "fixture.ipynb" in str(info.value)


def test_feedback_scan_allows_what_the_student_wrote_but_not_what_was_injected(course):
    student = course.root / "submitted/s1/fixture"
    student.mkdir(parents=True)
    nb = nbformat.read(str(course.root / "source/fixture/fixture.ipynb"), as_version=4)
    nbformat.write(nb, str(student / "fixture.ipynb"))  # the student typed the model answers
    page = course.root / "feedback/s1/fixture/fixture.html"
    page.parent.mkdir(parents=True)
    page.write_text('<pre>offence = &quot;trafficking&quot;</pre>')
    assert leaks.scan_feedback(course, "fixture") == []
    page.write_text("<pre>assert count_means(<span>{}</span>) == 0</pre>")
    found = leaks.scan_feedback(course, "fixture")
    assert found == []  # the student's notebook holds that line too (it is the source here)
    nb.cells[6].source = 'assert count_means({"means": []}) == 0'
    nbformat.write(nb, str(student / "fixture.ipynb"))
    found = leaks.scan_feedback(course, "fixture")
    assert [f.secret.kind for f in found] == ["hidden test"]


def test_hide_hidden_test_outputs_keeps_only_pass_or_fail():
    cell = nbformat.v4.new_code_cell(
        "assert a == 1\n### BEGIN HIDDEN TESTS\nassert b == 2, 'secret'\n### END HIDDEN TESTS")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="secret",
                                           traceback=["assert b == 2, 'secret'"])]
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = HideHiddenTestOutputs().preprocess(nb, {})
    text = json.dumps(nb.cells[0].outputs)
    assert "secret" not in text and "failed" in text
    visible = nbformat.v4.new_code_cell("assert a == 1")
    visible.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="x",
                                              traceback=["assert a == 1"])]
    nb = nbformat.v4.new_notebook(cells=[visible])
    nb, _ = HideHiddenTestOutputs().preprocess(nb, {})
    assert nb.cells[0].outputs[0]["output_type"] == "error"  # visible tests keep tracebacks


def test_collect_folder_renames_reports_and_refuses_to_guess(course, tmp_path):
    lms = tmp_path / "lms"
    (lms / "anna_Submission").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nbformat.write(nb, str(lms / "anna_Submission" / "my work.ipynb"))
    nbformat.write(nb, str(lms / "ben_12345_fixture.ipynb"))
    (lms / "carl").mkdir()
    nbformat.write(nb, str(lms / "carl" / "a.ipynb"))
    nbformat.write(nb, str(lms / "carl" / "b.ipynb"))
    report = cycle.collect_folder(course, "fixture", lms)
    assert sorted(report.collected) == ["anna", "ben"]
    assert report.notes["anna"] == ["renamed notebook 'my work.ipynb' to 'fixture.ipynb'"]
    assert "ben" not in report.notes
    assert "2 notebooks and none named fixture.ipynb" in report.problems["carl"]
    for sid in ("anna", "ben"):
        folder = course.root / "submitted" / sid / "fixture"
        assert (folder / "fixture.ipynb").is_file()
        assert (folder / "timestamp.txt").read_text().strip()


def test_collect_folder_names_a_missing_folder(course, tmp_path):
    with pytest.raises(GradingError) as info:
        cycle.collect_folder(course, "fixture", tmp_path / "nope")
    assert "nope" in str(info.value)


LAYOUT = Layout(grade={"fixture": ["q1_tests", "q2_tests", "q3_written"]},
                solution={"fixture": ["q1_answer", "q2_answer", "q3_written"]},
                task={"fixture": ["q3_markscheme"]}, max_score=8.0)


def test_preflight_reports_bad_submissions_by_reason(course, tmp_path):
    release = _fake_release(course)
    folder = tmp_path / "sub"
    folder.mkdir()
    nb_path = folder / "fixture.ipynb"
    nb_path.write_bytes(b"")
    assert preflight(folder, LAYOUT)[0] == "fixture.ipynb is an empty file"
    nb_path.write_text("{ not json")
    assert preflight(folder, LAYOUT)[0].startswith("fixture.ipynb is not a valid notebook")
    nb = nbformat.read(str(release), as_version=4)
    del nb.cells[3]                                  # the q1 test cell
    nb.cells[5].source = "pass"                      # the q2 test cell, read-only
    nbformat.write(nb, str(nb_path))
    reason, notes = preflight(folder, LAYOUT)
    assert reason == ""
    assert "deleted test cell 'q1_tests' (restored from the gradebook)" in notes
    assert "edited read-only cell 'q2_tests' (restored from the gradebook)" in notes
    nb_path.rename(folder / "renamed.ipynb")
    reason, notes = preflight(folder, LAYOUT)
    assert reason == "" and notes[0] == "renamed notebook 'renamed.ipynb' graded as 'fixture.ipynb'"
    assert nb_path.is_file()


def test_cohort_plan_and_expected_scores(course):
    release = nbformat.read(str(_fake_release(course)), as_version=4)
    plan = cohort.plan_of(release)
    assert [(q.answers, q.test, q.points) for q in plan.questions] == [
        (["q1_answer"], "q1_tests", 2.0), (["q2_answer"], "q2_tests", 3.0)]
    expected = {c: cohort.expected_score(c, plan) for c in cohort.CASES}
    assert expected["correct"] == 5.0 and expected["partly_correct"] == 2.0
    assert expected["wrong"] == 0.0 and expected["infinite_loop"] == 2.0
    assert expected["deleted_test_cell"] == 5.0 and expected["kernel_dies"] == 0.0
    assert len(cohort.CASES) == 21
    assert all(expected[c] == 5.0 for c in cohort.HONEST)  # bookkeeping never costs a mark


def test_simulated_cases_differ_as_described(course):
    release = nbformat.read(str(_fake_release(course)), as_version=4)
    source = nbformat.read(str(course.root / "source/fixture/fixture.ipynb"), as_version=4)
    correct = cohort.build_case("correct", release, source)
    assert 'offence = "trafficking"' in correct.cells[2].source
    assert "BEGIN SOLUTION" not in nbformat.writes(correct)
    wrong = cohort.build_case("wrong", release, source)
    assert wrong.cells[2].source == "offence = None"
    assert cohort.build_case("missing_submission", release, source) is None
    assert cohort.build_case("empty_file", release, source) == b""
    deleted = cohort.build_case("deleted_test_cell", release, source)
    assert len(deleted.cells) == len(release.cells) - 1


def test_record_replaces_only_the_grading_section(tmp_path):
    md = tmp_path / "BENCHMARKS.md"
    md.write_text("# Benchmarks\n\n## Notebooks\n\nkeep me\n\n## Grading\n\nPREVIOUS RUN\n")
    record(md, "| table 1 |\n")
    record(md, "| table 2 |\n")
    text = md.read_text()
    assert "keep me" in text and "| table 2 |" in text
    assert "| table 1 |" not in text and "PREVIOUS RUN" not in text
    assert text.count("## Grading") == 1


def test_cli_names_an_unknown_assignment(course, capsys):
    code = main(["grading", "generate", "nosuch", "--root", str(course.root)])
    assert code == 2
    err = capsys.readouterr().err
    assert "no assignment 'nosuch'" in err and "fixture" in err


def test_cli_leak_scan_exit_status(course, capsys):
    path = _fake_release(course)
    args = ["grading", "leak-scan", "fixture", "--where", "release", "--root", str(course.root)]
    assert main(args) == 0
    assert "no solution, hidden test or mark scheme in release" in capsys.readouterr().out
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(  # one sentence of the model answer
        "Well done. Consent given by a person who was deceived or coerced is not free consent;"))
    nbformat.write(nb, str(path))
    assert main(args) == 2
    assert "solution of fixture cell 'q3_written'" in capsys.readouterr().err


@pytest.mark.parametrize("target,step", [
    ("validate", "validate"), ("generate", "generate"), ("release", "release"),
    ("collect", "collect"), ("autograde", "autograde"), ("feedback", "feedback"),
    ("export-grades", "export"), ("cohort-report", "report"), ("leak-scan", "leak-scan"),
    ("similarity", "similarity"),
    ("bench-grading", "bench"),
])
def test_each_step_of_the_cycle_is_one_make_target(target, step):
    import subprocess

    out = subprocess.run(["make", "-n", target, "ASSIGNMENT=case", "FROM=/tmp/lms"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert f"-m trafficking_course grading {step} case" in out
    if target == "collect":
        assert "--from /tmp/lms" in out


def test_course_config_fixes_what_plain_nbgrader_gets_wrong(course, monkeypatch):
    monkeypatch.delenv("COURSE_CELL_TIMEOUT", raising=False)
    cfg = Course(ROOT / "exercises").load_config()
    assert cfg.CourseDirectory.root == str((ROOT / "exercises").resolve())
    assert cfg.ExecutePreprocessor.timeout == 30 and cfg.Execute.interrupt_on_timeout
    assert cfg.OverwriteCells.add_missing_cells is True           # nbgrader #1682
    steps = cfg.GenerateFeedback.preprocessors                     # nbgrader #917, #1363
    assert steps.index("trafficking_course.grading.reports.feedback.ProtectDelimiters") < \
        steps.index("trafficking_course.grading.reports.feedback.ExplainTestOutputs") < \
        steps.index("nbgrader.preprocessors.ClearHiddenTests") < \
        steps.index("trafficking_course.grading.reports.feedback.RestoreDelimiters")
    auto = cfg.Autograde.autograde_preprocessors                   # the stderr rule
    assert auto.index("trafficking_course.grading.isolation.trusted.TrustedExecute") < \
        auto.index("trafficking_course.grading.rules.WarningsDoNotFail") < \
        auto.index("nbgrader.preprocessors.SaveAutoGrades")
    assert "nbgrader.preprocessors.ClearMarkScheme" in steps
    monkeypatch.setenv("COURSE_CELL_TIMEOUT", "7")
    assert course.load_config().ExecutePreprocessor.timeout == 7
    assert course.load_config(Execute__timeout=3).Execute.timeout == 3


def test_grading_is_not_imported_by_the_package():
    init = (ROOT / "src/trafficking_course/__init__.py").read_text()
    assert "grading" not in init and "nbgrader" not in init


# -- the stderr rule, feedback that says why, delimiters a student typed, the roster ----------
def _test_cell(source: str, outputs: list, grade_id: str = "q1_tests") -> nbformat.NotebookNode:
    """A locked, graded nbgrader test cell with the outputs it produced."""
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id,
                                 "points": 1, "locked": True}
    cell.outputs = outputs
    return cell


def test_warnings_on_stderr_do_not_fail_a_test_cell_but_errors_do():
    from nbgrader.utils import determine_grade

    from trafficking_course.grading.rules import WarningsDoNotFail

    warned = _test_cell("assert f(1) == 2", [nbformat.v4.new_output(
        "stream", name="stderr", text="UserWarning: rounding\n")])
    raised = _test_cell("assert f(1) == 2", [nbformat.v4.new_output(
        "error", ename="AssertionError", evalue="", traceback=[])])
    answer = nbformat.v4.new_code_cell("x = 1")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "q1_a"}
    answer.outputs = [nbformat.v4.new_output("stream", name="stderr", text="note\n")]
    assert determine_grade(warned)[0] == 0  # plain nbgrader's rule
    nb = nbformat.v4.new_notebook(cells=[warned, raised, answer])
    nb, _ = WarningsDoNotFail().preprocess(nb, {})
    assert determine_grade(nb.cells[0]) == (1, 1)
    assert nb.cells[0].outputs[0]["text"].startswith("Written to stderr (a warning")
    assert "UserWarning: rounding" in nb.cells[0].outputs[0]["text"]
    assert determine_grade(nb.cells[1])[0] == 0
    assert nb.cells[2].outputs[0]["name"] == "stderr"  # answer cells are not test cells


def _error(ename: str, evalue: str, line: int, deeper: bool = False) -> dict:
    frames = [f"\x1b[0;31mCell In[7], line {line}\x1b[0m\n      x = 1\n"]
    if deeper:
        frames.append("Cell In[5], line 3, in f(facts)\n")
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                  traceback=[*frames, f"{ename}: {evalue}"])


def test_feedback_says_why_a_cell_with_hidden_tests_failed():
    from trafficking_course.grading.reports.feedback import ExplainTestOutputs

    source = "assert f({}) == 0, 'empty'\n### BEGIN HIDDEN TESTS\nassert f(x) == 2, 'two'\n" \
             "### END HIDDEN TESTS"
    cases = {
        1: (_error("AssertionError", "empty", 1),
            "A visible test in this cell failed: AssertionError: empty"),
        2: (_error("AssertionError", "two", 3),
            "A hidden test in this cell failed (AssertionError)"),
        3: (_error("TypeError", "secret input 42", 3, deeper=True),
            "Your code raised TypeError when a hidden test in this cell used it"),
        4: (_error("CellTimeoutError", "timed out", 3), "This cell ran out of time"),
    }
    for output, want in cases.values():
        nb = nbformat.v4.new_notebook(cells=[_test_cell(source, [output])])
        nb, _ = ExplainTestOutputs().preprocess(nb, {})
        text = nb.cells[0].outputs[0]["text"]
        assert text.startswith(want), text
        assert "two" not in text and "secret input" not in text  # nothing hidden shown
    nb = nbformat.v4.new_notebook(cells=[_test_cell(source, [])])
    nb, _ = ExplainTestOutputs().preprocess(nb, {})
    assert nb.cells[0].outputs[0]["text"] == "All tests in this cell passed.\n"


def test_delimiters_a_student_typed_survive_clear_hidden_tests():
    from nbgrader.preprocessors import ClearHiddenTests

    from trafficking_course.grading.reports.feedback import ProtectDelimiters, RestoreDelimiters

    answer = nbformat.v4.new_code_cell("# BEGIN HIDDEN TESTS? none here\nx = 1")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "q1_a"}
    tests = _test_cell("assert x\n### BEGIN HIDDEN TESTS\nassert x == 1\n### END HIDDEN TESTS",
                       [])
    nb = nbformat.v4.new_notebook(cells=[answer, tests])
    with pytest.raises(RuntimeError):
        ClearHiddenTests().preprocess(nbformat.from_dict(json.loads(json.dumps(nb))), {})
    resources: dict = {}
    for pp in (ProtectDelimiters(), ClearHiddenTests(), RestoreDelimiters()):
        nb, resources = pp.preprocess(nb, resources)
    assert nb.cells[0].source == "# BEGIN HIDDEN TESTS? none here\nx = 1"
    assert nb.cells[1].source == "assert x"


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
def test_the_roster_is_not_made_of_other_assignments_students(tmp_path):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        gb.add_assignment("a1")
        gb.add_assignment("a2")
        gb.add_student("anna", first_name="Anna", last_name="A", email="")
        gb.add_student("ghost")           # created by autograde of a2, not on the roster
        gb.add_student("late")            # not on the roster, but submitted a1
        gb.add_submission("a2", "ghost")
        gb.add_submission("a1", "late")
        assert [s.id for s in cycle.roster_of(gb, gb.find_assignment("a1"))] == \
            ["anna", "late"]
        assert [s.id for s in cycle.roster_of(gb, gb.find_assignment("a2"))] == \
            ["anna", "ghost"]


def test_the_benchmarks_baseline_is_plain_nbgrader_and_the_course_is_guarded(tmp_path):
    """The course's config guards and sandboxes nbgrader's own Autograde (the formgrader's
    button); the grading benchmark's serial baseline puts nbgrader's Execute back."""
    from trafficking_course.grading.bench import PLAIN

    shutil.copy2(ROOT / "exercises" / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    course = Course(tmp_path)
    cfg = course.load_config()
    assert "trafficking_course.grading.isolation.trusted.TrustedExecute" in \
        cfg.Autograde.autograde_preprocessors
    assert cfg.Execute.kernel_manager_class.endswith("sandbox.SandboxedKernelManager")
    with course.config_file.open("a") as fh:
        fh.write(PLAIN)
    plain = course.load_config()
    assert plain.Autograde.autograde_preprocessors == [
        "nbgrader.preprocessors.Execute" if s.endswith("TrustedExecute") else s
        for s in cfg.Autograde.autograde_preprocessors]
    assert plain.Execute.kernel_manager_class == "jupyter_client.manager.AsyncKernelManager"


def test_the_grading_benchmark_table_compares_every_run_with_plain_nbgrader():
    from trafficking_course.grading.bench import Run, _table

    scores = {"sim-a-1": 3.0, "sim-b-1": 5.0}
    runs = [Run("serial `nbgrader autograde`", 80.0, 50, 1.0, scores, []),
            Run("serial, sandboxed and guarded (the formgrader's button)", 88.0, 20, 1.0,
                scores, []),
            Run("parallel, sandboxed", 40.0, 20, 1.0, scores, []),
            Run("parallel, not sandboxed", 38.0, 50, 1.0, dict(scores), [])]
    table = _table("definitions", 2, 2, runs)
    assert "| parallel, sandboxed | 40.0 | 2.00x |" in table
    assert "**2.00x**" in table and "**+5.3%**" in table  # the sandbox's own cost
    assert "takes **1.10x** plain nbgrader's time" in table
    assert "for all 2 students graded by every run" in table
    assert "Each student costs **40.00 s** of worker time" in table
    assert "trusted tests' own cost" not in table  # no run with the old in-kernel tests
    old = Run("parallel, sandboxed, tests in the kernel (the old path)", 36.0, 20, 1.0,
              dict(scores), [])
    table = _table("definitions", 2, 2, [*runs, old])
    assert "**+4.00 s per student** of worker time (+11.1%)" in table
    runs[3].scores["sim-a-1"] = 4.0
    with pytest.raises(GradingError, match="scores differ"):
        _table("definitions", 2, 2, runs)
