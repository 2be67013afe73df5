"""The class hub's commands: `python -m trafficking_course.hub setup|remove|serve|bench`.

setup STATE   as root: the course's copy and the accounts' Python under STATE, the Linux users
              <HUB_PREFIX>instructor and <HUB_PREFIX>student1-3 with homes under STATE/home
              (mode 0700), the password $HUB_PASSWORD (or the one kept from last time, or a new
              one, printed) and the exchange STATE/exchange
remove STATE  delete the Linux users this hub created
serve STATE   run the hub (JupyterHub from STATE's own Python) until Ctrl-C
bench         `make bench-hub`: N simulated students at once, appended to a Markdown file
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import HubError
from . import accounts, config_in, environment


def setup(state: accounts.HubState, roster: accounts.Roster) -> None:
    accounts.require_root()
    accounts.prepare_folders(state)
    environment.prepare_environment(state, environment.checkout())
    given = os.environ.get("HUB_PASSWORD") or None
    password, generated = accounts.prepare_accounts(state, roster, given)
    kept = f"kept from last time in {state.password_file}"
    note = "from HUB_PASSWORD" if given else "generated now" if generated else kept
    print(f"Accounts: {', '.join(roster.accounts)}")
    print(f"Password for every account ({note}): {password}")


def serve(state: accounts.HubState) -> None:
    """Replace this process by JupyterHub, run from the state's Python (Ctrl-C stops it)."""
    config = config_in(state.python_env)
    os.environ.update(HUB_STATE=str(state.root), HUB_ENV=str(state.env))
    os.chdir(state.private)
    os.execv(state.python, [str(state.python), "-m", "jupyterhub", "-f", str(config)])


def bench(students: int, output: Path | None) -> int:
    from . import bench as hubbench

    modes = hubbench.bench(students)
    text = hubbench.report(modes)
    print(text)
    if output:
        with output.open("a") as fh:
            fh.write("\n" + text)
    return 0 if all(not r.error for m in modes for r in m.runs) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trafficking_course.hub",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["setup", "remove", "serve", "bench"])
    parser.add_argument("state", type=Path, nargs="?", default=accounts.DEFAULT_STATE)
    parser.add_argument("--students", type=int, default=20, help="bench: how many")
    parser.add_argument("--output", type=Path, help="bench: append the result to this file")
    args = parser.parse_args(argv)
    try:
        state = accounts.HubState(args.state, os.environ.get("HUB_ENV") or None)
        if args.action == "setup":
            setup(state, accounts.Roster.from_environment())
        elif args.action == "remove":
            print("removed:", " ".join(accounts.remove_accounts(state)) or "none")
        elif args.action == "serve":
            serve(state)
        else:
            return bench(args.students, args.output)
    except HubError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
