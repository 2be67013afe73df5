"""What a lecturer reads and hands out: feedback pages (feedback.py) checked by the leak scan
(leaks.py), the cohort report (cohort.py, report.py), similar written answers
(similarity.py), and the class roster and grades to the LMS (lms.py)."""
