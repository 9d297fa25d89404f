from django.apps import AppConfig


class MovementConfig(AppConfig):
    name = "likvard.analyses.movement"
    label = "movement"
    verbose_name = "Elevströmmar"

    def ready(self) -> None:
        """Keep each new data version's movement cells ready before the first page asks."""
        from likvard.analyses.movement.warm import (  # noqa: PLC0415 (apps are loaded)
            warm_movement,
            warm_movement_releases,
        )
        from likvard.warehouse.warm import (  # noqa: PLC0415
            register_release_warmer,
            register_warmer,
        )

        register_warmer("movement", warm_movement)
        # The dependency map is among the first pages a coordinator opens, and is decided in
        # seconds: before the region pages that take minutes (issue #18).
        register_release_warmer("movement", warm_movement_releases, order=10)
