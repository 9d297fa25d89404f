"""Upper-secondary diplomas and study certificates from the student information system."""

from __future__ import annotations

from likvard_core.ingest.kinds.row_kind import Column, RowKind
from likvard_core.ingest.kinds.shared_columns import PERSONNUMMER, SCHOOL_UNIT, SCHOOL_YEAR
from likvard_core.ingest.validation import cells
from likvard_core.terms import Certificate
from likvard_core.warehouse.schema import DIPLOMAS

_WORDS = {
    **dict.fromkeys(
        (
            "högskoleförberedande examen",
            "hogskoleforberedande examen",
            "högskoleförberedande",
            "hfex",
        ),
        Certificate.PREPARATORY_DIPLOMA.value,
    ),
    **dict.fromkeys(("yrkesexamen", "yrkesex", "yex"), Certificate.VOCATIONAL_DIPLOMA.value),
    **dict.fromkeys(("gymnasieexamen", "examen"), Certificate.DIPLOMA.value),
    **dict.fromkeys(("studiebevis", "sb"), Certificate.STUDY_CERTIFICATE.value),
}
CERTIFICATE = cells.choice_parser(
    {cells.normalise_header(word): value for word, value in _WORDS.items()},
    "yrkesexamen, högskoleförberedande examen, gymnasieexamen or studiebevis",
)

DIPLOMAS_KIND = RowKind(
    name="diplomas",
    table=DIPLOMAS,
    description="Upper-secondary diplomas (examen) and study certificates (studiebevis).",
    columns=(
        PERSONNUMMER,
        SCHOOL_YEAR,
        SCHOOL_UNIT,
        Column(
            "programme_code",
            ("program", "programkod", "studievägskod", "programme"),
            cells.required_programme_code,
            "programme code (NA, EK, IMV ...)",
        ),
        Column(
            "certificate",
            ("bevis", "examen", "examensbevis", "utfärdat bevis", "certificate"),
            CERTIFICATE,
            "diploma (yrkesexamen, högskoleförberedande examen) or studiebevis",
        ),
    ),
)
