"""The seam between the sweep machinery and the crisis simulator (``r2p.crisis.simulate_rows``).

Everything the sweep needs from the model goes through these functions:

- ``regime_names()`` and ``parameter_domains()``: what a sweep file may name, and the allowed
  domain of each parameter (read from the model's own types, see ``_params``);
- ``resolve_target(target)``: check a scenario target exists (driver side, before work);
- ``prepare(cfg, params)``: build the scenario and regime objects once in the driver (real
  inputs from the warehouse, ``Scenario.for_country``) and validate every parameter row
  against the regime schema, so bad rows fail before work and workers never open the warehouse;
- ``row_inputs(arm, scenario, param_rows, seed)``: each parameter row's scenario, regime and seed;
- ``evaluate_chunk(arm, scenario, param_rows, mc_draws, weeks, seed)``: outcome metrics for
  each parameter row, summarised over ``mc_draws`` Monte Carlo draws of the simulator. The
  chunk's rows run as one batch (``r2p.crisis.simulate_rows``: rows × Monte Carlo draws as
  vectorised blocks of draws), each row with its own seed, so a row's numbers are those of
  ``r2p.crisis.simulate`` on that row alone.

Outcome columns are ``<outcome>__<stat>`` with stat ``mean`` or ``median`` over Monte Carlo
draws. ``weeks_to_*`` are censored at the horizon: "never within the horizon" counts as
``weeks`` (so the mean is the restricted mean time). Legitimacy and coordination are
averaged over the draws where something was done (NaN if nothing ever was); ``legitimacy``
is the mean of the four blocs' acceptance. ``force_used``, ``abuse`` and ``force_withheld``
are shares of draws (their mean).
"""

from __future__ import annotations

import functools
import hashlib
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from r2p.errors import R2PInputError
from r2p.sweep import _params

WEEKS_METRICS = ("weeks_to_first_coercion", "weeks_to_protection", "weeks_to_council_force")
BLOCS = ("legitimacy_western", "legitimacy_russia_china", "legitimacy_nam_g77", "legitimacy_regional")
OUTCOMES = (
    "deaths_civilian",
    *WEEKS_METRICS,
    "legitimacy",
    *BLOCS,
    "coordination_index",
    "troop_weeks",
    "council_erosion",
    "deadlocks",
    "detection_week",
    "peak_intensity",
    "force_used",
    "abuse",
    "force_withheld",
)
STATS = ("mean", "median")
# Draws per vectorised block of the simulator (rows × Monte Carlo draws): big enough that the
# week loop's fixed cost per NumPy call is small, small enough that its (weeks × draws) schedule
# stays tens of MB (104 weeks × 65,536 draws × 8 bytes = 55 MB). Results do not depend on it.
BLOCK_DRAWS = 65_536
_DEFINED_ONLY = (*BLOCS, "coordination_index")


def regime_names() -> list[str]:
    """Names of the shipped regimes a sweep arm may start from."""
    from r2p.law import REGIME_NAMES

    return list(REGIME_NAMES)


def parameter_domains() -> dict[str, tuple[float, float]]:
    """``{parameter: (lowest, highest)}`` of every parameter a sweep may vary."""
    return {k: (d.lo, d.hi) for k, d in _params.domains().items()}


def outcome_columns() -> list[str]:
    """Outcome metric columns ``evaluate_chunk`` returns (``<outcome>__<stat>``)."""
    return [f"{o}__{s}" for o in OUTCOMES for s in STATS]


def resolve_target(target: str) -> str:
    """Return the ISO3 code of ``target`` (``R2PInputError`` if unknown)."""
    from r2p.data import resolve_country

    return str(resolve_country(target).iso3)


@dataclass(frozen=True)
class Arm:
    """A regime arm ready for workers: the base regime (validated), its mapping, fixed values."""

    name: str
    regime: Any
    regime_dict: dict[str, Any]
    fixed: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """Regime arms and scenarios built once in the driver and shipped to workers."""

    regimes: dict[str, Arm]
    scenarios: dict[str, Any]


def _arm_regime(arm: Arm, regime_values: dict[str, float], origin: str) -> Any:
    if not regime_values:
        return arm.regime
    from r2p.law import parse_regime

    data = _params.apply_to_regime_dict(arm.regime_dict, regime_values)
    data["name"] = arm.name
    return parse_regime(data, origin)


def prepare(cfg: Any, params: pd.DataFrame | None = None) -> Prepared:
    """Return the model objects of every arm and scenario of ``cfg`` (driver side).

    Every parameter row is checked against the regime schema for every arm (cross-field
    rules such as ``first_step_jump >= max_jump``): ``R2PInputError`` names the first row that fails.
    """
    from r2p.law import load_regime, parse_regime

    arms: dict[str, Arm] = {}
    for spec in cfg.regimes:
        fixed = {k: float(v) for k, v in spec.set.items()}
        _, _, regime_fixed, _ = _params.split(fixed)
        base = load_regime(spec.regime).model_dump(mode="json")
        base = _params.apply_to_regime_dict(base, regime_fixed)
        base["name"] = spec.name
        regime = parse_regime(base, f"regime arm {spec.name!r}")
        arms[spec.name] = Arm(spec.name, regime, base, fixed)
    if params is not None:
        reg_cols = [c for c in params.columns if c.startswith("regime.")]
        if reg_cols:
            for arm in arms.values():
                for draw_id, row in params[reg_cols].iterrows():
                    values = {**{k: float(v) for k, v in row.items()}, **arm.fixed}
                    _, _, reg, _ = _params.split(values)
                    _arm_regime(arm, reg, f"regime arm {arm.name!r}, parameter draw {draw_id}")
    scenarios = {}
    for s in cfg.scenarios:
        try:
            scenarios[s.label] = _scenario(s.target, s.year).with_(horizon_weeks=cfg.weeks)
        except R2PInputError as exc:
            raise R2PInputError(f"scenario {s.label} ({s.target} {s.year}): {exc}") from exc
    return Prepared(arms, scenarios)


