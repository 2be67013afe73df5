"""`python -m trafficking_course COMMAND ...`: see trafficking_course.cli."""

import sys

from trafficking_course.cli import main

if __name__ == "__main__":
    sys.exit(main())
