"""Finding, running, cleaning and timing the course's notebooks.

Used by the test suite (every notebook is run by papermill), by `make clean-notebooks` and by
`make bench`. Running is done with papermill; reading and writing with nbformat.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

from trafficking_course.errors import NotebookError

#: Folders whose notebooks are part of the course and therefore run as tests.
NOTEBOOK_DIRS = ("course", "notebooks", "exercises/source")

#: Environment variables that point Jupyter, IPython and matplotlib at private folders, so a
#: run never reads or writes the user's own configuration.
HERMETIC_VARS = {
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_DATA_DIR": "jupyter-data",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "IPYTHONDIR": "ipython",
    "MPLCONFIGDIR": "matplotlib",
}


class NotebookFailure(NotebookError):
    """A notebook raised, timed out or could not be run."""

    def __init__(self, notebook, message, *, cell_index=None, ename=None, evalue=None):
        self.notebook = str(notebook)
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue
        super().__init__(message, file=notebook)


def find_notebooks(root: Path, dirs: tuple[str, ...] = NOTEBOOK_DIRS) -> list[Path]:
    """Every .ipynb below the given folders of root, sorted, checkpoints excluded."""
    found: list[Path] = []
    for d in dirs:
        base = Path(root) / d
        if base.is_dir():
            found.extend(
                p for p in base.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
            )
    return sorted(found)


def hermetic_environ(base: Path) -> dict[str, str]:
    """The variables of HERMETIC_VARS pointed at fresh folders under base."""
    env = {}
    for var, sub in HERMETIC_VARS.items():
        path = Path(base) / sub
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    env["MPLBACKEND"] = "Agg"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


#: seconds to wait for a cell's outputs once the kernel has replied (nbclient's default is 4)
IOPUB_TIMEOUT = 60


@contextlib.contextmanager
def _deadline(seconds: float | None, notebook: Path) -> Iterator[None]:
    """Raise NotebookFailure when the block runs longer than seconds (main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise NotebookFailure(notebook, f"notebook did not finish within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_notebook(
    path: Path,
    *,
    output: Path | None = None,
    parameters: dict | None = None,
    cell_timeout: float = 300,
    notebook_timeout: float | None = 900,
    cwd: Path | None = None,
    kernel_name: str = "python3",
) -> nbformat.NotebookNode:
    """Run a notebook top to bottom with papermill and return the executed notebook.

    Raises NotebookFailure naming the notebook, the index of the failing cell and the error.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    path = Path(path)
    if output is None:
        fd, tmp = tempfile.mkstemp(suffix=".ipynb")
        os.close(fd)
        output = Path(tmp)
    try:
        with _deadline(notebook_timeout, path):
            return pm.execute_notebook(
                str(path),
                str(output),
                parameters=parameters or {},
                kernel_name=kernel_name,
                cwd=str(cwd or path.parent),
                execution_timeout=cell_timeout,
                # papermill makes a late output an error, and nbclient waits only 4 s for a
                # cell's outputs after its reply: on a busy machine a cell that builds an
                # activity's hundred-odd widgets (module 1's actor case) sends them later
                # than that, and the notebook "failed" though nothing was wrong
                iopub_timeout=IOPUB_TIMEOUT,
                progress_bar=False,
                log_output=False,
            )
    except PapermillExecutionError as exc:
        raise NotebookFailure(
            path,
            f"cell {exc.cell_index} raised {exc.ename}: {exc.evalue}",
            cell_index=exc.cell_index,
            ename=exc.ename,
            evalue=exc.evalue,
        ) from None
    except NotebookFailure:
        raise
    except Exception as exc:  # timeouts, dead kernels, unreadable files
        index = _failed_cell_index(output)
        where = f"cell {index}: " if index is not None else ""
        raise NotebookFailure(
            path, f"{where}{type(exc).__name__}: {exc}", cell_index=index, ename=type(exc).__name__
        ) from None


def _failed_cell_index(output: Path) -> int | None:
    """The index of the cell papermill was running when a run broke off, if it says."""
    try:
        nb = nbformat.read(str(output), as_version=4)
    except Exception:
        return None
    for i, cell in enumerate(nb.cells):
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        if status in ("running", "failed"):
            return i
    return None


def clean_notebook(path: Path) -> bool:
    """Strip outputs, execution counts and run metadata; set kernelspec python3.

    Returns True when the file changed. nbgrader's cell metadata is kept.
    """
    path = Path(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:
        raise NotebookError(f"not a readable notebook: {exc}", file=path) from None
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "papermill", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
    for key in ("widgets", "papermill", "toc-autonumbering"):
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    after = nbformat.writes(nb)
    if after != before:
        path.write_text(after + ("" if after.endswith("\n") else "\n"), encoding="utf-8")
        return True
    return False


def notebook_problems(path: Path) -> list[str]:
    """What keeps a committed notebook from being clean: outputs, counts, wrong kernel."""
    nb = nbformat.read(str(path), as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            if cell.get("outputs"):
                problems.append(f"cell {i} has outputs")
            if cell.get("execution_count") is not None:
                problems.append(f"cell {i} has an execution count")
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(f"kernelspec is {kernel!r}, not 'python3'")
    return problems


@dataclass
class Timing:
    notebook: str
    seconds: float
    ok: bool
    error: str = ""


def _timed_run(path_str: str, env: dict[str, str], cell_timeout: float) -> Timing:
    os.environ.update(env)
    start = time.perf_counter()
    try:
        run_notebook(Path(path_str), cell_timeout=cell_timeout, notebook_timeout=None)
        return Timing(path_str, time.perf_counter() - start, True)
    except NotebookFailure as exc:
        return Timing(path_str, time.perf_counter() - start, False, str(exc))


def run_many(
    paths: list[Path], *, workers: int, env: dict[str, str], cell_timeout: float = 300,
    progress: bool = True,
) -> tuple[list[Timing], float]:
    """Run notebooks on `workers` processes; return per-notebook timings and the wall time."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    start = time.perf_counter()
    results: list[Timing] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_timed_run, str(p), env, cell_timeout) for p in paths]
        for fut in tqdm(as_completed(futures), total=len(futures), disable=not progress,
                        desc=f"{workers} worker(s)", unit="nb"):
            results.append(fut.result())
    return sorted(results, key=lambda t: t.notebook), time.perf_counter() - start
