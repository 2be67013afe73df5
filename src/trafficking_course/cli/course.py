"""`python -m trafficking_course assess FILE`: a case's facts against both Protocols."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from trafficking_course.errors import FactsError
from trafficking_course.law import Facts, assess


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
