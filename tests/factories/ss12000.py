"""SS 12000 export bundles (organisations, persons with enrolments, programmes) for tests."""

from __future__ import annotations

import json

from tests.core.ingest.synthetic import personnummer

HUVUDMAN = {
    "id": "h1",
    "displayName": "Kungsbacka kommun",
    "organisationType": "Huvudman",
    "organisationNumber": "2120001256",
    "meta": {},
}
GYMNASIUM = {
    "id": "s1",
    "displayName": "Aranäsgymnasiet",
    "organisationType": "Skolenhet",
    "schoolUnitCode": "12345678",
    "parentOrganisation": {"id": "skola"},
    "meta": {},
}
SKOLA = {
    "id": "skola",
    "displayName": "Aranäs",
    "organisationType": "Skola",
    "parentOrganisation": {"id": "h1"},
    "meta": {},
}
GRUNDSKOLA = {
    "id": "s2",
    "displayName": "Åsa skola",
    "organisationType": "Skolenhet",
    "schoolUnitCode": "87654321",
    "parentOrganisation": {"id": "h1"},
    "meta": {},
}


def person(index: int, enrolments: list[dict], *, sex: str = "Kvinna", civic: str | None = None):
    return {
        "id": f"p{index}",
        "givenName": "Test",
        "familyName": "Elev",
        "meta": {"created": "2024-08-01T08:00:00Z", "modified": "2024-11-02T08:00:00Z"},
        "civicNo": {"value": civic or personnummer(index)},
        "sex": sex,
        "addresses": [
            {
                "type": "Folkbokföring",
                "municipalityCode": 1384,
                "country": "Sverige",
                "locality": "Kungsbacka",
                "postalCode": "43430",
                "streetAddress": "x",
            }
        ],
        "enrolments": enrolments,
    }


def enrolment(unit: str, school_type: str, year: int, **extra):
    return {
        "enroledAt": {"id": unit},
        "schoolType": school_type,
        "schoolYear": year,
        "startDate": "2024-08-15",
        **extra,
    }


def bundle(
    persons: list[dict],
    *,
    units: tuple[str, str] = ("12345678", "87654321"),
    organizer: str = "2120001256",
    **extra,
) -> bytes:
    """The bundle as bytes; ``units`` are the gymnasium's and the grundskola's codes."""
    organisations = [
        {**HUVUDMAN, "organisationNumber": organizer},
        SKOLA,
        {**GYMNASIUM, "schoolUnitCode": units[0]},
        {**GRUNDSKOLA, "schoolUnitCode": units[1]},
    ]
    return json.dumps(
        {
            "organisations": {"data": organisations},
            "persons": {"data": persons},
            "programmes": {"data": [{"id": "prog-na", "code": "NA", "name": "Naturvetenskap"}]},
            **extra,
        },
        ensure_ascii=False,
    ).encode()
