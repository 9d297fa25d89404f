"""File kinds: one adapter per kind of import file, each mapped to fact tables."""

from __future__ import annotations

from likvard_core.ingest.kinds.absence import ABSENCE_KIND
from likvard_core.ingest.kinds.admissions import ADMISSIONS_KIND
from likvard_core.ingest.kinds.base import ColumnMeaning, Context, Kind, Preview
from likvard_core.ingest.kinds.course_grades import COURSE_GRADES_KIND
from likvard_core.ingest.kinds.diplomas import DIPLOMAS_KIND
from likvard_core.ingest.kinds.enrolments import ENROLMENTS_KIND
from likvard_core.ingest.kinds.final_grades import FINAL_GRADES_KIND
from likvard_core.ingest.kinds.incidents import INCIDENTS_KIND
from likvard_core.ingest.kinds.kolada import KOLADA_KIND
from likvard_core.ingest.kinds.komvux import KOMVUX_FOLLOWUP_KIND, KOMVUX_STARTS_KIND
from likvard_core.ingest.kinds.national_tests import NATIONAL_TESTS_KIND
from likvard_core.ingest.kinds.population import POPULATION_KIND
from likvard_core.ingest.kinds.public_stats import PUBLIC_STATS_KIND
from likvard_core.ingest.kinds.survey_answers import SURVEY_ANSWERS_KIND

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        ENROLMENTS_KIND,
        FINAL_GRADES_KIND,
        NATIONAL_TESTS_KIND,
        COURSE_GRADES_KIND,
        ABSENCE_KIND,
        DIPLOMAS_KIND,
        INCIDENTS_KIND,
        ADMISSIONS_KIND,
        PUBLIC_STATS_KIND,
        KOLADA_KIND,
        POPULATION_KIND,
        KOMVUX_STARTS_KIND,
        KOMVUX_FOLLOWUP_KIND,
        SURVEY_ANSWERS_KIND,
    )
}
"""Every import kind by name."""

__all__ = ["KINDS", "ColumnMeaning", "Context", "Kind", "Preview"]
