"""`python -m trafficking_course assess FILE`: a case's facts against both Protocols;
`python -m trafficking_course student-copy DIR`: make or update a student's own copy."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from trafficking_course import studentcopy
from trafficking_course.errors import FactsError
from trafficking_course.law import Facts, assess
from trafficking_course.paths import repo_root


def add_commands(sub: Any) -> None:
    p = sub.add_parser(
        "assess", help="assess a case's facts (JSON) against both Protocols",
        description="Read facts in the course's vocabulary as one JSON object and print the "
        "verdict with its reasons as JSON. Example: echo '{\"acts\": [\"recruitment\"]}' | "
        "python -m trafficking_course assess -",
    )
    p.add_argument("file", help="a JSON file of facts, or - for standard input")
    p.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    p.set_defaults(func=cmd_assess)
    c = sub.add_parser(
        "student-copy", help="make or update a student's own copy of the course notebooks",
        description="Copy the course's notebooks (course/, notebooks/) into DIR, or bring an "
        "existing copy up to date: the course's corrections are merged in and the student's "
        "answers, edits and notes are kept. `make lab` runs this before opening JupyterLab.",
    )
    c.add_argument("target", help="the student's folder (made when missing)")
    c.add_argument("--source", default=None,
                   help="the course to copy from (default: this checkout)")
    c.add_argument("--quiet", action="store_true", help="print only what changed")
    c.set_defaults(func=cmd_student_copy)


def read_facts(file: str) -> Any:
    """Read one JSON value of facts from a path or '-' (stdin); FactsError on bad JSON."""
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


def cmd_assess(args: argparse.Namespace) -> int:
    name = "<stdin>" if args.file == "-" else args.file
    facts = read_facts(args.file)
    result = assess(Facts.from_dict(facts, source=name))
    print(result.to_json(indent=args.indent))
    return 0


def cmd_student_copy(args: argparse.Namespace) -> int:
    source = Path(args.source) if args.source else repo_root()
    if source is None:
        raise studentcopy.StudentCopyError("no course checkout here: give --source")
    report = studentcopy.sync(source, Path(args.target))
    for line in report.lines():
        print(line)
    if not args.quiet:
        print(f"Your copy of the course: {Path(args.target).resolve()} "
              f"({len(report.unchanged)} notebook(s) already up to date).")
    return 0
