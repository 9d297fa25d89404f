"""URLs of the survey pages (namespace ``surveys``)."""

from django.urls import path

from likvard.surveys import answer_views, views

app_name = "surveys"

urlpatterns = [
    path("enkater/", views.index, name="survey-index"),
    path("enkater/<str:survey>/region/<str:code>/", views.region, name="survey-region"),
]

urlpatterns += [
    path("svara/", answer_views.answer_start, name="answer-start"),
    path("svara/<str:code>/", answer_views.answer_form, name="answer-form"),
    path("enkater/omgang/<int:pk>/", answer_views.round_rates, name="round-rates"),
]
