from django.apps import AppConfig


class MovementConfig(AppConfig):
    name = "likvard.movement"
    label = "movement"
    verbose_name = "Elevströmmar"
