"""The LP core: hand-made systems whose intervals are known."""

import math

import pytest

from likvard_core.audit.lp import InconsistentError, System, components, intervals


def test_a_sum_with_one_unknown_pins_it():
    system = System()
    system.unknown("x", 1, 4)
    system.add({"x": 1.0}, 2.0)  # 20 - 12 - 6
    assert intervals(system, ["x"])["x"].width == pytest.approx(0)


def test_two_unknowns_of_one_sum_keep_their_range():
    system = System()
    system.unknown("x", 1, 4)
    system.unknown("y", 1, 4)
    system.add({"x": 1.0, "y": 1.0}, 5.0)
    found = intervals(system, ["x", "y"])
    assert (found["x"].low, found["x"].high) == pytest.approx((1, 4))
    assert (found["y"].low, found["y"].high) == pytest.approx((1, 4))


def test_bounds_and_an_inequality_narrow_an_unknown():
    system = System()
    system.unknown("x", 0, 9)
    system.unknown("y", 3, 9)
    system.add({"x": 1.0, "y": 1.0}, 7.0, equal=False)
    found = intervals(system, ["x"])["x"]
    assert (found.low, found.high) == pytest.approx((0, 4))


def test_an_unbounded_unknown_has_an_infinite_end():
    system = System()
    system.unknown("x")
    system.unknown("r")
    system.add({"x": 1.0, "r": -1.0}, 3.0)
    found = intervals(system, ["x"])["x"]
    assert found.low == pytest.approx(3)
    assert math.isinf(found.high)


def test_a_chain_of_ties_is_solved_jointly():
    # x + y = 10, y + z = 7, x - z = 3 with x,y,z in [0, 10]: a one-parameter family.
    system = System()
    for name in "xyz":
        system.unknown(name, 0, 10)
    system.add({"x": 1.0, "y": 1.0}, 10.0)
    system.add({"y": 1.0, "z": 1.0}, 7.0)
    system.add({"z": 1.0}, 2.0)
    found = intervals(system, "xyz")
    assert found["x"].low == pytest.approx(5)
    assert found["x"].width == pytest.approx(0)


def test_unrelated_unknowns_fall_in_separate_components():
    system = System()
    for name in "abcd":
        system.unknown(name)
    system.add({"a": 1.0, "b": 1.0}, 3.0)
    system.add({"c": 1.0, "d": -1.0}, 0.0)
    groups = sorted(sorted(map(str, names)) for names, _ in components(system))
    assert groups == [["a", "b"], ["c", "d"]]


def test_contradictory_ties_are_reported():
    system = System()
    system.unknown("x", 1, 4)
    system.add({"x": 1.0}, 7.0)
    with pytest.raises(InconsistentError):
        intervals(system, ["x"])


def test_a_tie_of_known_figures_alone_is_checked():
    system = System()
    with pytest.raises(InconsistentError):
        system.add({}, 2.0)


def test_screening_skips_only_unknowns_proven_wide():
    # u + v_i = 10 for i in 1..6 with u in [0, 10] and a seventh pinned by w = 3.
    system = System()
    system.unknown("u", 0, 10)
    for i in range(6):
        system.unknown(f"v{i}", 0, 10)
        system.add({"u": 1.0, f"v{i}": 1.0}, 10.0)
    system.unknown("w", 0, 10)
    system.add({"w": 1.0, "u": 0.0, "v0": 1.0, "v1": -1.0}, 3.0)
    names = ["u", "w", *(f"v{i}" for i in range(6))]
    exact = intervals(system, names)
    screened = intervals(system, names, enough=1.0)
    assert exact["w"].width == pytest.approx(0)
    assert screened["w"].width == pytest.approx(0)
    for name in names:
        assert screened[name].width <= exact[name].width + 1e-9
        assert (screened[name].width >= 1.0) == (exact[name].width >= 1.0)


def _copies(count: int) -> tuple[System, list[str]]:
    """``count`` independent copies of a small system: in each, ``p`` and ``q`` are pinned
    (p + q = 5, p - q = 1), ``r`` ranges over [0, 3] (r + s = 3) and ``t`` from 2 upwards."""
    system = System()
    names = []
    for i in range(count):
        p, q, r, s, t = (f"{n}{i}" for n in "pqrst")
        for name in (p, q, r, s, t):
            system.unknown(name)
        system.add({p: 1.0, q: 1.0}, 5.0)
        system.add({p: 1.0, q: -1.0}, 1.0)
        system.add({r: 1.0, s: 1.0, p: 1.0}, 6.0)
        system.add({t: 1.0, q: -1.0}, 0.0, equal=False)  # t <= q = 2 ...
        system.add({t: -1.0}, -2.0, equal=False)  # ... and t >= 2
        names += [p, q, r, t]
    extra = "u"  # and one unbounded: u - v = 1
    system.unknown(extra)
    system.unknown("v")
    system.add({extra: 1.0, "v": -1.0}, 1.0)
    return system, [*names, extra]


def test_small_components_are_bounded_together_with_exact_ends(monkeypatch):
    from likvard_core.stats import linear

    solves = []
    original = linear.LinearProgram.solve

    def counted(self, cost, bounds=None):
        solves.append(1)
        return original(self, cost, bounds)

    monkeypatch.setattr(linear.LinearProgram, "solve", counted)
    system, names = _copies(40)
    found = intervals(system, names, enough=1.0)
    for i in range(40):
        assert (found[f"p{i}"].low, found[f"p{i}"].high) == pytest.approx((3, 3))
        assert (found[f"q{i}"].low, found[f"q{i}"].high) == pytest.approx((2, 2))
        assert (found[f"t{i}"].low, found[f"t{i}"].high) == pytest.approx((2, 2))
        assert found[f"r{i}"].width >= 1.0
    assert found["u"].width >= 1.0  # screened wide: the range seen
    # 120 pinned targets: two solves each would be 240; bounded together, a few per round
    assert len(solves) < 60
