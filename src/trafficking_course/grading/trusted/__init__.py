"""Test cells run outside the student's kernel (see runner.py for the whole design).

`codec` turns answers into plain data and back: it is the only module of this package the
student's kernel imports, so nothing here may import nbgrader, nbclient or the course's data.
"""
