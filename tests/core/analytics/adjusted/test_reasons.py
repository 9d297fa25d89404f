from likvard_core.analytics.adjusted.model import Outcome
from likvard_core.analytics.adjusted.reasons import adjusted_reason, figure
from likvard_core.analytics.equity.reasons import is_course, subject_name, yearly_reason


def _yearly(subject: str) -> str:
    return yearly_reason(
        measure="higher",
        subject=subject,
        year=2025,
        group="boys",
        hits=30,
        total=40,
        reference_share=0.2,
        q=0.0004,
        reference_label="regionen",
    )


def test_a_year_9_reason_speaks_of_final_grades():
    text = _yearly("MA")
    assert text.startswith("Andelen elever med högre slutbetyg än provbetyg i matematik")
    assert "bland pojkarna läsåret 2024/25 var 75 % (30 av 40)" in text
    assert "(justerat p-värde < 0,001)" in text


def test_an_upper_secondary_reason_names_the_course_and_course_grades():
    text = _yearly("MATMAT01c")
    assert text.startswith("Andelen elever med högre kursbetyg än provbetyg i kursen Matematik 1c")
    assert is_course("SVASVA01")
    assert is_course("ENGENG07")
    assert not is_course("SVA")
    assert subject_name("ENGENG05") == "kursen Engelska 5"


def test_adjusted_reason_for_a_principal():
    text = adjusted_reason(
        outcome=Outcome.GRADE_POINT_AVERAGE,
        year=2025,
        programme_type="vocational",
        actual=15.25,
        model_value=13.0,
        low=11.5,
        high=14.5,
    )
    assert text.startswith(
        "Skolans genomsnittliga betygspoäng bland elever med examen på yrkesprogram "
        "läsåret 2024/25 var 15,2. Det är högre än modellvärdet 13,0"
    )
    assert "(11,5\u201314,5)" in text
    assert "inte som ett omdöme" in text
    assert figure(Outcome.SHARE_DIPLOMA, 0.824) == "82 %"
