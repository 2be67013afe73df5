"""JupyterHub for one class on one machine (`make hub`): the course for each account.

Read by `jupyterhub -f` from the hub's own Python (STATE/python, where `python -m
trafficking_course.hub setup` installed the course), so that nothing runs from the checkout.
Settings come from the environment:

  HUB_STATE     the state folder (default /srv/trafficking-course)
  HUB_ENV       the folder holding the course's copy and the accounts' Python (default HUB_STATE)
  HUB_PREFIX    what every account name begins with (default none: instructor, student1 ...)
  HUB_PORT      the public port on 127.0.0.1 (default 8000)
  HUB_API_PORT  the hub's internal API port (default HUB_PORT + 81)
  HUB_PROXY_API_PORT  configurable-http-proxy's API port (default HUB_PORT + 1)
  HUB_PROXY     configurable-http-proxy's command (default: the one on PATH)
  HUB_ZYGOTE    0 to start each server as a new Python instead of forking it warm (default 1)
  HUB_AUTH      lti13 for login from the LMS (then HUB_LTI_ISSUER, HUB_LTI_CLIENT_ID,
                HUB_LTI_AUTHORIZE_URL, HUB_LTI_JWKS_URL: the platform's), else PAM

Who may log in: the Linux users <prefix>instructor, <prefix>student1 ... student3 (or the
students listed in HUB_STUDENTS, as the benchmark does), with the password `make hub` set for
them (PAM, as on The Littlest JupyterHub). Who may do what: JupyterHub's groups `instructors`
and `students`; each server loads its JupyterLab settings from the course's jupyter/ folder
(students: no nbgrader tools but the Assignments tab; the instructor: the formgrader). A
student's request to the instructor's server, and so to the formgrader in it, is refused by
JupyterHub (a user's token grants access to their own server only).
"""

import asyncio
import os
import shutil
import subprocess
from pathlib import Path

from trafficking_course.hub import accounts

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (provided by traitlets)

state = accounts.HubState(Path(os.environ.get("HUB_STATE", accounts.DEFAULT_STATE)),
                          os.environ.get("HUB_ENV") or None)
roster = accounts.Roster.from_environment()
port = int(os.environ.get("HUB_PORT", "8000"))

# -- network: everything on the loopback interface ------------------------------------------
c.JupyterHub.bind_url = f"http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HUB_API_PORT", port + 81))
proxy_api_port = int(os.environ.get("HUB_PROXY_API_PORT", port + 1))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [os.environ.get("HUB_PROXY")
                                   or shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(state.private / "proxy.pid")
c.ConfigurableHTTPProxy.should_start = True
c.Spawner.ip = "127.0.0.1"

# -- state, reused by the next `make hub` ---------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{state.private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state.private / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state.private / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every server it started
c.JupyterHub.cleanup_proxy = True

# -- who logs in: the class's Linux users, with their password or from the LMS -------------
c.Authenticator.allowed_users = set(roster.accounts)
c.Authenticator.admin_users = set()  # the instructor grades; nobody administers the hub


def lms_roles_to_groups(authenticator, handler, auth_model):
    """An LMS user's roles in the course (the id_token's roles claim) give their hub group."""
    roles = (auth_model.get("auth_state") or {}).get(accounts.LTI_ROLES_CLAIM, [])
    auth_model["groups"] = accounts.groups_for_lti_roles(roles)
    return auth_model


if os.environ.get("HUB_AUTH") == "lti13":
    # Log in from the LMS (LTI 1.3): the platform's OIDC login, its signed id_token checked
    # against its public keys. The LMS sends the account in a custom parameter
    # (hub_username=$User.username or the like); the student's roles give the group.
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.LTI13Authenticator.issuer = os.environ["HUB_LTI_ISSUER"]
    c.LTI13Authenticator.authorize_url = os.environ["HUB_LTI_AUTHORIZE_URL"]
    c.LTI13Authenticator.jwks_endpoint = os.environ["HUB_LTI_JWKS_URL"]
    c.LTI13Authenticator.client_id = [os.environ["HUB_LTI_CLIENT_ID"]]
    c.LTI13Authenticator.username_key = "custom_hub_username"
    c.Authenticator.manage_groups = True
    c.Authenticator.post_auth_hook = lms_roles_to_groups
else:
    c.JupyterHub.authenticator_class = "pam"
    c.PAMAuthenticator.open_sessions = False  # no login sessions to open in a container
    # groups as nbgrader documents for a class on JupyterHub
    c.JupyterHub.load_groups = {
        "instructors": {"users": list(roster.instructors)},
        "students": {"users": list(roster.students)},
    }

# -- roles ----------------------------------------------------------------------------------
c.JupyterHub.load_roles = [
    {
        "name": "course-instructor",
        "description": "sees the class list and whether each student's server runs",
        "groups": ["instructors"],
        "scopes": ["list:users", "read:users!group=students", "read:groups!group=students",
                   "read:servers!group=students"],
    },
]

# -- each account's server: JupyterLab on its home, the course copied in on first start ------
# JupyterHub's LocalProcessSpawner, each server forked by a zygote that has its modules imported
# already (hub/zygote.py, hub/spawner.py); HUB_ZYGOTE=0 starts every server as a new Python
c.JupyterHub.spawner_class = "trafficking_course.hub.spawner.ZygoteSpawner"
if os.environ.get("HUB_ZYGOTE", "1") != "0":
    c.ZygoteSpawner.zygote_socket = str(state.private / "zygote.sock")
# No terminal for the servers: on the hub's Ctrl-C, JupyterHub interrupts each server, and a
# server reading a terminal would ask "Shut down this Jupyter server?" and carry on instead.
c.LocalProcessSpawner.popen_kwargs = {"stdin": subprocess.DEVNULL}
c.Spawner.cmd = [str(state.python), "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/course/00-start-here.ipynb"
c.Spawner.start_timeout = int(os.environ.get("HUB_START_TIMEOUT", "180"))
c.Spawner.http_timeout = int(os.environ.get("HUB_START_TIMEOUT", "180"))


async def pre_spawn_hook(spawner):
    """Copy the course into the account's home (first start only) and set its environment.

    The copy (and the merge of the course's corrections) runs in a worker thread, so that the
    hub goes on answering other students' logins meanwhile instead of doing one copy at a time.
    """
    name = spawner.user.name
    # the course's version as it is now, even if `make hub` elsewhere switches to a newer one
    await asyncio.to_thread(accounts.copy_course, name, state.home(name),
                            state.course.resolve(), roster, state.exchange)
    spawner.environment.update(accounts.server_environment(state, name, roster))


c.Spawner.pre_spawn_hook = pre_spawn_hook
