"""`python -m trafficking_course grading STEP ...`: the lecturer's cycle, one command per step.

A thin layer over the Python API in trafficking_course.grading; each Makefile target of the
cycle calls one of these. Every command takes --root (default: exercises/ of this checkout).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the commands import what they drive when they run: a fast --help
    from trafficking_course.grading.course import Course


def _course(args) -> Course:
    from trafficking_course.grading.course import Course

    return Course(Path(args.root)) if args.root else Course.default()


def add_commands(sub) -> None:
    g = sub.add_parser("grading", help="the lecturer's grading cycle (nbgrader)")
    steps = g.add_subparsers(dest="step", metavar="STEP")

    def step(name, func, help_, assignment=True):
        p = steps.add_parser(name, help=help_)
        p.add_argument("--root", help="nbgrader course root (default: exercises/)")
        if assignment:
            p.add_argument("assignment", help="assignment name (folder in source/)")
        p.set_defaults(func=func)
        return p

    step("validate", cmd_validate, "nbgrader validate the solution form")
    step("generate", cmd_generate, "student version into release/, then the leak scan")
    step("release", cmd_release, "release the student version to the nbgrader exchange")
    p = step("collect", cmd_collect, "collect submissions (exchange, or --from a folder)")
    p.add_argument("--from", dest="source", help="a folder of submitted notebooks (LMS export)")
    _autograde_options(step("autograde", cmd_autograde,
                            "autograde in parallel (only new/changed submissions)"))
    p = step("leak-scan", cmd_leak_scan, "fail if solutions/hidden tests/mark schemes leak")
    p.add_argument("--where", choices=["release", "feedback", "both"], default="both")
    p = step("feedback", cmd_feedback, "feedback pages without hidden tests, then the leak scan")
    p.add_argument("--release", action="store_true", help="also release it to the exchange")
    p = step("export", cmd_export, "grades CSV (all assignments) and per-question CSV")
    p.add_argument("--allow-pending", action="store_true",
                   help="export partial totals on purpose while written answers are not "
                        "marked yet (a 'pending' column marks those rows)")
    p = step("roster", cmd_roster, "put the class list (roster.csv) into the gradebook",
             assignment=False)
    p.add_argument("--roster", help="roster CSV (default: roster.csv in the course root)")
    p = step("export-lms", cmd_export_lms, "grades for Canvas or Moodle (ids from roster.csv)",
             assignment=False)
    p.add_argument("lms", choices=["canvas", "moodle"], help="the LMS's grade import format")
    p.add_argument("--roster", help="roster CSV with each student's lms_id (default: roster.csv)")
    p.add_argument("--output", help="CSV to write (default: reports/<lms>-grades.csv)")
    p.add_argument("--allow-pending", action="store_true",
                   help="export partial totals on purpose while written answers are not "
                        "marked yet (a 'Pending manual grades' column marks those rows)")
    step("report", cmd_report, "cohort report to reports/<assignment>.html")
    p = step("similarity", cmd_similarity,
             "written answers unusually alike (flags for a human, never a grade)")
    p.add_argument("--threshold", type=float, default=None,
                   help="similarity from 0 to 1 at which a pair is flagged (default 0.4)")
    p = step("simulate", cmd_simulate, "write a simulated cohort as an LMS export folder")
    p.add_argument("out", help="folder to write")
    p.add_argument("--students", type=int, default=None,
                   help="a cohort of N correct/partly correct students instead of the cases")
    p = step("bench", cmd_bench, "serial nbgrader autograde vs parallel autograde")
    p.add_argument("--students", type=int, default=60)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--sandbox", choices=["auto", "require", "off"], default="auto")
    p.add_argument("--output", help="append the result table to this Markdown file")

    def no_step(args):
        g.print_help()
        return 0

    g.set_defaults(func=no_step)


def _autograde_options(p) -> None:
    p.add_argument("--workers", type=int, default=None, help="parallel students (default: cores)")
    p.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell")
    p.add_argument("--force", action="store_true", help="regrade every submission")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--sandbox", choices=["auto", "require", "off"], default="auto",
                   help="sandbox each student's kernel with bubblewrap: auto (where "
                        "available), require (refuse without it), off (warned)")
    p.add_argument("--tests-in-kernel", action="store_true",
                   help="the old, unsafe path, for comparison only: run the test cells in the "
                        "student's kernel (with the test guard) instead of in the grader")


def cmd_validate(args) -> int:
    from trafficking_course.grading.cycle import validate

    validate(_course(args), args.assignment)
    print(f"{args.assignment}: solution form passes nbgrader validate")
    return 0


def cmd_generate(args) -> int:
    from trafficking_course.grading.cycle import generate

    path = generate(_course(args), args.assignment)
    print(f"student version in {path}; leak scan passed")
    return 0


def cmd_release(args) -> int:
    from trafficking_course.grading.cycle import release

    release(_course(args), args.assignment)
    print(f"{args.assignment} released to the exchange")
    return 0


def cmd_collect(args) -> int:
    from trafficking_course.grading.cycle import collect_exchange, collect_folder

    course = _course(args)
    if args.source:
        report = collect_folder(course, args.assignment, Path(args.source))
        print(f"collected {len(report.collected)} submissions into {course.root / 'submitted'}")
        for sid, notes in sorted(report.notes.items()):
            for note in notes:
                print(f"  {sid}: {note}")
        for sid, problem in sorted(report.problems.items()):
            print(f"  {sid}: NOT collected: {problem}", file=sys.stderr)
        return 1 if report.problems else 0
    students = collect_exchange(course, args.assignment)
    print(f"{len(students)} students have submissions in {course.root / 'submitted'}")
    return 0


def cmd_autograde(args) -> int:
    from trafficking_course.grading.run.autograde import autograde

    report = autograde(_course(args), args.assignment, workers=args.workers,
                       cell_timeout=args.cell_timeout, force=args.force,
                       students=args.student, progress=not args.no_progress,
                       sandbox=args.sandbox,
                       tests="kernel" if args.tests_in_kernel else "trusted")
    print(report.summary())
    return 0


def cmd_leak_scan(args) -> int:
    from trafficking_course.grading.reports import leaks

    where = ("release", "feedback") if args.where == "both" else (args.where,)
    course = _course(args)
    leaks.check(course, args.assignment, where=where)
    print(f"{args.assignment}: no solution, hidden test or mark scheme in {' or '.join(where)}")
    return 0


def cmd_feedback(args) -> int:
    from trafficking_course.grading.cycle import feedback, release_feedback

    course = _course(args)
    report = feedback(course, args.assignment)
    print(report.summary())
    kept = "every page kept" if not report.withheld else "the pages that failed it removed"
    print(f"pages in {course.root / 'feedback'}; leak scan run, {kept}")
    if args.release:
        release_feedback(course, args.assignment)
        print("feedback released to the exchange")
    return 1 if report.failed or report.withheld else 0


def cmd_export(args) -> int:
    from trafficking_course.grading.cycle import export_grades, export_questions

    course = _course(args)
    print(f"grades: {export_grades(course, allow_pending=args.allow_pending)}")
    print(f"per question: {export_questions(course, args.assignment)}")
    return 0


def cmd_roster(args) -> int:
    from trafficking_course.grading.reports.lms import import_roster

    count, others = import_roster(_course(args), args.roster and Path(args.roster))
    print(f"{count} students from the roster in the gradebook")
    if others:
        print(f"in the gradebook but not on the roster: {', '.join(others)}")
    return 0


def cmd_export_lms(args) -> int:
    from trafficking_course.grading.reports.lms import export_lms

    path = export_lms(_course(args), args.lms, roster=args.roster and Path(args.roster),
                      out=args.output and Path(args.output),
                      allow_pending=args.allow_pending)
    print(f"{args.lms} grades: {path}")
    return 0


def cmd_report(args) -> int:
    from trafficking_course.grading.reports.report import cohort_report

    report = cohort_report(_course(args), args.assignment)
    print(f"cohort report: {report.path}")
    if report.most_missed_element:
        print(f"legal element missed most: {report.missed_most_text()}")
    if report.pending:
        print(f"still to mark by hand: {report.pending} written answer(s); left out of the "
              "question figures, totals partial")
    return 0


def cmd_similarity(args) -> int:
    from trafficking_course.grading.reports import similarity

    course = _course(args)
    threshold = similarity.THRESHOLD if args.threshold is None else args.threshold
    pairs = similarity.similarity_report(course, args.assignment, threshold=threshold)
    print(similarity.summary(args.assignment, pairs))
    print(f"written to {course.reports / (args.assignment + '-similarity.csv')}")
    return 0


def cmd_simulate(args) -> int:
    from trafficking_course.grading.reports.cohort import simulate

    roster = simulate(_course(args), args.assignment, Path(args.out), students=args.students)
    print(f"{len(roster)} simulated students in {args.out} (roster.csv, expected.csv)")
    return 0


def cmd_bench(args) -> int:
    from trafficking_course.grading.bench import bench

    text = bench(_course(args), args.assignment, students=args.students, workers=args.workers,
                 sandbox=args.sandbox)
    print(text)
    if args.output:
        from trafficking_course.grading.bench import record

        record(Path(args.output), text)
        print(f"recorded in {args.output}")
    return 0
