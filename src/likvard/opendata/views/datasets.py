"""The open data sets: the Swedish page listing them, the files, descriptions and catalogue.

Open to everyone, signed in or not: every table is released for an anonymous viewer.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from likvard.opendata.services import datasets as services
from likvard.opendata.services.dcat import dcat_catalogue


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _analysis(slug: str, year: int) -> services.Analysis:
    analysis = services.analysis_get(slug)
    if analysis is None or year not in services.dataset_years():
        raise Http404(_("The data set does not exist."))
    return analysis


@require_GET
def dataset_list(request: HttpRequest) -> HttpResponse:
    """Every open data set by analysis and school year, with its files."""
    years = services.dataset_years()
    return render(
        request,
        "opendata/datasets.html",
        {
            "analyses": list(services.ANALYSES.values()),
            "years": [(y, f"{y - 1}/{str(y)[2:]}") for y in years],
            "licence_url": services.LICENCE_URL,
            "kolada_url": request.build_absolute_uri(
                reverse("opendata:kolada-kpi", args=["v3"])
            ).removesuffix("kpi"),
        },
    )


@require_GET
def dataset_file(request: HttpRequest, analysis: str, year: int, fmt: str) -> HttpResponse:
    """One school year's table of an analysis as CSV or Parquet."""
    found = _analysis(analysis, year)
    if fmt == "csv":
        content = services.dataset_csv(analysis=found, year=year)
    elif fmt == "parquet":
        content = services.dataset_parquet(analysis=found, year=year)
    else:
        raise Http404(_("No such format: choose csv or parquet."))
    response = HttpResponse(content, content_type=services.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{analysis}-{year}.{fmt}"'
    return response


@require_GET
def dataset_description(request: HttpRequest, analysis: str, year: int) -> JsonResponse:
    """The machine-readable description of one table."""
    found = _analysis(analysis, year)
    body = services.dataset_description(analysis=found, year=year, base_url=_base_url(request))
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})


@require_GET
def catalogue(request: HttpRequest) -> JsonResponse:
    """The DCAT-AP-SE catalogue of every open data set (JSON-LD)."""
    body = dcat_catalogue(base_url=_base_url(request))
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    return response
