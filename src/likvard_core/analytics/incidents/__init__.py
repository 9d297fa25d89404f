"""Follow-up of reported incidents of degrading treatment (kränkande behandling).

``followup`` counts reports per school unit, organizer and region and school year (the year
of the report): how far each case has come, how many were investigated and had measures taken
within a chosen number of days, and reports per 100 enrolled students.
"""
