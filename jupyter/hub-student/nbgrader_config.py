"""nbgrader for a student on the class hub: the course and the exchange shared by all accounts.

the hub's jupyterhub_config.py sets NBGRADER_EXCHANGE and NBGRADER_COURSE_ID in each server's
environment (the exchange is a folder under the hub's state folder).
"""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = os.environ.get("NBGRADER_COURSE_ID", "trafficking-course")
if "NBGRADER_EXCHANGE" in os.environ:
    c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
