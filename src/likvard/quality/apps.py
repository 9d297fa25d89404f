from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "likvard.quality"
    label = "quality"
    verbose_name = "Kvalitet"
