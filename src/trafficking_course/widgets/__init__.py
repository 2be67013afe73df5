"""ipywidgets views over the course's pure model; each exposes `.state` as plain Python values.

    from trafficking_course.widgets import ScenarioClassifier, ElementExplorer, \\
        IndicatorChecklist, Quiz, CategorySorter

Every widget constructs without a front end and can be driven headless: set a control's
`.value`, call a button's `.click()`, read `.state` and the feedback widgets' `.value`.
"""

from trafficking_course.widgets.checklist import IndicatorChecklist
from trafficking_course.widgets.classifier import ScenarioClassifier
from trafficking_course.widgets.explorer import ElementExplorer
from trafficking_course.widgets.quiz import Quiz
from trafficking_course.widgets.sorter import CategorySorter

__all__ = ["CategorySorter", "ElementExplorer", "IndicatorChecklist", "Quiz",
           "ScenarioClassifier"]
