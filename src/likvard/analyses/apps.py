from django.apps import AppConfig


class AnalysesConfig(AppConfig):
    name = "likvard.analyses"
    verbose_name = "Analyser"

    def ready(self) -> None:
        """Keep each new data version's national equity comparison ready (ADR 0007)."""
        from likvard.analyses.equity.services import equity_tables_warm  # noqa: PLC0415
        from likvard.warehouse.warm import register_warmer  # noqa: PLC0415

        register_warmer("equity", equity_tables_warm)
