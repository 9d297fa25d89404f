from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "likvard.opendata"
    verbose_name = "Öppna data"

    def ready(self) -> None:
        """Release each new data version's open data (and so the Kolada API's) in advance."""
        from likvard.opendata.warm import warm_open_data  # noqa: PLC0415 (apps are loaded)
        from likvard.warehouse.warm import register_release_warmer  # noqa: PLC0415

        register_release_warmer("opendata", warm_open_data)
