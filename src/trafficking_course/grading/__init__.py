"""The lecturer's grading cycle on nbgrader: generate, release, collect, autograde in parallel,
leak scan, feedback, grade export, cohort report, and a simulated cohort.

A pipeline of small steps, each a function over a `Course` (an nbgrader course root such as
exercises/); `python -m trafficking_course grading ...` is a thin command line over them and
every Makefile target of the cycle calls one command. Nothing here is imported by the
package's __init__, so the course stays importable where nbgrader is not installed
(JupyterLite).
"""
