"""Planning and dimensioning of upper-secondary education (planering och dimensionering).

- ``cohorts``: the cohort forecast, 16-year-olds per municipality for the coming years, from SCB
  population by age with each municipality's historic net migration per age step;
- ``patterns``: the region's historic transition rate (16-year-olds who start year 1) and
  movement pattern (where each home municipality's first-year students study, by programme);
  together with the forecast they give expected students per programme and school municipality;
- ``demand``: demand per programme from first-choice applications per 16-year-old;
- ``supply``: supply (capacity-survey places, or last year's first-year enrolment) against
  demand per programme and year, with scenarios of changed places;
- ``basis``: Skolverket's regional planning basis as an importable table.

The method is argued in docs/decisions/0010-cohort-forecast.md. Years are calendar years of
the autumn in which studies start: population ``year`` Y counts persons on 31 December Y, the
16-year-olds of Y start upper secondary in autumn Y, which is admission ``school_year`` Y and
enrolment ``school_year`` Y + 1 (the spring year).
"""
