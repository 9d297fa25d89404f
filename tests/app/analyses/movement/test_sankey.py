"""Collapsing every Sankey stage in one pass equals collapsing them one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from likvard.analyses.movement.sankey import Link, collapse, collapse_stages

NODES = [f"n{i}" for i in range(8)]


@st.composite
def flows(draw: st.DrawFn) -> list[Link]:
    """Links between four stages with small node names and positive values."""
    count = draw(st.integers(0, 40))
    return [
        Link(
            draw(st.integers(0, 2)),
            draw(st.sampled_from(NODES)),
            draw(st.sampled_from(NODES)),
            draw(st.integers(1, 50)),
        )
        for _ in range(count)
    ]


def _sorted(links: list[Link]) -> list[tuple[int, str, str, int]]:
    return sorted((k.stage, k.source, k.target, k.value) for k in links)


@settings(max_examples=60, deadline=None)
@given(flows(), st.integers(1, 5))
def test_one_pass_equals_stage_by_stage(links, keep):
    stepwise = list(links)
    for stage in range(4):
        stepwise = collapse(stepwise, stage=stage, keep=keep, other="all")
    fast = collapse_stages(links, stages=4, keep=keep, other="all")
    assert _sorted(fast) == _sorted(stepwise)
    assert sum(k.value for k in fast) == sum(k.value for k in links)
