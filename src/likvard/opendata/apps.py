from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "likvard.opendata"
    verbose_name = "Öppna data"
