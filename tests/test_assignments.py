"""The graded assignments: nbgrader source notebooks under exercises/source/<name>/<name>.ipynb.

For each assignment:
- the source notebook is well formed for nbgrader: every cell has an id, graded cells carry
  schema 3 metadata with a stable grade id, each question has the same layout (task, answer,
  tests or written answer), the points add up to the total the notebook states, and every
  written answer has a mark scheme in nbgrader's mark-scheme region;
- in its solution form it passes `nbgrader validate` (every test cell passes);
- the student version made by `nbgrader generate_assignment` carries no solution, hidden test or
  mark scheme, and runs top to bottom with only the unanswered questions' own cells failing;
- `nbgrader generate_solution` works and keeps the model answers without the mark schemes.

Written answers: the question and the mark scheme for graders (=== BEGIN/END MARK SCHEME ===)
are in an nbgrader task cell with 0 points (nbgrader's ClearMarkScheme accepts mark-scheme
regions only in task cells, and autograde restores them there for graders); the answer cell
after it (markdown, solution and grade) carries the points and holds the model answer.

nbgrader runs in a temporary copy of exercises/, so no generated file lands in the tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT

ASSIGNMENTS = ("definitions", "data", "case", "case_alternative")
EXERCISES = ROOT / "exercises"
BIN = Path(sys.executable).parent

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SOLUTION_BEGIN = "### BEGIN SOLUTION"
SCHEME_BEGIN, SCHEME_END = "=== BEGIN MARK SCHEME ===", "=== END MARK SCHEME ==="
GRADE_ID = re.compile(r"^q(\d+)_([a-z0-9_]+)$")

# Used only when the course root has no nbgrader_config.py of its own.
MINIMAL_CONFIG = 'c = get_config()  # noqa\nc.CourseDirectory.course_id = "trafficking-course"\n'


def source_path(name: str) -> Path:
    return EXERCISES / "source" / name / f"{name}.ipynb"


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)


def nbg(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def kind(cell) -> str:
    """What a cell is to nbgrader: tests, answer, written, task, locked or plain."""
    m = nbg(cell)
    if m.get("task"):
        return "task"
    if m.get("grade") and m.get("solution"):
        return "written" if cell.cell_type == "markdown" else "graded-answer"
    if m.get("grade"):
        return "tests"
    if m.get("solution"):
        return "answer"
    if m.get("locked"):
        return "locked"
    return "plain"


def stated_total(nb) -> int:
    match = re.search(r"\*\*Total: (\d+) points\.\*\*", nb.cells[0].source)
    assert match, "the first cell states '**Total: N points.**'"
    return int(match.group(1))


# --------------------------------------------------------------------------------------------
# The source notebooks (no kernel)
# --------------------------------------------------------------------------------------------


def _check_grade_cell(name: str, cell, k: str, m: dict) -> None:
    """One graded cell is laid out as its kind requires."""
    if k == "tests":
        assert cell.cell_type == "code" and m["points"] > 0
        visible, _, hidden = cell.source.partition(HIDDEN_BEGIN)
        assert "assert" in visible, f"{name}: {cell.id} has no visible test"
        assert ("assert" in hidden or "_check(" in hidden) and HIDDEN_END in hidden, cell.id
    elif k == "answer":
        assert cell.cell_type == "code" and SOLUTION_BEGIN in cell.source, cell.id
    elif k == "task":
        assert m["points"] == 0, f"{name}: {cell.id}: points go on the answer cell"
    elif k == "written":
        assert m["points"] > 0, cell.id
        assert SCHEME_BEGIN not in cell.source, f"{name}: {cell.id}: scheme goes in the task"
    elif k == "graded-answer":
        pytest.fail(f"{name}: {cell.id}: a graded code answer cannot be autograded")


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_source_notebook_is_well_formed_for_nbgrader(name):
    from nbgrader.nbgraderformat import MetadataValidator

    path = source_path(name)
    assert path.is_file(), f"missing assignment notebook {path.relative_to(ROOT)}"
    nb = read(path)
    MetadataValidator().validate_nb(nb)  # nbgrader's own check: grade ids, points, types

    header = nb.cells[0].source
    for phrase in ("Content note", "What this assignment assesses", "Instructions"):
        assert phrase in header, f"{name}: the first cell needs a '{phrase}' section"

    ids = [cell.get("id") for cell in nb.cells]
    assert all(ids), f"{name}: every cell needs an id"
    assert len(set(ids)) == len(ids), f"{name}: duplicate cell ids"

    total = 0
    questions: dict[int, list[str]] = {}
    for cell in nb.cells:
        m = nbg(cell)
        if not m:
            continue
        assert m.get("schema_version") == 3, f"{name}: {cell.id} is not nbgrader schema 3"
        assert cell.id == m["grade_id"], f"{name}: cell id {cell.id} != grade id {m['grade_id']}"
        k = kind(cell)
        match = GRADE_ID.match(m["grade_id"])
        if k == "locked" and not match:
            continue  # header, setup, background: not part of a question
        assert match, f"{name}: grade id {m['grade_id']!r} is not of the form qN_part"
        questions.setdefault(int(match.group(1)), []).append(k)
        total += m.get("points", 0)
        _check_grade_cell(name, cell, k, m)

    numbers = sorted(questions)
    assert numbers == list(range(1, len(numbers) + 1)), f"{name}: questions {numbers}"
    for number, kinds in questions.items():
        # a task, then answers each followed by the test cells (one per part) that mark it
        autograded = kinds[:2] == ["locked", "answer"] and kinds[-1] == "tests" and \
            set(kinds[1:]) == {"answer", "tests"}
        manual = kinds == ["task", "written"]
        assert autograded or manual, f"{name}: question {number} has the layout {kinds}"
    assert any(kinds == ["task", "written"] for kinds in questions.values()), \
        f"{name}: needs at least one manually graded written answer"
    assert any(kinds[-1] == "tests" for kinds in questions.values()), \
        f"{name}: needs at least one autograded question"
    assert total == stated_total(nb), f"{name}: points add up to {total}, header says otherwise"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_written_answer_has_a_mark_scheme_with_points(name):
    cells = read(source_path(name)).cells
    for before, cell in zip(cells, cells[1:], strict=False):
        if kind(cell) != "written":
            continue
        assert kind(before) == "task", f"{name}: {cell.id} must follow its task cell"
        _, _, rest = before.source.partition(SCHEME_BEGIN)
        scheme, end, _ = rest.partition(SCHEME_END)
        assert end, f"{name}: {before.id} has no complete mark-scheme region"
        points = nbg(cell)["points"]
        assert f"({points} points)" in scheme, f"{name}: {before.id} scheme must total {points}"
        assert len(re.findall(r"^\* ", scheme, flags=re.M)) >= 3, f"{name}: {before.id} criteria"
        assert len(cell.source.split()) >= 60, f"{name}: {cell.id} needs a model answer"


# --------------------------------------------------------------------------------------------
# nbgrader: validate the solution form, generate and run the student form
# --------------------------------------------------------------------------------------------


def course_copy(tmp_path: Path, name: str) -> Path:
    """A private course root holding the assignment's source and the course's nbgrader config."""
    root = tmp_path / "exercises"
    shutil.copytree(source_path(name).parent, root / "source" / name)
    config = EXERCISES / "nbgrader_config.py"
    if config.is_file():
        shutil.copy(config, root / "nbgrader_config.py")
    else:
        (root / "nbgrader_config.py").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return root


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    out = subprocess.run([str(BIN / "nbgrader"), *args, f"--CourseDirectory.root={cwd}"],
                         cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{out.stderr[-3000:]}"
    return out


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_solution_form_passes_nbgrader_validate(name, tmp_path):
    from nbgrader.validator import Validator

    root = course_copy(tmp_path, name)
    results = Validator().validate(str(root / "source" / name / f"{name}.ipynb"))
    failed = "\n\n".join(f"{c['source'][:200]}\n{c['raw_error']}" for c in
                         results.get("failed", []))
    assert results == {}, f"{name}: nbgrader validate failed:\n{failed or results}"


def run_allowing_errors(path: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = read(path)
    NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def errors(cell) -> list[str]:
    return [o.ename for o in cell.get("outputs", []) if o.output_type == "error"]


def _check_student_cells(name: str, student, source: dict) -> None:
    """Nothing a student should not see: solutions, hidden tests, mark schemes."""
    text = "\n".join(c.source for c in student.cells)
    for marker in (SOLUTION_BEGIN, HIDDEN_BEGIN, "BEGIN MARK SCHEME", "Mark scheme for graders"):
        assert marker not in text, f"{name}: the student version contains {marker!r}"
    for cell in student.cells:
        k = kind(source[cell.id])
        if k == "answer":
            assert "raise NotImplementedError()" in cell.source, cell.id
        elif k == "written":
            assert cell.source.strip() == "YOUR ANSWER HERE", cell.id
        elif k == "tests":
            visible = source[cell.id].source.partition(HIDDEN_BEGIN)[0].strip()
            assert cell.source.strip() == visible, f"{name}: {cell.id} visible tests changed"


def _check_solution(name: str, root, source: dict) -> None:
    """The lecturer's solution notebook: model answers kept, mark schemes for graders removed
    (nbgrader refuses mark-scheme regions outside task cells here, so this guards the layout)."""
    nbgrader("generate_solution", name, "--force", "--Execute.enabled=False", cwd=root)
    solution = {c.id: c for c in read(root / "solution" / name / f"{name}.ipynb").cells}
    for cell_id, cell in source.items():
        if kind(cell) == "written":
            assert solution[cell_id].source == cell.source, f"{name}: {cell_id} model answer"
        if kind(cell) == "task":
            assert "BEGIN MARK SCHEME" not in solution[cell_id].source, cell_id


def _check_unanswered_run(name: str, release, source: dict) -> None:
    """Run top to bottom: an unanswered question fails in its own cells only."""
    ran = run_allowing_errors(release)
    for cell in ran.cells:
        if cell.cell_type != "code":
            continue
        k, raised = kind(source[cell.id]), errors(cell)
        if k == "tests":
            assert raised, f"{name}: {cell.id} passes with no answer: the test cannot fail"
        elif k == "answer":
            assert raised in ([], ["NotImplementedError"]), f"{name}: {cell.id} raised {raised}"
        else:
            assert not raised, f"{name}: {cell.id} ({k}) raised {raised}: errors cascade"


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_student_form_hides_answers_and_fails_only_its_own_tests(name, tmp_path):
    from trafficking_course.grading.course import Course
    from trafficking_course.grading.reports import leaks

    root = course_copy(tmp_path, name)
    nbgrader("generate_assignment", name, "--force", cwd=root)
    release = root / "release" / name / f"{name}.ipynb"
    source = {c.id: c for c in read(source_path(name)).cells}
    _check_student_cells(name, read(release), source)
    # The project's leak scan (line by line against the source's secrets).
    found = leaks.scan_release(Course(root), name)
    assert not found, "\n".join(str(leak) for leak in found)
    _check_solution(name, root, source)
    _check_unanswered_run(name, release, source)


# --------------------------------------------------------------------------------------------
# Partial credit, tests that stand alone, mark schemes (issues 12, 13 and 15)
# --------------------------------------------------------------------------------------------


def _questions(nb) -> dict[int, list]:
    out: dict[int, list] = {}
    for cell in nb.cells:
        match = GRADE_ID.match(nbg(cell).get("grade_id", ""))
        if match:
            out.setdefault(int(match.group(1)), []).append(cell)
    return out


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_autograded_questions_give_partial_credit_by_part(name):
    for number, cells in _questions(read(source_path(name))).items():
        tests = [c for c in cells if kind(c) == "tests"]
        points = sum(nbg(c)["points"] for c in tests)
        if points > 2:
            assert len(tests) >= 2, f"{name}: question {number} ({points} points) is one part"


def _bound_and_loaded(source: str) -> tuple[set[str], set[str]]:
    import ast

    tree = ast.parse(source)
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else loaded).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.arg)):
            bound.add(node.name if isinstance(node, ast.FunctionDef) else node.arg)
    return bound, loaded


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_test_cell_stands_alone(name):
    """A test cell uses only what it binds itself and the names the answers must define: no
    builtin, no setup import, no other test cell's variable a student could rebind."""
    nb = read(source_path(name))
    answer_names: set[str] = set()
    for cell in nb.cells:
        if kind(cell) == "answer":
            answer_names |= _bound_and_loaded(cell.source)[0]
    for cell in nb.cells:
        if kind(cell) != "tests":
            continue
        bound, loaded = _bound_and_loaded(cell.source)
        outside = loaded - bound - answer_names
        assert not outside, f"{name}: {cell.id} depends on {sorted(outside)} from outside"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_mark_schemes_accept_cited_outside_sources(name):
    for cell in read(source_path(name)).cells:
        if kind(cell) != "task" or SCHEME_BEGIN not in cell.source:
            continue
        scheme = cell.source.partition(SCHEME_BEGIN)[2]
        assert "outside" in scheme and "cited" in scheme, f"{name}: {cell.id}"
        assert "No credit for figures that are not in the assignment" not in scheme


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_instructions_state_the_stderr_rule_and_partial_credit(name):
    header = " ".join(read(source_path(name)).cells[0].source.split())
    assert "Partial credit" in header and "What fails a test" in header
    assert "does not fail it" in header


