"""Every shipped regime is a smoke test; the public API, input errors and the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from crisis_inputs import make_inputs

import r2p.crisis as crisis
from r2p.crisis import Scenario, ScenarioInputs, council_available, scenario_inputs, simulate
from r2p.crisis._simulate import estimate_bytes
from r2p.errors import R2PDataError, R2PInputError
from r2p.law import REGIME_NAMES, load_regime

COUNCIL_AUTHORITIES = {"chapter_vi", "chapter_vii_art41", "chapter_vii_art42", "no_action"}


def test_public_names() -> None:
    assert set(crisis.__all__) == {
        "Perpetrator",
        "Regime",
        "Scenario",
        "ScenarioInputs",
        "SimulationResult",
        "council_available",
        "estimate_bytes",
        "pass_probability",
        "scenario_inputs",
        "simulate",
        "simulate_rows",
        "summarise",
        "vote_arrays",
    }


@pytest.mark.parametrize("name", REGIME_NAMES)
def test_shipped_regime_smoke(name: str) -> None:
    regime = load_regime(name)
    atrocity = Scenario(inputs=make_inputs(), horizon_weeks=78)
    result = simulate(atrocity, name, draws=1500, seed=4)
    d = result.draws
    assert len(d) == 1500 and set(d["regime"].astype(str)) == {name}
    assert d["deaths_civilian"].gt(0).all()
    assert d["weeks_to_first_coercion"].notna().mean() > 0.5  # the Council does act in this scenario
    authorities = set(d["authority_path"].astype(str))
    opened = {p.authority for p in regime.paths}
    if opened:
        # Each regime's alternative paths are actually used in some draws, and only they.
        assert authorities - COUNCIL_AUTHORITIES <= opened
        assert authorities & opened
        outside = d["authority_path"].astype(str).isin(opened)
        assert (d.loc[outside, "legitimacy_russia_china"] < 1).all()
        assert d.loc[outside, "council_erosion"].gt(0).all()
    else:
        assert authorities <= COUNCIL_AUTHORITIES
        assert (d["legitimacy_western"].dropna() >= 0.95).all()
    s = result.summary.set_index("metric")
    assert (
        s.loc["deaths_civilian", "p05"]
        <= s.loc["deaths_civilian", "median"]
        <= s.loc["deaths_civilian", "p95"]
    )
    assert s.loc["deaths_civilian", "se"] > 0
    pretext = simulate(atrocity.with_(trigger_holds=False), name, draws=1500, seed=4).draws
    assert not pretext["force_withheld"].any()
    if not regime.force_outside_council:
        assert not pretext["abuse"].any()


def test_pretext_abuse_is_higher_under_the_doctrine_than_with_criteria_agreed() -> None:
    pretext = Scenario(inputs=make_inputs(), trigger_holds=False)
    res = simulate(pretext, ["hi_doctrine", "recommended", "status_quo"], draws=3000, seed=9)
    share = res.draws.groupby("regime", observed=True)["abuse"].mean()
    assert share["hi_doctrine"] > share["recommended"] >= share["status_quo"] == 0


def test_summary_and_table_shapes() -> None:
    res = simulate(Scenario(inputs=make_inputs()), "all", draws=400, seed=1)
    assert set(res.summary.columns) == {
        "regime",
        "metric",
        "mean",
        "median",
        "p05",
        "p95",
        "se",
        "n_defined",
        "share_defined",
    }
    assert len(res.summary) == 6 * 17
    table = res.table()
    assert list(table["regime"]) == list(REGIME_NAMES)
    shares = res.instruments.groupby("regime", observed=True)["share"].sum()
    assert np.allclose(shares, 1.0)


def test_bad_inputs_are_refused() -> None:
    scenario = Scenario(inputs=make_inputs())
    with pytest.raises(R2PInputError, match="seed"):
        simulate(scenario, "status_quo", draws=10, seed=-1)
    with pytest.raises(R2PInputError, match="draws"):
        simulate(scenario, "status_quo", draws=0, seed=1)
    with pytest.raises(R2PInputError, match="GB"):
        simulate(scenario, "all", draws=10**12, seed=1)
    with pytest.raises(R2PInputError, match="weeks"):
        simulate(scenario, "status_quo", draws=10, weeks=0, seed=1)
    with pytest.raises(R2PInputError, match="Did you mean 'democracies'"):
        simulate(scenario, "democracy", draws=10, seed=1)
    with pytest.raises(R2PInputError, match="perpetrator.growth"):
        scenario.with_(perpetrator={"growth": float("nan")})
    with pytest.raises(R2PInputError, match="scenario.crime"):
        scenario.with_(crime="genocidal")
    with pytest.raises(R2PInputError, match="intervener_interest"):
        scenario.with_(intervener_interest=float("nan"))
    bad = np.array(make_inputs().p_yes)
    bad[0, 0, 0] = np.nan
    with pytest.raises(R2PInputError, match="p_yes"):
        ScenarioInputs(
            target="SDN",
            country="Sudan",
            year=2004,
            region="x",
            regional_org="AU",
            p_yes=bad,
            p_veto=make_inputs().p_veto,
        )
    assert estimate_bytes(10**6, 6) > estimate_bytes(10**6, 1) > estimate_bytes(10**3, 1)


@pytest.mark.slow  # fits r2p.council and r2p.risk on a cold cache
def test_real_inputs_or_a_clear_error(warehouse: Path) -> None:
    with pytest.raises(R2PInputError, match="1961-2025"):
        scenario_inputs("SDN", 1800)
    with pytest.raises(R2PInputError, match="unknown country"):
        scenario_inputs("XXQ", 2004)
    if not council_available():
        with pytest.raises(R2PDataError, match="r2p.council"):
            scenario_inputs("SDN", 2004)
        return
    inputs = scenario_inputs("SDN", 2004)
    assert inputs.target == "SDN" and inputs.regional_org == "AU" and inputs.source == "r2p.council+r2p.risk"
    assert inputs.members[:5] == ("USA", "GBR", "FRA", "RUS", "CHN") and len(set(inputs.members)) == 15
    assert 0 < inputs.baseline_risk < 1 and 0 <= inputs.closed_state <= 1
    res = simulate(Scenario(inputs=inputs), "all", draws=300, seed=1)
    assert res.draws["deaths_civilian"].gt(0).all()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "r2p.cli", *args], capture_output=True, text=True, timeout=900
    )


def test_cli_refuses_bad_input_with_exit_2(warehouse: Path) -> None:
    from r2p.crisis._cli import run_simulate

    for kwargs, needle in [
        ({"regime": "status_qo"}, "Did you mean 'status_quo'"),
        ({"draws": 0}, "draws"),
        ({"draws": 10**11}, "GB"),
        ({"weeks": 0}, "weeks"),
        ({"year": 1800}, "year"),
        ({"target": "XXQ"}, "unknown country"),
        ({"crime": "genocidal"}, "scenario.crime"),
    ]:
        args = {
            "target": "SDN",
            "year": 2004,
            "regime": "all",
            "draws": 100,
            "weeks": 52,
            "seed": 1,
            "json": True,
        }
        args.update(kwargs)
        with pytest.raises(R2PInputError, match=needle):
            run_simulate(**args)
    run = _cli("simulate", "--target", "SDN", "--year", "2004", "--regime", "status_qo")
    assert run.returncode == 2 and "Did you mean 'status_quo'" in run.stderr, run.stderr


@pytest.mark.slow  # the same, in a subprocess
def test_cli_simulate_json(warehouse: Path) -> None:
    if not council_available():
        run = _cli("simulate", "--target", "SDN", "--year", "2004", "--draws", "50")
        assert run.returncode == 2 and "r2p.council" in run.stderr
        return
    import json

    run = _cli(
        "simulate",
        "--target",
        "SDN",
        "--year",
        "2004",
        "--regime",
        "status_quo,recommended",
        "--draws",
        "200",
        "--seed",
        "3",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["scenario"]["target"] == "SDN" and out["scenario"]["seed"] == 3
    assert {r["regime"] for r in out["summary"]} == {"status_quo", "recommended"}


def test_vote_arithmetic_and_restraint_agree_with_the_council_model() -> None:
    if not council_available():
        pytest.skip("r2p.council not available")
    import r2p.council as council
    from r2p.crisis._council import pass_probability, restrained_veto

    inputs = make_inputs()
    restraint = {"USA": 0.7, "RUS": 0.3, "CHN": 0.2}
    assert np.allclose(
        restrained_veto(inputs.p_veto, restraint, 0.0, True),
        council.apply_restraint(inputs.p_veto, restraint, True),
    )
    assert np.allclose(
        pass_probability(inputs.p_yes, inputs.p_veto), council.pass_probability(inputs.p_yes, inputs.p_veto)
    )
