"""A student's server on the class hub: ../student/ plus nbgrader's Assignments tab.

Put in front of ../student/ on JUPYTER_CONFIG_PATH by the hub's config. The Assignments
tab (fetch, submit, fetch feedback) talks to nbgrader's assignment_list handlers, which
trafficking_course.hub.assignments loads on the tab's first use rather than at every server
start (a third of a student's server start otherwise); the formgrader, Create Assignment and
Validate stay off.
"""

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.validate_assignment": False,
    "nbgrader.server_extensions.assignment_list": False,
    "nbgrader.server_extensions.course_list": False,
    "trafficking_course.hub.assignments": True,
}
