"""The sweep file is validated before any work: schema, names, domains, sizes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from r2p.errors import R2PInputError
from r2p.sweep import load_sweep_config, parse_sweep_config, plan_chunks, sample_parameters


def test_tiny_config_parses_and_sizes(sweep_warehouse: Path, tiny_config: Callable[..., Path]) -> None:
    cfg = load_sweep_config(tiny_config(n=4))
    assert cfg.name == "tiny" and cfg.table == "sweep_tiny"
    assert [r.name for r in cfg.regimes] == ["status_quo", "slow_council"]
    assert cfg.regimes[1].regime == "status_quo"
    assert cfg.rows_per_cell == 4 * (2 + 2)
    assert cfg.total_rows == 2 * 1 * 16
    chunks = plan_chunks(cfg)
    assert sum(c.stop - c.start for c in chunks) == cfg.total_rows
    assert [c.chunk_id for c in chunks] == list(range(len(chunks)))


def test_samples_respect_distributions_and_are_seeded(
    sweep_warehouse: Path, tiny_config: Callable[..., Path]
) -> None:
    cfg = load_sweep_config(tiny_config(n=64))
    a, b = sample_parameters(cfg), sample_parameters(cfg)
    assert a.equals(b)
    g = a["perpetrator.growth"].to_numpy()
    assert g.min() >= 0.05 and g.max() <= 0.25
    t = a["regime.council.first_session_weeks"].to_numpy()
    assert t.min() >= 0 and t.max() <= 8
    # triangular with mode 2 on [0, 8]: mean (0 + 2 + 8) / 3
    assert abs(np.mean(t) - 10 / 3) < 0.3


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: x\nregimes: [status_quo]\nscenarios: [{target: RWA, year: 1994}]\n", "parameters"),
        (
            "name: Bad Name\nregimes: [status_quo]\nscenarios: [{target: RWA, year: 1994}]\n"
            "parameters: {perpetrator.growth: {dist: uniform, low: 0.1, high: 0.2}}\n",
            "name",
        ),
        (
            "name: x\nregimes: [status_quo]\nscenarios: [{target: RWA, year: 1994}]\nmc_drawz: 3\n"
            "parameters: {perpetrator.growth: {dist: uniform, low: 0.1, high: 0.2}}\n",
            "mc_draws",
        ),
        (
            "name: x\nregimes: [status_quo]\nscenarios: [{target: RWA, year: 1994}]\n"
            "parameters: {perpetrator.growth: {dist: uniform, low: 0.3, high: 0.2}}\n",
            "low",
        ),
        (
            "name: x\nregimes: [status_quo]\nscenarios: [{target: RWA, year: 1994}]\n"
            "parameters: {perpetrator.growth: {dist: gaussian, low: 0.1, high: 0.2}}\n",
            "perpetrator.growth",
        ),
        ("- just\n- a list\n", "mapping"),
        ("name: [unclosed\n", "YAML"),
    ],
)
def test_malformed_files_name_the_problem(text: str, needle: str) -> None:
    with pytest.raises(R2PInputError) as err:
        parse_sweep_config(text, "bad.yaml")
    assert "bad.yaml" in str(err.value) and needle in str(err.value)


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "s.yaml"
    p.write_text("name: s\nscenarios: [{target: RWA, year: 1994}]\n" + body)
    return p


def test_unknown_regime_parameter_and_target_are_caught(sweep_warehouse: Path, tmp_path: Path) -> None:
    ok = "parameters: {perpetrator.growth: {dist: uniform, low: 0.1, high: 0.2}}\n"
    with pytest.raises(R2PInputError, match="status_quo"):
        load_sweep_config(_write(tmp_path, "regimes: [status_qou]\n" + ok))
    with pytest.raises(R2PInputError, match="perpetrator.growth"):
        load_sweep_config(
            _write(
                tmp_path,
                "regimes: [status_quo]\n"
                "parameters: {perpetrator.growht: {dist: uniform, low: 0.1, high: 0.2}}\n",
            )
        )
    p = tmp_path / "t.yaml"
    p.write_text("name: s\nregimes: [status_quo]\nscenarios: [{target: Atlantis, year: 1994}]\n" + ok)
    with pytest.raises(R2PInputError, match="scenarios.0.target"):
        load_sweep_config(p)


def test_range_outside_domain_is_refused(sweep_warehouse: Path, tmp_path: Path) -> None:
    # growth is a weekly rate in [0, 1]; deliberation in [1, 52] weeks
    with pytest.raises(R2PInputError, match=r"outside the allowed domain of perpetrator.growth"):
        load_sweep_config(
            _write(
                tmp_path,
                "regimes: [status_quo]\n"
                "parameters: {perpetrator.growth: {dist: uniform, low: 0.1, high: 1.5}}\n",
            )
        )
    with pytest.raises(R2PInputError, match="regime.council.deliberation_weeks"):
        load_sweep_config(
            _write(
                tmp_path,
                "regimes: [status_quo]\nparameters:\n"
                "  regime.council.deliberation_weeks: {dist: uniform, low: 0.5, high: 4}\n",
            )
        )
    with pytest.raises(R2PInputError, match="regimes.0.set"):
        load_sweep_config(
            _write(
                tmp_path,
                "regimes: [{name: a, base: status_quo, set: "
                "{regime.council.veto_threat_cost: 2}}]\n"
                "parameters: {perpetrator.growth: {dist: uniform, low: 0.1, high: 0.2}}\n",
            )
        )


def test_shipped_sweeps_validate(sweep_warehouse: Path) -> None:
    from r2p.sweep._claims import load_claims, metric_refs
    from r2p.sweep._run import shipped_sweep

    root = Path(__file__).resolve().parents[2]
    quick = load_sweep_config(root / "examples" / "sweeps" / "quick.yaml")
    assert {r.name for r in quick.regimes} == {"status_quo", "break_the_law", "un_reform", "hi_doctrine",
                                               "democracies", "recommended"}
    claims_cfg = load_sweep_config(shipped_sweep("claims_sweep"))
    arms = {r.name for r in claims_cfg.regimes}
    # every arm a shipped claim compares is in the shipped claims sweep
    for claim in load_claims():
        assert {arm for _, _, arm in metric_refs(claim.holds_if)} <= arms, claim.id
