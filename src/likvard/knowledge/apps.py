from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "likvard.knowledge"
    label = "knowledge"
    verbose_name = "Kunskapsbank"

    def ready(self) -> None:
        """Offer the bank's material to the quality and networks pages (they sit below)."""
        from likvard.knowledge.services.hooks import register_hooks  # noqa: PLC0415

        register_hooks()
