"""nbgrader's region markers, read from the course's configuration (one source for all).

nbgrader marks a model answer with `### BEGIN SOLUTION` ... `### END SOLUTION`, hidden tests
with `### BEGIN HIDDEN TESTS` ..., a mark scheme with `=== BEGIN MARK SCHEME ===` ...: these
are the traits ClearSolutions.begin_solution_delimeter, ClearHiddenTests.begin_test_delimeter
and ClearMarkScheme.begin_mark_scheme_delimeter (and their `end_` twins), which a lecturer may
change in nbgrader_config.py. The leak scan, the simulated cohort and the feedback
preprocessor read them here, through nbgrader's own classes, so they follow the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trafficking_course.grading.course import Course


@dataclass(frozen=True)
class Markers:
    solution: tuple[str, str]
    hidden_tests: tuple[str, str]
    mark_scheme: tuple[str, str]

    def regions(self) -> dict[str, tuple[str, str]]:
        """Region kind (as the leak scan names it) -> (begin, end) marker."""
        return {"solution": self.solution, "hidden test": self.hidden_tests,
                "mark scheme": self.mark_scheme}

    def any_in(self, text: str) -> bool:
        return any(m in text for pair in self.regions().values() for m in pair)


def markers_from_config(config: Any = None) -> Markers:
    """The markers nbgrader's preprocessors use under `config` (None: nbgrader's defaults)."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearMarkScheme, ClearSolutions
    from traitlets.config import Config

    config = config if config is not None else Config()
    sol, tests, scheme = (ClearSolutions(config=config), ClearHiddenTests(config=config),
                          ClearMarkScheme(config=config))
    return Markers((sol.begin_solution_delimeter, sol.end_solution_delimeter),
                   (tests.begin_test_delimeter, tests.end_test_delimeter),
                   (scheme.begin_mark_scheme_delimeter, scheme.end_mark_scheme_delimeter))


def course_markers(course: Course) -> Markers:
    """The markers of a course root's nbgrader_config.py."""
    return markers_from_config(course.load_config())
