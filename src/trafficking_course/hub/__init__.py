"""The class server: a JupyterHub for one class on one machine (`make hub`).

accounts     the Linux accounts (with a prefix), their homes, the exchange, the state folder
environment  the hub's own copy of the course and the accounts' Python under the state folder
jupyterhub_config.py  the hub's configuration (read by `jupyterhub -f` from the hub's Python)
client       a browser's view of the hub over HTTP (the tests and the benchmark drive it)
bench        `make bench-hub`: N simulated students at once
__main__     `python -m trafficking_course.hub setup|remove|serve|bench`
"""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "jupyterhub_config.py"


def config_in(python_env: Path) -> Path:
    """The hub's configuration as installed in the accounts' Python (what the hub reads)."""
    found = sorted(python_env.glob(f"lib/python3*/site-packages/trafficking_course/hub/"
                                   f"{CONFIG_NAME}"))
    if not found:
        from ..errors import HubError

        raise HubError(f"the course is not installed in {python_env}: run `make hub` (or "
                       "python -m trafficking_course.hub setup) first", file=python_env)
    return found[-1]
