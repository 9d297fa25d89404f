"""Moves from an introduction programme to a national programme (IM → nationellt program).

Introduction programmes are a way in: many students leave them for a national programme after
one or two years. The admissions give each introduction student one span of one or two years;
here some of them get a second span, on a national programme, starting the school year after
the introduction span ends and lasting three years, so their first span is left as it was.

Assumptions (no national figure was found for the shares; docs/analyses/completion.md):
- the chance of moving on is 45 % from IMV (programme-oriented), 35 % from IMY (vocational
  introduction), 30 % from IMS (language introduction) and 10 % from IMA (individual
  alternative);
- IMV, IMY and IMA students go on to a vocational programme; IMS students to a
  higher-education-preparatory one in a third of cases, else vocational; the programme is
  drawn by the national popularity the admissions use;
- the school is drawn among the region's units offering that programme, weighted by capacity
  and three times as likely in the student's home municipality.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from likvard_core.synth.demo_year import Spans
from likvard_core.synth.upper_secondary import PREPARATORY, VOCATIONAL, region_options
from likvard_core.synth.world import World

IntArray = npt.NDArray[np.int64]

MOVE_ON: dict[str, float] = {"IMV": 0.45, "IMY": 0.35, "IMS": 0.3, "IMA": 0.1}
"""Chance that an introduction student starts a national programme after the introduction."""
PREPARATORY_FROM_IMS = 1 / 3
HOME_FACTOR = 3.0
NATIONAL_YEARS = 3


def with_national_moves(rng: np.random.Generator, world: World, spans: Spans) -> Spans:
    """``spans`` plus a national-programme span for each introduction student who moves on."""
    movers, chosen = moves_on(rng, spans.programme)
    if not movers.size:
        return spans
    homes = world.students.home[spans.student[movers]]
    regions = np.array(world.municipalities.regions)[homes]
    home_codes = np.array(world.municipalities.codes)[homes]
    school = np.full(movers.size, -1, dtype=np.int64)
    located = np.array([unit.municipality_code for unit in world.schools.units])
    for region in sorted(set(regions.tolist())):
        options = region_options(world.schools, world.municipalities, region)
        here = np.flatnonzero(regions == region)
        for code in sorted(set(chosen[here].tolist())):
            offering = options.programme == code
            if not offering.any():
                continue
            for i in here[chosen[here] == code]:
                weight = options.capacity[offering] * np.where(
                    located[options.school[offering]] == home_codes[i], HOME_FACTOR, 1.0
                )
                school[i] = rng.choice(options.school[offering], p=weight / weight.sum())
    placed = school >= 0
    moved = movers[placed]
    return Spans(
        student=np.concatenate([spans.student, spans.student[moved]]),
        school=np.concatenate([spans.school, school[placed]]),
        programme=np.concatenate([spans.programme, chosen[placed].astype(spans.programme.dtype)]),
        start=np.concatenate([spans.start, spans.start[moved] + spans.years[moved]]),
        years=np.concatenate([spans.years, np.full(moved.size, NATIONAL_YEARS, np.int64)]),
    )


def moves_on(
    rng: np.random.Generator, programme: npt.NDArray[np.str_]
) -> tuple[IntArray, npt.NDArray[np.str_]]:
    """Which of these introduction spans (``programme``: their codes; other codes never move)
    go on to a national programme, and to which one (the module's shares)."""
    codes = programme.astype(str)
    draw = rng.random(codes.size)
    chance = np.array([MOVE_ON.get(p, 0.0) for p in codes])
    movers = np.flatnonzero(draw < chance)
    if not movers.size:
        return movers, np.array([], dtype=str)
    preparatory = (codes[movers] == "IMS") & (rng.random(movers.size) < PREPARATORY_FROM_IMS)
    chosen = np.where(
        preparatory,
        _drawn(rng, PREPARATORY, movers.size),
        _drawn(rng, VOCATIONAL, movers.size),
    )
    return movers, chosen


def _drawn(rng: np.random.Generator, shares: dict[str, float], size: int) -> npt.NDArray[np.str_]:
    codes = sorted(shares)
    weights = np.array([shares[c] for c in codes])
    return np.array(codes)[rng.choice(len(codes), size, p=weights / weights.sum())]
