"""The surveys app: regional pupil and guardian surveys, their results and answering."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Regional surveys (#20): definitions in ``likvard_core.analytics.surveys``, results here."""

    name = "likvard.analyses.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """After each task the worker runs, keep the rounds' closing check queued."""
        from django_tasks.signals import task_finished  # noqa: PLC0415 (apps are loading)

        from likvard.analyses.surveys.tasks import on_task_finished  # noqa: PLC0415

        task_finished.connect(on_task_finished, dispatch_uid="surveys.round_closing")
