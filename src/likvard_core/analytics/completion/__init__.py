"""Completion (fullföljda studier) and students at risk.

``cohort`` follows each upper-secondary start (and each year-9 cohort) to a diploma within 3, 4
and 5 years; ``warning`` applies the absence early-warning rules per student and term;
``evaluation`` scores those rules against who later left without a diploma.
"""
