"""Maintainers' commands: `clean-notebooks` and `bench-notebooks` (over trafficking_course.dev).

Each command imports what it drives when it runs, so that `--help` and `assess` start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from trafficking_course.errors import NotebookError
from trafficking_course.paths import repo_root


def _root(args: argparse.Namespace) -> Path:
    root = Path(args.root) if getattr(args, "root", None) else repo_root()
    if root is None:
        raise NotebookError("not in a course checkout; pass --root", file=Path.cwd())
    return root


def add_commands(sub: Any) -> None:
    p = sub.add_parser("clean-notebooks", help="strip outputs and execution counts")
    p.add_argument("paths", nargs="*", help="notebooks (default: every course notebook)")
    p.add_argument("--root", help="repository root (default: this checkout)")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("bench-notebooks", help="time every notebook serially and in parallel")
    p.add_argument("--root", help="repository root (default: this checkout)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    p.set_defaults(func=cmd_bench)


def cmd_clean(args: argparse.Namespace) -> int:
    from trafficking_course.dev.notebooks import clean_notebook, find_notebooks

    paths = [Path(p) for p in args.paths] or find_notebooks(_root(args))
    changed = [p for p in paths if clean_notebook(p)]
    for p in changed:
        print(f"cleaned {p}")
    print(f"{len(changed)} of {len(paths)} notebooks changed")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from trafficking_course.dev.bench import bench_notebooks

    result = bench_notebooks(_root(args), workers=args.workers)
    print(result.table())
    for error in result.errors:
        print(f"FAILED {error}", file=sys.stderr)
    return 1 if result.errors else 0
