"""Code-health checks the test suite runs over the repository: function length and layering.

ruff checks complexity (C901) and statements per function (PLR0915); it has no rule for a
function's length in lines, nor for the package's layers, so these two are here:

* no function or method longer than MAX_FUNCTION_LINES lines (decorators and docstring
  included) in any Python file git tracks;
* the package's layers import only downwards (LAYERS), so the tree shows the architecture and
  there is no import cycle between subpackages or modules.
"""

from __future__ import annotations

import ast
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_FUNCTION_LINES = 60
PACKAGE = "trafficking_course"

#: Each layer may import the layers listed for it (and itself); nothing else of the package.
#: "core" is the package's top-level modules (errors, paths, progress, plots).
LAYERS: dict[str, set[str]] = {
    "core": {"core"},
    "law": {"core", "law"},
    "content": {"core", "law", "content"},
    "datasets": {"core", "datasets"},
    "widgets": {"core", "law", "content", "datasets", "widgets"},
    "grading": {"core", "law", "content", "datasets", "grading"},
    "hub": {"core", "hub"},
    "dev": {"core", "law", "content", "datasets", "dev"},
    "cli": {"core", "law", "content", "datasets", "grading", "dev", "cli"},
}


@dataclass(frozen=True)
class LongFunction:
    path: str
    name: str
    line: int
    lines: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.name} has {self.lines} lines " \
               f"(at most {MAX_FUNCTION_LINES})"


def python_files(root: Path) -> list[Path]:
    """Every Python file git tracks (or would track) in the repository."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                          "*.py"], cwd=root, capture_output=True, text=True, check=True).stdout
    return [root / line for line in out.splitlines() if (root / line).is_file()]


def long_functions(path: Path, root: Path) -> Iterator[LongFunction]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            lines = (node.end_lineno or node.lineno) - start + 1
            if lines > MAX_FUNCTION_LINES:
                yield LongFunction(str(path.relative_to(root)), node.name, start, lines)


def layer_of(module: str) -> str:
    """'trafficking_course.law.engine' -> 'law'; a top-level module -> 'core'."""
    parts = module.split(".")
    if module == f"{PACKAGE}.__main__":
        return "cli"
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS):
        return parts[1] if parts[1] in LAYERS else "core"
    return "core"


def module_imports(path: Path, package_dir: Path) -> tuple[str, set[str]]:
    """The module's dotted name and the package modules it imports (at any depth)."""
    rel = path.relative_to(package_dir.parent).with_suffix("")
    name = ".".join(rel.parts).removesuffix(".__init__")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == PACKAGE:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == PACKAGE}
    return name, found


def layering_violations(package_dir: Path) -> list[str]:
    """Imports that go up or sideways between layers, e.g. law importing widgets."""
    problems = []
    for path in sorted(package_dir.rglob("*.py")):
        name, imports = module_imports(path, package_dir)
        layer = layer_of(name)
        for target in sorted(imports):
            if target == PACKAGE:
                continue
            if layer_of(target) not in LAYERS[layer]:
                problems.append(f"{name} ({layer}) imports {target} ({layer_of(target)})")
    return problems


def import_cycles(package_dir: Path) -> list[list[str]]:
    """Cycles among the package's modules (module-level and function-level imports alike)."""
    graph = dict(module_imports(p, package_dir) for p in sorted(package_dir.rglob("*.py")))
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])
    return cycles
