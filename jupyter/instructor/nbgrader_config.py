"""nbgrader in the lecturer's JupyterLab reads the course's own config (exercises/).

On the class hub, its jupyterhub_config.py points COURSE_NBGRADER_CONFIG at the instructor's own
copy of exercises/ and NBGRADER_EXCHANGE at the exchange shared by all accounts.
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

COURSE = os.environ.get(
    "COURSE_NBGRADER_CONFIG",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "exercises",
                 "nbgrader_config.py"),
)
load_subconfig(os.path.abspath(COURSE))  # noqa: F821 (provided by traitlets)
if "NBGRADER_EXCHANGE" in os.environ:
    c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
