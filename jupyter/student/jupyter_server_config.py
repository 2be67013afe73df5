"""A student's JupyterLab: the course without the lecturers' tools (make lab, hub students)."""

import os

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

# nbgrader's server extensions: none for a student (the hub turns the Assignments list back on
# in ../hub-student/). Without them nbgrader never looks for a nbgrader_config.py, so a student's
# log has no "No nbgrader_config.py file found" warning.
c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
    # nbdime merges course updates into a student's copy (make lab); its diff tools are not
    # for students
    "nbdime": False,
}
# The lecturers' notes and the nbgrader source (with solutions) stay out of the file browser,
# and so do generated folders (test screenshots, node modules, builds).
c.ContentsManager.hide_globs = [
    "__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~",
    "instructor", "exercises", "*.progress.json", "*.progress.json.tmp", "*.ipynb.tmp",
    "node_modules", "test-artifacts", "_build",
]
# No news pop-up over the notebook and no call home for updates.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.app_settings_dir = os.path.join(HERE, "lab-settings")
