from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "likvard.warehouse"
    verbose_name = "Datalager"
