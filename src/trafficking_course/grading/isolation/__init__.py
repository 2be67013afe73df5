"""Where a student's code runs and where the verdict is computed, kept apart.

sandbox.py starts the student's kernel in bubblewrap; trusted.py runs the test cells in the
grading process and asks the kernel only for plain data (codec.py, the one module of this
package the kernel imports: keep this __init__ free of imports). guard.py and testguard.py are
the old in-kernel path, kept for comparison (`autograde --tests-in-kernel`).
"""
