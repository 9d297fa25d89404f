from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "likvard.opendata"
    verbose_name = "Öppna data"

    def ready(self) -> None:
        """Release each new data version's open data (and so the Kolada API's) in advance, and
        a new token's viewer class as soon as the token is made."""
        from likvard.access.tokens import register_token_created  # noqa: PLC0415 (apps loaded)
        from likvard.opendata.tasks import kolada_token_warm_enqueue  # noqa: PLC0415
        from likvard.opendata.warm import warm_open_data  # noqa: PLC0415
        from likvard.warehouse.warm import register_release_warmer  # noqa: PLC0415

        register_release_warmer("opendata", warm_open_data)
        register_token_created("opendata.kolada", kolada_token_warm_enqueue)
