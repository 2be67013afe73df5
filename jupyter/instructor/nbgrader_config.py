"""nbgrader in the lecturer's JupyterLab reads the course's own config (exercises/)."""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

COURSE = os.environ.get(
    "COURSE_NBGRADER_CONFIG",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "exercises",
                 "nbgrader_config.py"),
)
load_subconfig(os.path.abspath(COURSE))  # noqa: F821 (provided by traitlets)