@functools.lru_cache(maxsize=64)
def _scenario(target: str, year: int) -> Any:
    """The real-input scenario of a target-year, built from the Council and risk models.

    Building one can take seconds to minutes (model fits), so it is cached in memory and on
    disk under ``<home>/cache/sweep``, keyed by the warehouse fingerprint and the code version of
    the parts it comes from (``r2p.crisis``, ``r2p.law``, ``r2p.council``, ``r2p.risk``); always
    safe to delete.
    """
    from r2p.crisis import Scenario
    from r2p.data import cached_pickle, home_dir, query
    from r2p.sweep._run import code_version

    fp = query("SELECT value FROM meta WHERE key = 'fingerprint'")
    key = hashlib.sha256(f"{fp.iloc[0, 0] if len(fp) else ''}|{code_version()}|{target}|{year}".encode())
    path = home_dir() / "cache" / "sweep" / f"scenario-{key.hexdigest()[:20]}.pkl"
    return cached_pickle(path, lambda: Scenario.for_country(target, year))


def row_seed(seed: int, draw_id: int) -> int:
    """The simulator seed of parameter row ``draw_id`` under scenario seed ``seed`` (63-bit)."""
    digest = hashlib.sha256(f"{seed}|{draw_id}".encode()).digest()
    return int.from_bytes(digest[:8], "little") >> 1


def summarise_rows(out: dict[str, np.ndarray], weeks: int) -> dict[str, np.ndarray]:
    """Per-row outcome metrics (``outcome_columns()``) of ``simulate_rows`` output (arrays of shape
    (rows, Monte Carlo draws)); each value equals the row's metric computed on its draws alone."""
    n_rows = next(iter(out.values())).shape[0]
    rec: dict[str, np.ndarray] = {}
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows (nothing done) give NaN
        for o in OUTCOMES:
            if o == "legitimacy":
                blocs = np.stack([out[b] for b in BLOCS], axis=-1)  # (rows, draws, blocs)
                v = np.nanmean(blocs, axis=-1)
                v[~np.isfinite(blocs).any(axis=(1, 2))] = np.nan
            else:
                v = np.asarray(out[o], dtype=float)
            if o in WEEKS_METRICS:
                v = np.where(np.isnan(v), float(weeks), v)
            if o in _DEFINED_ONLY or o == "legitimacy":
                mean, median = np.full(n_rows, np.nan), np.full(n_rows, np.nan)
                for r in range(n_rows):
                    ok = v[r][np.isfinite(v[r])]
                    if ok.size:
                        mean[r], median[r] = ok.mean(), np.median(ok)
                rec[f"{o}__mean"], rec[f"{o}__median"] = mean, median
            else:
                rec[f"{o}__mean"] = v.mean(axis=1)
                rec[f"{o}__median"] = np.median(v, axis=1)
    return rec


def row_inputs(
    arm: Arm, scenario: Any, param_rows: pd.DataFrame, seed: int
) -> tuple[list[Any], list[Any], list[int]]:
    """The scenario, regime and simulator seed of each parameter row (``draw_id`` column plus one
    column per swept parameter) under ``arm``; the seed is ``row_seed(seed, draw_id)``."""
    if "draw_id" not in param_rows:
        raise R2PInputError("param_rows needs a draw_id column")
    scenarios, regimes, seeds = [], [], []
    for rec in param_rows.to_dict("records"):
        draw_id = int(rec.pop("draw_id"))
        values = {**{str(k): float(v) for k, v in rec.items()}, **arm.fixed}
        perp, scen, reg, veto_scale = _params.split(values)
        s = scenario
        changes: dict[str, Any] = dict(scen)
        if perp:
            changes["perpetrator"] = perp
        if veto_scale != 1.0:
            changes["inputs"] = _params.scale_vetoes(s.inputs, veto_scale)
        if changes:
            s = s.with_(**changes)
        scenarios.append(s)
        regimes.append(_arm_regime(arm, reg, f"regime arm {arm.name!r}"))
        seeds.append(row_seed(seed, draw_id))
    return scenarios, regimes, seeds


def evaluate_chunk(
    arm: Arm, scenario: Any, param_rows: pd.DataFrame, mc_draws: int, weeks: int, seed: int
) -> pd.DataFrame:
    """Return outcome metrics (columns ``outcome_columns()``) for each row of ``param_rows``.

    ``param_rows`` has a ``draw_id`` column and one column per swept parameter. The rows run as
    one batch (``r2p.crisis.simulate_rows``, blocks of ``BLOCK_DRAWS`` draws); row ``i`` uses
    seed ``row_seed(seed, draw_id_i)`` and its numbers equal ``r2p.crisis.simulate`` on that row
    alone, so results depend neither on chunking nor on the arm (common random numbers across
    regimes).
    """
    from r2p.crisis import simulate_rows

    scenarios, regimes, seeds = row_inputs(arm, scenario, param_rows, seed)
    if not scenarios:
        return pd.DataFrame(index=param_rows.index, columns=outcome_columns(), dtype=float)
    out = simulate_rows(scenarios, regimes, seeds, mc_draws, weeks, block=BLOCK_DRAWS)
    return pd.DataFrame(summarise_rows(out, weeks), index=param_rows.index, columns=outcome_columns())
