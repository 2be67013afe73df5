"""The command line: `python -m trafficking_course COMMAND ...`.

One module per command group in this package (course, data, dev, grading), each a thin layer
over the Python API: it parses arguments, calls the API and prints. This module wires them
together. Bad input (any CourseError) becomes exit status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from trafficking_course import __version__
from trafficking_course.errors import CourseError

#: Modules that add sub-commands: each has `add_commands(subparsers)`; a command's handler is
#: stored as the parser default `func(args) -> int`.
COMMAND_MODULES = [
    "trafficking_course.cli.course",
    "trafficking_course.cli.data",
    "trafficking_course.cli.dev",
    "trafficking_course.cli.grading",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m trafficking_course",
        description="Tools behind the course on human trafficking, people smuggling, "
        "globalisation and gender.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stderr.close()
        return 0
