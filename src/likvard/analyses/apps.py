from django.apps import AppConfig


class AnalysesConfig(AppConfig):
    name = "likvard.analyses"
    verbose_name = "Analyser"
