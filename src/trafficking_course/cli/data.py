"""`python -m trafficking_course data ...`: list, validate and make the course's datasets."""

from __future__ import annotations

import argparse
from typing import Any

from trafficking_course.errors import DataError


def add_commands(sub: Any) -> None:
    p = sub.add_parser("data", help="the course's datasets: list, validate, make synthetic data")
    data_sub = p.add_subparsers(dest="data_command", metavar="ACTION")
    p.set_defaults(func=lambda args: p.print_help() or 0)

    q = data_sub.add_parser("list", help="every dataset with its title and licence")
    q.set_defaults(func=cmd_list)

    q = data_sub.add_parser("validate", help="check every dataset (or CTDC files) against "
                            "its schema")
    q.add_argument("ctdc_files", nargs="*", help="CTDC files to check with load_ctdc")
    q.set_defaults(func=cmd_validate)

    q = data_sub.add_parser("synth", help="write a SYNTHETIC CTDC-schema teaching sample")
    q.add_argument("--seed", type=int, default=2026)
    q.add_argument("--rows", type=int, default=3000)
    q.add_argument("--variant", choices=("typeOf", "sectorOf"), default="typeOf")
    q.add_argument("--out", required=True, help="CSV file to write")
    q.set_defaults(func=cmd_synth)


def cmd_list(args: argparse.Namespace) -> int:
    from trafficking_course import datasets  # pandas: only when the command runs

    for name in datasets.resource_names():
        res = datasets.resource(name)
        licences = ", ".join(lic["name"] for lic in res.get("licenses", []))
        print(f"{name}: {res.get('title', '')} [{licences}]")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from trafficking_course import datasets  # pandas: only when the command runs

    if args.ctdc_files:
        for f in args.ctdc_files:
            frame = datasets.load_ctdc(f)
            print(f"{f}: {len(frame)} records, {frame.attrs['ctdc_schema']} layout, valid")
        return 0
    for name, rows in datasets.validate_all().items():
        print(f"{name}: {rows} rows, valid")
    try:  # a second, independent check where the frictionless library is installed
        import frictionless
    except ImportError:
        print("frictionless is not installed: skipped its check")
        return 0
    report = frictionless.validate(str(datasets.package_path()))
    if not report.valid:
        problems = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
        problems += [e.message for e in report.errors]
        raise DataError("frictionless finds the package invalid: " + "; ".join(problems[:5]),
                        file=datasets.package_path())
    print("frictionless: the data package is valid")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from trafficking_course.datasets.synthetic import write_sample

    path = write_sample(args.out, seed=args.seed, rows=args.rows, variant=args.variant)
    print(f"wrote {args.rows} SYNTHETIC records (seed {args.seed}) to {path}")
    return 0

