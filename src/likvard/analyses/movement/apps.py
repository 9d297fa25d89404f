from django.apps import AppConfig


class MovementConfig(AppConfig):
    name = "likvard.analyses.movement"
    label = "movement"
    verbose_name = "Elevströmmar"

    def ready(self) -> None:
        """Keep each new data version's movement cells ready before the first page asks."""
        from likvard.analyses.movement.warm import warm_movement  # noqa: PLC0415 (apps are loaded)
        from likvard.warehouse.warm import register_warmer  # noqa: PLC0415

        register_warmer("movement", warm_movement)
