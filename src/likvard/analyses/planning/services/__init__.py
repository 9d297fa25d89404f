"""Planning services: the capacity survey, the planning basis import, the report and exports."""
