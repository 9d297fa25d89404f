from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "likvard.planning"
    label = "planning"
    verbose_name = "Planering och dimensionering"
