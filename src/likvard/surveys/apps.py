"""The surveys app: regional pupil and guardian surveys, their results and answering."""

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Regional surveys (issue #20): definitions in ``likvard_core.surveys``, results here."""

    name = "likvard.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"
