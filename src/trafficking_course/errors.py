"""The course's exception types: one per domain.

Every message names the file, the record and the field where they are known, so that a
lecturer editing a data file can find the mistake. The command line turns any CourseError into
exit status 2 and one line on stderr.
"""

from __future__ import annotations


class CourseError(Exception):
    """Base class for errors caused by bad input (a file, a record, a field)."""

    def __init__(self, message: str, *, file: object = None, record: object = None,
                 field: str | None = None):
        self.file = None if file is None else str(file)
        self.record = record
        self.field = field
        where = []
        if self.file is not None:
            where.append(self.file)
        if record is not None:
            where.append(f"record {record!r}")
        if field is not None:
            where.append(f"field {field!r}")
        self.detail = message
        super().__init__(f"{': '.join(where)}: {message}" if where else message)


class FactsError(CourseError):
    """Facts given to the legal engine are not in the published vocabulary."""


class ContentError(CourseError):
    """A lecturer-editable record (content/) does not match its schema or rules."""


class ScenarioError(ContentError):
    """A scenario file does not match the scenario schema."""


class PerspectiveError(ContentError):
    """A perspectives case file does not match its schema."""


class QuizError(ContentError):
    """A quiz file does not match the quiz schema."""


class ActivityError(ContentError):
    """A sorting activity file does not match the activity schema."""


class ActorCaseError(ContentError):
    """An actor-by-actor case file does not match its schema or the legal engine's facts."""


class IndicatorCaseError(ContentError):
    """An indicator case file does not match its schema or the ILO indicators."""


class DataError(CourseError):
    """A dataset is missing, malformed, or outside its declared types and ranges."""


class NotebookError(CourseError):
    """A notebook failed to run or is not a valid notebook."""


class GradingError(CourseError):
    """A step of the lecturer's grading cycle cannot proceed."""


class ProgressError(CourseError):
    """A learner's progress file cannot be read or written."""


class HubError(CourseError):
    """The class's JupyterHub (accounts, homes, exchange) cannot be set up as asked."""
