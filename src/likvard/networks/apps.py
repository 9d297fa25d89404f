from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "likvard.networks"
    verbose_name = "Nätverk"
