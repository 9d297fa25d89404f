from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "likvard.quality"
    label = "quality"
    verbose_name = "Kvalitet"

    def ready(self) -> None:
        """Keep each new data version's national context and its owners' bases ready (ADR
        0007); let the worker
        render a region's basis files; name indicators in the audit log."""
        from likvard.organisations.labels import scope_namer_add  # noqa: PLC0415
        from likvard.quality.selectors import indicator_name  # noqa: PLC0415
        from likvard.quality.services.basis_export import (  # noqa: PLC0415
            REGION_EXPORT,
            region_basis_export,
        )
        from likvard.quality.warm import (  # noqa: PLC0415 (apps are loaded)
            warm_basis_owners,
            warm_quality,
        )
        from likvard.warehouse.export_jobs import register_export  # noqa: PLC0415
        from likvard.warehouse.warm import (  # noqa: PLC0415
            register_release_warmer,
            register_warmer,
        )

        register_warmer("quality", warm_quality)
        # after open data (the anonymous class's cubes, which an owner's basis reads too)
        register_release_warmer("quality", warm_basis_owners, order=90)
        register_export(REGION_EXPORT, region_basis_export)
        scope_namer_add(indicator_name)
