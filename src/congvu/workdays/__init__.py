"""Working-day calendar: holidays, announced days off, make-up days, deadline arithmetic.

Other apps count working days through `congvu.workdays.selectors.work_calendar()`; the rules
themselves live in the Django-free `congvu.workdays.calendar`.
"""
