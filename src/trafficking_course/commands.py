"""Sub-commands: assess a case's facts, and the repository's notebook housekeeping."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from .errors import FactsError, NotebookError
from .legal import assess
from .notebooks import clean_notebook, find_notebooks, hermetic_environ, run_many
from .paths import repo_root


def _root(args) -> Path:
    root = Path(args.root) if getattr(args, "root", None) else repo_root()
    if root is None:
        raise NotebookError("not in a course checkout; pass --root", file=Path.cwd())
    return root


def add_commands(sub) -> None:
    p = sub.add_parser(
        "assess", help="assess a case's facts (JSON) against both Protocols",
        description="Read facts in the course's vocabulary as one JSON object and print the "
        "verdict with its reasons as JSON. Example: echo '{\"acts\": [\"recruitment\"]}' | "
        "python -m trafficking_course assess -",
    )
    p.add_argument("file", help="a JSON file of facts, or - for standard input")
    p.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("clean-notebooks", help="strip outputs and execution counts")
    p.add_argument("paths", nargs="*", help="notebooks (default: every course notebook)")
    p.add_argument("--root", help="repository root (default: this checkout)")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("bench-notebooks", help="time every notebook serially and in parallel")
    p.add_argument("--root", help="repository root (default: this checkout)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    p.set_defaults(func=cmd_bench)


def cmd_clean(args) -> int:
    paths = [Path(p) for p in args.paths] or find_notebooks(_root(args))
    changed = [p for p in paths if clean_notebook(p)]
    for p in changed:
        print(f"cleaned {p}")
    print(f"{len(changed)} of {len(paths)} notebooks changed")
    return 0


def cmd_bench(args) -> int:
    root = _root(args)
    paths = find_notebooks(root)
    with tempfile.TemporaryDirectory() as tmp:
        env = hermetic_environ(Path(tmp))
        serial, serial_wall = run_many(paths, workers=1, env=env)
        # longest first, by the serial timings, so no long notebook starts last
        longest_first = [Path(t.notebook) for t in sorted(serial, key=lambda t: -t.seconds)]
        parallel, parallel_wall = run_many(longest_first, workers=args.workers, env=env)
    failed = [t for t in serial + parallel if not t.ok]
    print(f"\nNotebook benchmark: {len(paths)} notebooks, {os.cpu_count()} cores, "
          f"{args.workers} parallel workers\n")
    print("| notebook | serial run (s) | in parallel run (s) |")
    print("|---|---:|---:|")
    for s, p in zip(serial, parallel, strict=True):
        print(f"| {Path(s.notebook).relative_to(root)} | {s.seconds:.1f} | {p.seconds:.1f} |")
    print(f"| **wall time, all notebooks** | **{serial_wall:.1f}** | **{parallel_wall:.1f}** |")
    print(f"\nspeed-up (serial / parallel wall time): {serial_wall / parallel_wall:.2f}x")
    for t in failed:
        print(f"FAILED {t.error}", file=sys.stderr)
    return 1 if failed else 0


def read_facts(file: str) -> dict:
    """Read one JSON object of facts from a path or '-' (stdin); FactsError on bad JSON."""
    name = "<stdin>" if file == "-" else file
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except OSError as exc:
        raise FactsError(f"cannot read the file: {exc.strerror}", file=name) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FactsError(f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                         file=name) from None


def cmd_assess(args) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    facts = read_facts(args.file)
    from .legal import Facts

    result = assess(Facts.from_dict(facts, source=name))
    print(result.to_json(indent=args.indent))
    return 0
