from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "likvard.web"
    verbose_name = "Webb"
