"""Running a submission: autograde.py (plan, seed, workers, the one writer of grades) and
recovery.py (what editors do to a notebook, undone before grading)."""
