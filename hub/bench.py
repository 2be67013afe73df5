"""`make bench-hub`: N simulated students on the class hub (see trafficking_course.dev.hubbench)."""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trafficking_course.dev import hubbench  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--output", type=Path, help="append the result to this Markdown file")
    args = parser.parse_args()
    runs, machine = hubbench.bench(args.students)
    text = hubbench.report(runs, machine)
    print(text)
    if args.output:
        with args.output.open("a") as fh:
            fh.write("\n" + text)
    return 0 if all(not r.error for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
