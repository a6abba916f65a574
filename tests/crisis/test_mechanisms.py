"""Property tests of the crisis machine (they check mechanisms, never the report's conclusions)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from crisis_inputs import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import binom

from r2p.crisis import Scenario, _rng, _simulate, pass_probability, simulate
from r2p.law import P5, instruments, load_regime, parse_regime

FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NON_FORCE = [i.name for i in instruments() if not i.force]


def _brute_force_pass(p_yes: np.ndarray, p_veto: np.ndarray) -> float:
    total = 0.0
    for pattern in itertools.product((0, 1), repeat=15):
        if sum(pattern) < 9:
            continue
        prob = 1.0
        for j, yes in enumerate(pattern):
            veto = p_veto[j] if j < 5 else 0.0
            prob *= p_yes[j] if yes else 1.0 - p_yes[j] - veto
        total += prob
    return total


def test_pass_probability_matches_enumeration_and_binomial() -> None:
    rng = np.random.default_rng(3)
    p_veto = rng.uniform(0, 0.3, 5)
    p_yes = rng.uniform(0.3, 0.95, 15)
    p_yes[:5] = np.minimum(p_yes[:5], 1 - p_veto)
    assert pass_probability(p_yes, p_veto) == pytest.approx(_brute_force_pass(p_yes, p_veto), abs=1e-12)
    same = np.full(15, 0.6)
    assert pass_probability(same, np.zeros(5)) == pytest.approx(binom.sf(8, 15, 0.6), abs=1e-12)


@FAST
@given(st.lists(st.floats(0, 0.5), min_size=5, max_size=5), st.integers(0, 4), st.floats(0.01, 0.5))
def test_pass_probability_falls_as_a_veto_rises(veto: list[float], member: int, extra: float) -> None:
    p_yes = np.full(15, 0.7)
    p_yes[:5] = 0.4
    p_veto = np.array(veto)
    higher = p_veto.copy()
    higher[member] = min(higher[member] + extra, 0.6)
    assert pass_probability(p_yes, higher) <= pass_probability(p_yes, p_veto) + 1e-15


def test_draw_indexed_randomness_is_uniform_and_stable() -> None:
    key = _rng.stream_key(7, 1)
    u = _rng.uniform(key, np.arange(200_000, dtype=np.uint64))
    assert u.min() > 0 and u.max() < 1
    assert abs(u.mean() - 0.5) < 0.005 and abs(u.var() - 1 / 12) < 0.002
    hist, _ = np.histogram(u, bins=20)
    assert hist.min() > 9000
    tail = _rng.uniform(key, np.arange(150_000, 200_000, dtype=np.uint64))
    assert np.array_equal(tail, u[150_000:])
    assert not np.array_equal(u[:100], _rng.uniform(_rng.stream_key(8, 1), np.arange(100, dtype=np.uint64)))


@FAST
@given(
    member=st.sampled_from(P5),
    propensity=st.floats(0.05, 1.0),
    seed=st.integers(0, 2**31),
    regime=st.sampled_from(["status_quo", "un_reform", "recommended"]),
)
def test_raising_a_veto_never_shortens_time_to_authorisation(
    member: str, propensity: float, seed: int, regime: str
) -> None:
    base = make_inputs(p_veto_rus_chn=0.05, robustness_slope=0.03)
    scenario = Scenario(inputs=base, horizon_weeks=104)
    vetoed = Scenario(inputs=base.with_veto(member, propensity), horizon_weeks=104)
    a = simulate(scenario, regime, draws=300, seed=seed).draws["weeks_to_council_force"].to_numpy()
    b = simulate(vetoed, regime, draws=300, seed=seed).draws["weeks_to_council_force"].to_numpy()
    a, b = np.nan_to_num(a, nan=np.inf), np.nan_to_num(b, nan=np.inf)
    assert np.all(b >= a)
    assert np.isfinite(a).any()  # the property is not vacuous: the Council does authorise force


@FAST
@given(
    seed=st.integers(0, 2**31),
    regime=st.sampled_from(["status_quo", "hi_doctrine", "recommended", "un_reform"]),
    growth=st.floats(0.0, 0.6),
    resolve=st.floats(0.01, 2.0),
    gaming=st.floats(0, 3),
    steep=st.floats(0.5, 4),
)
def test_a_deterred_perpetrator_never_kills_more(
    seed: int, regime: str, growth: float, resolve: float, gaming: float, steep: float
) -> None:
    scenario = Scenario(
        inputs=make_inputs(),
        perpetrator={"growth": growth, "resolve": resolve, "gaming": gaming, "steepness": steep},
    )
    deterred = simulate(scenario, regime, draws=300, seed=seed).draws["deaths_civilian"].to_numpy()
    undeterred = (
        simulate(scenario.with_(perpetrator={"deterrable": False}), regime, draws=300, seed=seed)
        .draws["deaths_civilian"]
        .to_numpy()
    )
    assert np.all(deterred <= undeterred * (1 + 1e-12) + 1e-9)


_paths = st.lists(
    st.fixed_dictionaries(
        {
            "authority": st.sampled_from(
                [
                    "claimed_necessity",
                    "humanitarian_doctrine",
                    "democracies_vote",
                    "au_art4h",
                    "uniting_for_peace",
                ]
            ),
            "instruments": st.lists(st.sampled_from(NON_FORCE), min_size=1, max_size=3),
            "min_deadlocks": st.integers(0, 3),
            "political_will": st.floats(0, 1),
            "pretext_use": st.floats(0, 1),
            "signal": st.floats(0, 1),
        }
    ),
    max_size=3,
)


@FAST
@given(
    paths=_paths,
    council_max=st.sampled_from(NON_FORCE),
    seed=st.integers(0, 2**31),
    jump=st.integers(1, 3),
    trigger=st.booleans(),
)
def test_a_regime_with_no_open_path_to_force_never_uses_force(
    paths: list[dict], council_max: str, seed: int, jump: int, trigger: bool
) -> None:
    regime = parse_regime(
        {
            "name": "no_force",
            "title": "t",
            "category": "user",
            "summary": "s",
            "force_outside_council": False,
            "council": {"max_instrument": council_max, "first_step_jump": jump, "max_jump": jump},
            "paths": [{"name": f"p{i}", **p} for i, p in enumerate(paths)],
        }
    )
    scenario = Scenario(inputs=make_inputs(), trigger_holds=trigger, horizon_weeks=80)
    draws = simulate(scenario, regime, draws=300, seed=seed).draws
    assert not draws["force_used"].any()
    assert not draws["abuse"].any()
    forceful = {i.name for i in instruments() if i.force}
    assert not set(draws["highest_instrument"].astype(str)) & forceful


def test_a_council_that_always_vetoes_force_never_authorises_it() -> None:
    inputs = make_inputs()
    p_veto = np.array(inputs.p_veto)
    p_yes = np.array(inputs.p_yes)
    p_veto[:, 5, 3] = 1.0
    p_yes[:, 5, 3] = 0.0
    blocked = Scenario(inputs=type(inputs)(**{**inputs.__dict__, "p_veto": p_veto, "p_yes": p_yes}))
    draws = simulate(blocked, "status_quo", draws=2000, seed=5).draws
    assert draws["weeks_to_council_force"].isna().all() and not draws["force_used"].any()


@FAST
@given(n=st.integers(1, 400), extra=st.integers(1, 400), seed=st.integers(0, 2**31))
def test_more_draws_never_change_a_seeded_draw(n: int, extra: int, seed: int) -> None:
    scenario = Scenario(inputs=make_inputs())
    small = simulate(scenario, ["recommended", "hi_doctrine"], draws=n, seed=seed).draws
    large = simulate(scenario, ["recommended", "hi_doctrine"], draws=n + extra, seed=seed).draws
    large = large[large["draw"] < n].reset_index(drop=True)
    for col in small.columns:
        if col in ("regime", "highest_instrument", "authority_path"):
            assert small[col].astype(str).tolist() == large[col].astype(str).tolist(), col
        else:
            assert np.array_equal(small[col].to_numpy(float), large[col].to_numpy(float), equal_nan=True), col


def test_block_size_and_repeat_do_not_change_results(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = Scenario(inputs=make_inputs())
    first = simulate(scenario, "all", draws=700, seed=11).draws
    again = simulate(scenario, "all", draws=700, seed=11).draws
    monkeypatch.setattr(_simulate, "BLOCK", 64)
    blocked = simulate(scenario, "all", draws=700, seed=11).draws
    other = simulate(scenario, "all", draws=700, seed=12).draws
    assert first.equals(again) and first.equals(blocked)
    assert not np.array_equal(first["deaths_civilian"], other["deaths_civilian"])


@FAST
@given(
    seed=st.integers(0, 2**31),
    weeks=st.integers(1, 200),
    trigger=st.booleans(),
    regime=st.sampled_from(
        ["status_quo", "break_the_law", "un_reform", "hi_doctrine", "democracies", "recommended"]
    ),
    a0=st.floats(0.1, 5000),
    capacity=st.floats(1, 50000),
    pop=st.floats(10, 1e6),
)
def test_deaths_and_indices_stay_in_range(
    seed: int, weeks: int, trigger: bool, regime: str, a0: float, capacity: float, pop: float
) -> None:
    scenario = Scenario(
        inputs=make_inputs(),
        trigger_holds=trigger,
        perpetrator={"initial_intensity": a0, "capacity": capacity, "target_population": pop},
    )
    d = simulate(scenario, regime, draws=200, weeks=weeks, seed=seed).draws
    assert (d["deaths_civilian"] >= 0).all() and (d["deaths_civilian"] <= pop * (1 + 1e-12)).all()
    for col in (
        "legitimacy_western",
        "legitimacy_russia_china",
        "legitimacy_nam_g77",
        "legitimacy_regional",
        "coordination_index",
    ):
        v = d[col].dropna()
        assert ((v >= 0) & (v <= 1)).all(), col
    assert ((d["council_erosion"] >= 0) & (d["council_erosion"] <= 1)).all()
    for col in ("weeks_to_first_coercion", "weeks_to_protection", "weeks_to_council_force"):
        v = d[col].dropna()
        assert ((v >= 0) & (v < weeks)).all(), col
    assert (d["troop_weeks"] >= 0).all()
    assert (d["troop_weeks"] <= weeks * sum(i.troops for i in instruments())).all()
    if trigger:
        assert not d["abuse"].any()
    else:
        assert not d["force_withheld"].any()


def test_restraint_pledges_speed_authorisation_only_for_well_defined_crimes() -> None:
    regime = load_regime("un_reform")
    fast = Scenario(inputs=make_inputs(), crime="genocide", horizon_weeks=104)
    contested = fast.with_(crime="war_crimes")
    g = simulate(fast, regime, draws=2000, seed=2).draws["weeks_to_council_force"]
    w = simulate(contested, regime, draws=2000, seed=2).draws["weeks_to_council_force"]
    assert g.notna().mean() > w.notna().mean()
