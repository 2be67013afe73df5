"""nbgrader's Assignments tab for a student's server on the class hub, loaded on first use.

nbgrader's own server extension (nbgrader.server_extensions.assignment_list) imports the whole
of nbgrader when the server starts: its apps, exchange, preprocessors, nbconvert, SQLAlchemy.
That is about 0.7 CPU seconds of every student's server start (a third of it), paid by every
student at every login although most open the Assignments tab once a week, if at all.

This extension registers the same URLs with a stand-in handler. The first request to any of
them imports nbgrader's handlers, sets up their assignment list exactly as nbgrader's loader
does, and the stand-in then becomes nbgrader's handler for that request (and every later one):
the Assignments tab, fetch, submit and fetch feedback behave as with nbgrader's extension.
jupyter/hub-student/jupyter_server_config.py turns nbgrader's loader off and this one on.
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

#: where nbgrader's Assignments handlers live (their URL patterns are its `default_handlers`)
NBGRADER_HANDLERS = "nbgrader.server_extensions.assignment_list.handlers"
#: the URL patterns nbgrader registers (nbgrader 0.9: handlers.default_handlers)
ROUTES = (
    r"/assignments",
    r"/assignments/(?P<action>fetch|submit|fetch_feedback)",
    r"/courses",
    r"/nbgrader_version",
)

_lock = threading.Lock()


def nbgrader_handlers(serverapp: Any) -> dict[str, type]:
    """nbgrader's handler for each route, with its assignment list set up (once per server)."""
    with _lock:
        module = import_module(NBGRADER_HANDLERS)
        settings = serverapp.web_app.settings
        if "assignment_list_manager" not in settings:
            # as nbgrader's load_jupyter_server_extension does
            manager = module.AssignmentList(parent=serverapp)
            manager.root_dir = serverapp.root_dir
            settings["assignment_list_manager"] = manager
        handlers = dict(module.default_handlers)
    missing = [route for route in ROUTES if route not in handlers]
    if missing:
        raise RuntimeError(f"{NBGRADER_HANDLERS} no longer serves {', '.join(missing)}: "
                           "turn nbgrader.server_extensions.assignment_list back on in "
                           "jupyter/hub-student/jupyter_server_config.py")
    return handlers


class FirstUseHandler(JupyterHandler):
    """Stands in for one of nbgrader's handlers; on a request it becomes that handler."""

    def initialize(self, route: str, serverapp: Any) -> None:
        self._route = route
        self._serverapp = serverapp

    def prepare(self, *, _redirect_to_login: Any = True) -> Any:
        real: Any = nbgrader_handlers(self._serverapp)[self._route]
        # Tornado looks the method up (get, post) after prepare(): from here on this request
        # is served by nbgrader's own handler, its authentication and checks included.
        self.__class__ = real
        return real.prepare(self, _redirect_to_login=_redirect_to_login)


def _load_jupyter_server_extension(serverapp: Any) -> None:
    base_url = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base_url, route), FirstUseHandler,
         {"route": route, "serverapp": serverapp})
        for route in ROUTES
    ])
    serverapp.log.info("nbgrader's Assignments tab: loaded on its first use")
