"""The DCAT-AP-SE catalogue of Likvärd's open data sets, as JSON-LD.

DCAT-AP-SE (Sweden's profile of DCAT-AP, which Sveriges dataportal harvests) asks of a
catalogue a title, description, publisher and its data sets; of a data set a title,
description, publisher and contact point; of a distribution an access URL, and recommends
format, media type and licence. Each school year of each analysis is one ``dcat:Dataset`` with
two distributions (CSV and Parquet) and its description (``dct:conformsTo``). The context is
inline, so the document expands without fetching anything.
"""

from __future__ import annotations

from likvard.opendata.services.datasets import (
    ANALYSES,
    FORMATS,
    LICENCE_URL,
    PUBLISHER,
    dataset_years,
)
from likvard.opendata.services.released import data_version_label
from likvard.opendata.services.values import values_updated_at

CONTEXT: dict[str, object] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
EU = "http://publications.europa.eu/resource/authority"
THEME_EDUCATION = f"{EU}/data-theme/EDUC"
LANGUAGE_SV = f"{EU}/language/SWE"
FORMAT_IRIS = {"csv": f"{EU}/file-type/CSV", "parquet": f"{EU}/file-type/PARQUET"}


def _lang(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "sv"}


def _publisher(base_url: str) -> dict[str, object]:
    return {
        "@id": f"{base_url}/#publisher",
        "@type": "foaf:Agent",
        "foaf:name": _lang(PUBLISHER),
        "dct:type": {"@id": "http://purl.org/adms/publishertype/LocalAuthority"},
    }


def _contact(base_url: str) -> dict[str, object]:
    return {
        "@type": "vcard:Organization",
        "vcard:fn": PUBLISHER,
        "vcard:hasURL": {"@id": f"{base_url}/oppna-data/"},
    }


def _distribution(stem: str, fmt: str, title: str) -> dict[str, object]:
    return {
        "@id": f"{stem}.{fmt}",
        "@type": "dcat:Distribution",
        "dct:title": _lang(f"{title} ({fmt.upper()})"),
        "dcat:accessURL": {"@id": f"{stem}.{fmt}"},
        "dcat:downloadURL": {"@id": f"{stem}.{fmt}"},
        "dct:format": {"@id": FORMAT_IRIS[fmt]},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{FORMATS[fmt]}"},
        "dct:license": {"@id": LICENCE_URL},
        "dct:conformsTo": {"@id": f"{stem}-beskrivning.json"},
    }


def dcat_catalogue(*, base_url: str) -> dict[str, object]:
    """The catalogue as a JSON-LD document (``base_url``: scheme and host, no trailing slash)."""
    datasets = []
    modified = values_updated_at()
    for analysis in ANALYSES.values():
        for year in dataset_years():
            stem = f"{base_url}/oppna-data/{analysis.slug}/{year}"
            title = f"{analysis.title}, läsåret {year - 1}/{str(year)[2:]}"
            datasets.append({
                "@id": f"{stem}#dataset",
                "@type": "dcat:Dataset",
                "dct:identifier": f"{analysis.slug}-{year}",
                "dct:title": _lang(title),
                "dct:description": _lang(analysis.description),
                "dct:publisher": {"@id": f"{base_url}/#publisher"},
                "dcat:contactPoint": _contact(base_url),
                "dcat:theme": {"@id": THEME_EDUCATION},
                "dcat:keyword": [_lang(k) for k in analysis.keywords],
                "dct:language": {"@id": LANGUAGE_SV},
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": {"@value": f"{year - 1}-07-01", "@type": "xsd:date"},
                    "dcat:endDate": {"@value": f"{year}-06-30", "@type": "xsd:date"},
                },
                "dct:modified": {"@value": modified, "@type": "xsd:date"} if modified else None,
                "owl:versionInfo": data_version_label(),
                "dcat:landingPage": {"@id": f"{base_url}/oppna-data/"},
                "dcat:distribution": [_distribution(stem, f, title) for f in FORMATS],
            })  # fmt: skip
    for dataset in datasets:
        if dataset["dct:modified"] is None:
            del dataset["dct:modified"]
    return {
        "@context": CONTEXT,
        "@id": f"{base_url}/oppna-data/katalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _lang("Likvärds öppna data"),
        "dct:description": _lang(
            "Frisläppta tabeller från Likvärds analyser per läsår, som CSV och Parquet med "
            "maskinläsbar beskrivning. Små grupper är dolda enligt Skolverkets regler."
        ),
        "dct:publisher": _publisher(base_url),
        "dct:language": {"@id": LANGUAGE_SV},
        "dct:license": {"@id": LICENCE_URL},
        "foaf:homepage": {"@id": f"{base_url}/oppna-data/"},
        "dcat:themeTaxonomy": {"@id": f"{EU}/data-theme"},
        "dcat:dataset": datasets,
    }
