"""URLs of the survey pages (namespace ``surveys``)."""

from django.urls import path

from likvard.analyses.surveys import answer_views, round_views, views

app_name = "surveys"

urlpatterns = [
    path("enkater/", views.index, name="survey-index"),
    path("enkater/<str:survey>/region/<str:code>/", views.region, name="survey-region"),
]

urlpatterns += [
    path("svara/", answer_views.answer_start, name="answer-start"),
    path("svara/<str:code>/", answer_views.answer_form, name="answer-form"),
    path("enkater/omgangar/", round_views.round_list, name="round-list"),
    path("enkater/omgang/<int:pk>/", round_views.round_detail, name="round-detail"),
    path("enkater/omgang/<int:pk>/klass/", round_views.class_add, name="round-class-add"),
    path("enkater/omgang/<int:pk>/stang/", round_views.round_close, name="round-close"),
    path("enkater/omgang/<int:pk>/koder/", round_views.round_codes, name="round-codes"),
]