def test_data_scheme_does_not_reward_shares_adding_to_more_than_100():
    cells = {c.id: c.source for c in read(source_path("data")).cells}
    for gid in ("q6_task", "q6_answer"):
        assert not re.search(r"add(s)? up to (more than )?100|do not add up", cells[gid]), gid


def test_case_separates_what_could_be_established_from_the_journey_in_law():
    from trafficking_course.law import assess

    nb = read(source_path("case"))
    cells = {c.id: c for c in nb.cells}
    model: dict = {}
    for gid in ("q1_stage1", "q4_in_law"):
        exec(cells[gid].source, model)  # the model answers
    assert assess(model["stage1"]).verdict == "neither"        # what could be shown then
    assert assess(model["stage1_in_law"]).verdict == "trafficking"  # complete at recruitment
    exec(cells["q4_function"].source, model)
    home = {"acts": ["recruitment"], "destination_national_or_resident": True}
    crossing = {"illegal_entry": True, "entry_procured_by_another": True,
                "benefit_to_procurer": True}
    assert assess(model["combine_stages"](home, crossing)).verdict == "smuggling"
    essay = cells["q6_answer"].source
    for route in ("Immigration Act s. 28", "s. 8-3", "s. 8-4"):
        assert route in essay, route
    scheme = cells["q5_task"].source
    assert "once all facts are known" in scheme and "complete at stage 1" in scheme


def test_case_alternative_assesses_the_same_without_the_narrative():
    """The alternative task: the case's point layout and learning outcomes, none of its
    exploitation narrative, its own mark schemes."""
    case, alt = read(source_path("case")), read(source_path("case_alternative"))

    def layout(nb):
        return [(nbg(c)["grade_id"], nbg(c).get("points", 0)) for c in nb.cells
                if nbg(c).get("grade")]

    assert layout(alt) == layout(case)
    assert stated_total(alt) == stated_total(case)
    told = "\n".join(c.source for c in alt.cells if c.id not in ("material", "closing"))
    for word in ("Ese", "madam", "oath", "prostitution", "Benin", "sell sex"):
        assert word not in told, word
    schemes = {c.id: c.source for c in case.cells if kind(c) == "task"}
    for cell in alt.cells:
        if kind(cell) == "task":
            assert SCHEME_BEGIN in cell.source and cell.source != schemes[cell.id], cell.id
    header = case.cells[0].source
    assert "`case_alternative`" in header and "alternative task" in header.lower()
