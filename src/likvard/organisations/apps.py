from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "likvard.organisations"
    verbose_name = "Organisationer"
