"""Set up or remove the class hub's accounts: `python hub/accounts.py setup|remove STATE`.

setup: Linux users instructor, student1-3 with homes under STATE/home (mode 0700), the
password $HUB_PASSWORD (or the one kept from last time, or a new one, printed), the exchange
STATE/exchange, and the accounts' Python. remove: delete the users this hub created.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from trafficking_course import hub  # noqa: E402
from trafficking_course.errors import HubError  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["setup", "remove"])
    parser.add_argument("state", type=Path)
    args = parser.parse_args()
    state = hub.HubState(args.state)
    try:
        if args.action == "setup":
            given = os.environ.get("HUB_PASSWORD") or None
            password, generated = hub.prepare(state, given)
            kept = f"kept from last time in {state.password_file}"
            note = "from HUB_PASSWORD" if given else "generated now" if generated else kept
            print(f"Accounts: {', '.join(hub.ACCOUNTS)}")
            print(f"Password for every account ({note}): {password}")
        else:
            print("removed:", " ".join(hub.remove_accounts(state)) or "none")
    except HubError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
