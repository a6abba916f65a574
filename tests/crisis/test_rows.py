"""``simulate_rows``: many parameter rows as one vectorised block must give, row for row and bit
for bit, what ``simulate`` gives on each row alone (the sweep relies on it)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from crisis_inputs import make_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from r2p.crisis import Scenario, simulate, simulate_rows
from r2p.crisis._engine import OUTPUTS
from r2p.crisis._response import compile_regime, ladder
from r2p.crisis._simulate import _authority_names
from r2p.errors import R2PInputError
from r2p.law import load_regime, parse_regime

ROWS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NUMERIC = [k for k in OUTPUTS if k not in ("highest_rung", "highest_route")]


@st.composite
def rows(draw: Any) -> tuple[Scenario, Any, int]:
    """One parameter row: every numeric field a sweep may vary, drawn independently."""
    name = draw(st.sampled_from(["status_quo", "break_the_law", "hi_doctrine", "recommended"]))
    data = load_regime(name).model_dump(mode="json")
    council = data["council"]
    council["deliberation_weeks"] = draw(st.floats(1, 12))
    council["first_session_weeks"] = draw(st.floats(0, 6))
    council["max_jump"] = draw(st.integers(1, 3))
    council["first_step_jump"] = draw(st.integers(council["max_jump"], 4))
    council["veto_threat_cost"] = draw(st.floats(0, 0.6))
    council["extra_members"] = draw(st.integers(0, 4))
    data["detection"]["lag_factor"] = draw(st.floats(0.3, 2))
    data["capacity"]["deployment_lag_factor"] = draw(st.floats(0.3, 2))
    for path in data["paths"]:
        path["min_deadlocks"] = draw(st.integers(0, 3))
        path["political_will"] = draw(st.floats(0, 1))
        path["decision_weeks"] = draw(st.floats(0, 6))
        path["signal"] = draw(st.floats(0, 1))
        path["pretext_use"] = draw(st.floats(0, 1))
        if path["regional_orgs"]:
            path["capacity"] = None  # the AU's own capacity (0.5): open or closed by min_prospects
    if name == "recommended":
        data["criteria"]["min_prospects"] = draw(st.sampled_from([0.3, 0.6]))
    regime = parse_regime(data, "test row")
    inputs = make_inputs(p_veto_rus_chn=draw(st.floats(0.0, 0.6)))
    perpetrator = {
        "growth": draw(st.floats(0.02, 0.4)),
        "uncertainty": draw(st.floats(0.0, 1.0)),
        "discount": draw(st.floats(0.8, 0.99)),
        "steepness": draw(st.sampled_from([2.0, draw(st.floats(0.5, 4))])),
        "gaming": draw(st.floats(0, 2)),
        "resolve": draw(st.floats(0.05, 2)),
        "target_population": draw(st.floats(2_000, 1e6)),
    }
    scenario = Scenario(
        inputs=inputs,
        trigger_holds=draw(st.booleans()),
        crime=draw(st.sampled_from(["genocide", "war_crimes"])),
        detection_weeks=draw(st.floats(0, 12)),
        intervener_interest=draw(st.floats(0, 1)),
        necessity_deaths=draw(st.floats(0, 5000)),
    ).with_(perpetrator=perpetrator)
    return scenario, regime, draw(st.integers(0, 2**62))


@ROWS
@given(
    batch=st.lists(rows(), min_size=1, max_size=5),
    shared=st.booleans(),
    draws=st.integers(1, 90),
    weeks=st.integers(1, 70),
    block=st.integers(1, 400),
)
def test_rows_in_one_block_equal_each_row_alone(
    batch: list[tuple[Scenario, Any, int]], shared: bool, draws: int, weeks: int, block: int
) -> None:
    if shared:  # rows that differ only in the perpetrator and seed (one compiled structure)
        batch = [(s.with_(inputs=batch[0][0].inputs), batch[0][1], seed) for s, _, seed in batch]
        batch = [(s.with_(trigger_holds=True, crime="genocide"), r, seed) for s, r, seed in batch]
    scenarios, regimes, seeds = (list(x) for x in zip(*batch, strict=True))
    out = simulate_rows(scenarios, regimes, seeds, draws, weeks, block=block)
    names = np.array(["none", *ladder().names])
    for r, (scenario, regime, seed) in enumerate(batch):
        alone = simulate(scenario, regime, draws=draws, weeks=weeks, seed=seed).draws
        for k in NUMERIC:
            assert out[k].shape == (len(batch), draws)
            assert np.array_equal(out[k][r], alone[k].to_numpy(float), equal_nan=True), (r, k)
        rung = out["highest_rung"][r].astype(int)
        assert names[rung + 1].tolist() == alone["highest_instrument"].astype(str).tolist()
        route = out["highest_route"][r].astype(int)
        codes, authorities = _authority_names(compile_regime(regime, scenario), rung, route)
        assert np.array(authorities)[codes].tolist() == alone["authority_path"].astype(str).tolist()


def test_rows_keep_their_own_seed_and_order() -> None:
    scenario = Scenario(inputs=make_inputs(), horizon_weeks=40)
    regime = load_regime("break_the_law")
    one = simulate_rows([scenario] * 3, regime, [5, 6, 5], 200)
    assert np.array_equal(one["deaths_civilian"][0], one["deaths_civilian"][2])
    assert not np.array_equal(one["deaths_civilian"][0], one["deaths_civilian"][1])
    swapped = simulate_rows([scenario] * 2, regime, [6, 5], 200)
    assert np.array_equal(swapped["deaths_civilian"][0], one["deaths_civilian"][1])


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"seeds": [1]}, "one of each per row"),
        ({"seeds": [1, -1]}, "seeds[1]"),
        ({"draws": 0}, "draws"),
        ({"weeks": 0}, "weeks"),
        ({"block": 0}, "block"),
    ],
)
def test_bad_rows_are_refused(kwargs: dict[str, Any], needle: str) -> None:
    scenario = Scenario(inputs=make_inputs())
    args: dict[str, Any] = {"seeds": [1, 2], "draws": 10, **kwargs}
    with pytest.raises(R2PInputError, match=needle.replace("[", r"\[").replace("]", r"\]")):
        simulate_rows([scenario, scenario], load_regime("status_quo"), **args)
