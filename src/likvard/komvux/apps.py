from django.apps import AppConfig


class KomvuxConfig(AppConfig):
    name = "likvard.komvux"
    label = "komvux"
    verbose_name = "Komvux"
