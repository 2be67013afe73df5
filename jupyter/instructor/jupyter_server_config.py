"""A lecturer's JupyterLab: the course with nbgrader's formgrader and assignment tools."""

import os

from jupyterlab.commands import get_workspaces_dir

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": True,
    "nbgrader.server_extensions.validate_assignment": True,
    "nbgrader.server_extensions.assignment_list": True,
    "nbgrader.server_extensions.course_list": True,
}
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.app_settings_dir = os.path.join(HERE, "lab-settings")
# A workspace (open tabs, layout) of the lecturer's own, apart from a student lab's (make lab):
# one's tabs do not open in the other (the formgrader's root is exercises/, the student lab
# hides instructor/). COURSE_LAB_WORKSPACE names it (make formgrader: "formgrader").
WORKSPACE = os.environ.get("COURSE_LAB_WORKSPACE", "instructor")
c.LabApp.workspaces_dir = f"{get_workspaces_dir()}-{WORKSPACE}"
