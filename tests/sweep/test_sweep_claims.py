"""Claims machinery: a claim true by construction holds in 100 % of draws, its negation in 0 %;
expressions are a safe subset; claims on arms a sweep lacks are reported, not guessed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from r2p.errors import R2PInputError
from r2p.sweep import read_sweep, run_sweep
from r2p.sweep._claims import evaluate_claims, load_claims, parse_claims, wilson

CLAIMS = """\
claims:
  - id: tautology
    title: true by construction
    holds_if: deaths_civilian.median[status_quo] == deaths_civilian.median[status_quo]
  - id: negation
    title: the tautology negated
    holds_if: not (deaths_civilian.median[status_quo] == deaths_civilian.median[status_quo])
  - id: growth_half
    title: holds exactly where a parameter is above the middle of its range
    holds_if: perpetrator.growth > 0.15 or 0 * deaths_civilian[status_quo] > 1
  - id: absent_arm
    title: names an arm the sweep lacks
    holds_if: deaths_civilian[early_robust] < deaths_civilian[status_quo]
"""


@pytest.fixture
def claims_sweep(sweep_warehouse: Path, tiny_config: Callable[..., Path]) -> str:
    run_sweep(tiny_config(name="claimsweep", n=16, mc=8, weeks=12, chunk=32), show_progress=False, threads=1)
    return "claimsweep"


def test_true_by_construction_is_100_and_negation_0(claims_sweep: str) -> None:
    cfg, df = read_sweep(claims_sweep)
    res = {r.id: r for r in evaluate_claims(parse_claims(CLAIMS), cfg, df)}
    assert res["tautology"].share == 1.0 and res["tautology"].ci_high == 1.0 and res["tautology"].ci_low > 0.9
    assert res["negation"].share == 0.0 and res["negation"].ci_low == 0.0
    assert res["absent_arm"].status == "not evaluable" and "early_robust" in res["absent_arm"].reason
    assert res["tautology"].n_draws == cfg.rows_per_cell
    g = df.drop_duplicates("draw_id")["perpetrator.growth"].to_numpy()
    assert res["growth_half"].share == pytest.approx(float(np.mean(g > 0.15)))


def test_parameter_claim_end_to_end(claims_sweep: str) -> None:
    cfg, df = read_sweep(claims_sweep)
    # a parameter is named by its dotted name; this claim is decided by growth alone
    text = 'claims:\n  - {id: g, title: t, holds_if: "perpetrator.growth > 0.15"}\n'
    [res] = evaluate_claims(parse_claims(text, "x"), cfg, df)
    g = df.drop_duplicates("draw_id")["perpetrator.growth"].to_numpy()
    assert res.share == pytest.approx(float(np.mean(g > 0.15)))
    assert res.top_parameters[0]["parameter"] == "perpetrator.growth"
    assert res.top_parameters[0]["ST"] > 0.5
    assert res.flip is not None and res.flip["parameter"] == "perpetrator.growth"
    assert res.flip["value"] == pytest.approx(0.15, abs=0.03)


@pytest.mark.parametrize(
    ("expr", "needle"),
    [
        ("__import__('os').system('true')", "only min"),
        ("[x for x in deaths_civilian]", "not allowed"),
        ("deaths_civilian.median[status_quo].__class__ == 1", "not allowed"),
        ("deaths_civilian.median[status_quo].real == 1", "expected outcome.stat"),
        ("open(1) > 0", "only min"),
        ("deaths_civilan.median[status_quo] > 0", "deaths_civilian"),
        ("deaths_civilian.medain[status_quo] > 0", "median"),
        ("deaths_civilian.median[status_quo] >", "not a valid expression"),
    ],
)
def test_bad_claims_are_refused_with_the_reason(expr: str, needle: str) -> None:
    with pytest.raises(R2PInputError) as err:
        parse_claims(f'claims:\n  - {{id: c, title: t, holds_if: "{expr}"}}\n', "mine.yaml")
    assert "mine.yaml" in str(err.value) and needle in str(err.value)


def test_shipped_claims_parse() -> None:
    claims = load_claims()
    assert len(claims) >= 6
    assert len({c.id for c in claims}) == len(claims)


def test_wilson_interval() -> None:
    lo, hi = wilson(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
