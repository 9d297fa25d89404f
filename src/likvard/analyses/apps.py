from django.apps import AppConfig


class AnalysesConfig(AppConfig):
    name = "likvard.analyses"
    verbose_name = "Analyser"

    def ready(self) -> None:
        """Keep each new data version's national equity comparison ready (ADR 0007), and its
        region pages' release decisions."""
        from likvard.analyses.equity.services import equity_tables_warm  # noqa: PLC0415
        from likvard.analyses.warm import warm_region_releases  # noqa: PLC0415
        from likvard.warehouse.warm import (  # noqa: PLC0415
            register_release_warmer,
            register_warmer,
        )

        register_warmer("equity", equity_tables_warm)
        register_release_warmer("analyses", warm_region_releases, order=20)
