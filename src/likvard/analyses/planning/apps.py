from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "likvard.analyses.planning"
    label = "planning"
    verbose_name = "Planering och dimensionering"
