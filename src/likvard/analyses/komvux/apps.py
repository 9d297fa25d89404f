from django.apps import AppConfig


class KomvuxConfig(AppConfig):
    name = "likvard.analyses.komvux"
    label = "komvux"
    verbose_name = "Komvux"
