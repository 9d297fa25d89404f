from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "likvard.exports"
    verbose_name = "Exporter"
