"""Planning and dimensioning: capacity survey, planning basis, cohort forecast and scenarios."""
