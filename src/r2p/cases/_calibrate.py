"""Calibration to the case library, out of sample.

Two layers, both refitted without the case being predicted (leave-one-case-out, "loo"), or
with only the cases whose 24-month window had closed before its onset ("past"):

1. **Timing parameters** (``SimParams``: Council deliberation delay, delay to the first session,
   coalition political will) are chosen on a grid by the likelihood of what history recorded:
   the month of the first Council art. 41 measure and of the first force authorisation
   (months 0..24, or later/never) and whether force was used without authorisation within 24
   months. The simulator is run once per case and grid point (``grid_table``, cached) so every
   refit is a table lookup.
2. **Shrinkage** (``fit_shrinkage``): per outcome, the simulator's probability at those
   parameters is shrunk toward the training cases' base rate, ``(1 − w) p_sim + w · base``, with
   ``w`` chosen on the training cases by Brier score. Only the simulator's probability moves a
   prediction away from the base rate. (``fit_map``, a two-parameter penalised logistic map, is
   kept for the era baseline; on the library it did worse than shrinkage, see docs/cases.md.)

Parameter uncertainty: a bootstrap over cases of the grid argmax (``bootstrap_params``).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import expit, logit

from r2p.cases._features import CaseInputs, cache_path
from r2p.cases._predict import (
    DRAWS,
    MAX_MONTH,
    OUTCOMES,
    SEED,
    SHIPPED,
    CaseSetting,
    CouncilRun,
    SimParams,
    simulate_case,
)
from r2p.data import cached_pickle, save_pickle

#: The calibration grid (documented in docs/cases.md). Council pace × coalition will.
DELIBERATION_GRID = (2.0, 4.0, 8.0, 16.0)
FIRST_SESSION_GRID = (1.0, 4.0, 13.0)
NONSTATE_RELIEF_GRID = (0.0, 0.5, 1.0)
#: κ, the engagement power (applied after simulation: no extra runs).
ENGAGEMENT_GRID = (0.0, 3.0, 10.0, 30.0, 60.0, 100.0)
#: Coalition will enters the simulated probability linearly (see ``CouncilRun``), so a fine grid
#: costs no extra simulation.
COALITION_WILL_GRID = tuple(round(0.025 * k, 3) for k in range(1, 41))
#: Pseudo-count per month bin when scoring an observed month against simulated shares.
BIN_SMOOTHING = 0.5
#: Priors of the outcome map (see module docstring).
PRIOR_SD_INTERCEPT = 1.5
PRIOR_SD_SLOPE = 1.0
P_CLIP = 0.005


def grid() -> list[SimParams]:
    """Every ``SimParams`` of the calibration grid."""
    return [SimParams(d, f, w, r, k) for (d, f, r), k, w in
            itertools.product(paces(), ENGAGEMENT_GRID, COALITION_WILL_GRID)]


def paces() -> list[tuple[float, float, float]]:
    """The distinct simulation runs of the grid (all parameters but the coalition will), plus the
    shipped values (for comparison)."""
    runs = list(itertools.product(DELIBERATION_GRID, FIRST_SESSION_GRID, NONSTATE_RELIEF_GRID))
    return [*runs, SHIPPED.council_part()]


@dataclass(frozen=True)
class CaseTable:
    """Simulated quantities of one case at every run of the grid:
    ``council[(deliberation_weeks, first_session_weeks, nonstate_relief)]`` is a ``CouncilRun``."""

    case_id: str
    council: dict[tuple[float, float, float], CouncilRun]

    def mech(self, params: SimParams) -> dict[str, float]:
        """The four mechanistic probabilities at ``params``."""
        run = self.council[params.council_part()]
        return run.outcomes(params.coalition_will, params.engagement_power)


def table_cache_path(case_id: str, target: str, onset_date: str, setting: CaseSetting, *,
                     draws: int = DRAWS, seed: int = SEED) -> Path:
    """The cache file holding the grid table of a case (it may not exist yet)."""
    return cache_path("grid", case_id, target, onset_date, setting, draws, seed, paces())


def case_table(inputs: CaseInputs, setting: CaseSetting, *, draws: int = DRAWS, seed: int = SEED,
               use_cache: bool = True) -> CaseTable:
    """Return (building and caching) the grid table of one case."""
    runs_at = paces()
    path = table_cache_path(inputs.id, inputs.target, inputs.onset_date, setting, draws=draws, seed=seed)

    def build() -> CaseTable:
        return CaseTable(inputs.id, {pace: simulate_case(inputs, setting, pace, draws=draws, seed=seed)
                                     for pace in runs_at})

    if use_cache:
        return cached_pickle(path, build)
    table = build()
    save_pickle(path, table)
    return table


# ----------------------------------------------------------------------------- observed footprint

@dataclass(frozen=True)
class Footprint:
    """What history recorded for a library case (months from onset; None = never / not within 24)."""

    case_id: str
    coercion_month: int | None
    force_auth_month: int | None
    force_unauthorized_24m: int
    outcomes: dict[str, int] = field(default_factory=dict)


def footprints() -> dict[str, Footprint]:
    """Footprints of every library case (from its events and ``truth.csv``)."""
    from r2p.cases._library import library, truth
    from r2p.cases._timeline import FORCE_INSTRUMENTS, first_steps, timeline

    t = truth().set_index("id")
    out = {}
    for c in library():
        fs = first_steps(c)
        tl = timeline(c)
        auth = tl[(tl["actor"] == "UNSC") & (tl["month"] >= 0) & tl["instrument"].isin(FORCE_INSTRUMENTS)]
        auth_month = None if auth.empty else int(auth["month"].min())
        row = t.loc[c.id]
        # truth.csv is the reference for the 0/1 outcomes: keep the months consistent with it.
        if int(row["force_authorized_24m"]) == 1 and (auth_month is None or auth_month > MAX_MONTH):
            auth_month = MAX_MONTH
        if int(row["force_authorized_24m"]) == 0 and auth_month is not None and auth_month <= MAX_MONTH:
            auth_month = None
        coerc = fs.first_unsc_coercive
        if int(row["coercive_12m"]) == 1 and (coerc is None or coerc > 12):
            coerc = 12
        if int(row["coercive_12m"]) == 0 and coerc is not None and coerc <= 12:
            coerc = None
        out[c.id] = Footprint(c.id, coerc, auth_month, int(row["force_unauthorized_24m"]),
                              {k: int(row[k]) for k in OUTCOMES})
    return out


def _bin_loglik(shares: NDArray[np.float64], month: int | None, draws: int) -> float:
    k = MAX_MONTH + 1 if month is None or month > MAX_MONTH else max(int(month), 0)
    counts = shares * draws
    return float(math.log((counts[k] + BIN_SMOOTHING) / (draws + BIN_SMOOTHING * len(shares))))


def loglik_table(tables: dict[str, CaseTable], fps: dict[str, Footprint], *,
                 draws: int = DRAWS) -> pd.DataFrame:
    """Log-likelihood of each case's footprint at each grid point (columns case, grid, the four
    components ll_coercion, ll_force_auth, ll_unauthorized, ll_veto, and their sum ll)."""
    pts = grid()
    wills = np.array(COALITION_WILL_GRID)
    frames = []
    index = {p: i for i, p in enumerate(pts)}
    for cid, tab in tables.items():
        fp = fps[cid]
        for pace in paces():
            run = tab.council[pace]
            for k in ENGAGEMENT_GRID:
                coerc, force = run.months(k)
                e = run.engagement(k)
                ll_c = _bin_loglik(coerc, fp.coercion_month, draws)
                ll_f = _bin_loglik(force, fp.force_auth_month, draws)
                share = wills * (e * run.acted_if_willing + (1 - e) * run.acted_if_willing_blocked)
                share = np.clip(share, 0.5 / draws, 1 - 0.5 / draws)
                ll_u = np.log(share if fp.force_unauthorized_24m else 1.0 - share)
                pv = min(max(e * run.p["veto_24m"], 0.5 / draws), 1 - 0.5 / draws)
                ll_v = math.log(pv if fp.outcomes["veto_24m"] else 1.0 - pv)
                idx = [index[SimParams(pace[0], pace[1], w, pace[2], k)] for w in COALITION_WILL_GRID]
                frames.append(pd.DataFrame({"case": cid, "grid": idx, "ll_coercion": ll_c,
                                            "ll_force_auth": ll_f, "ll_unauthorized": ll_u, "ll_veto": ll_v,
                                            "ll": ll_c + ll_f + ll_u + ll_v}))
    return pd.concat(frames, ignore_index=True)


def best_params(ll: pd.DataFrame, cases: Sequence[str]) -> SimParams:
    """The grid point with the highest summed log-likelihood over ``cases`` (shipped values if none)."""
    if not len(cases):
        return SHIPPED
    cases_w, grids, wide = _wide(ll)
    rows = [cases_w[c] for c in cases if c in cases_w]
    if not rows:
        return SHIPPED
    return _grid_points()[int(grids[int(np.argmax(wide[rows].sum(axis=0)))])]


_WIDE: dict[int, tuple[pd.DataFrame, dict[str, int], NDArray[np.int64], NDArray[np.float64]]] = {}


def _wide(ll: pd.DataFrame) -> tuple[dict[str, int], NDArray[np.int64], NDArray[np.float64]]:
    """``ll`` as a cases × grid matrix (memoised per table object: best_params is called
    hundreds of times by the nested leave-one-out of the outcome layer)."""
    hit = _WIDE.get(id(ll))
    if hit is None or hit[0] is not ll:
        w = ll.pivot(index="case", columns="grid", values="ll")
        hit = (ll, {str(c): i for i, c in enumerate(w.index)}, w.columns.to_numpy(dtype=np.int64),
               w.to_numpy(dtype=float))
        _WIDE.clear()
        _WIDE[id(ll)] = hit
    return hit[1], hit[2], hit[3]


@functools.lru_cache(maxsize=1)
def _grid_points() -> list[SimParams]:
    return grid()


def bootstrap_params(ll: pd.DataFrame, n: int = 500, seed: int = 7) -> pd.DataFrame:
    """Bootstrap over cases: one row per resample with the chosen parameters."""
    rng = np.random.default_rng(seed)
    cases = sorted(ll["case"].unique())
    wide = ll.pivot(index="case", columns="grid", values="ll").loc[cases].to_numpy()
    pts = grid()
    rows = []
    for _ in range(n):
        pick = rng.integers(0, len(cases), len(cases))
        gi = int(np.argmax(wide[pick].sum(axis=0)))
        rows.append(asdict(pts[gi]))
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- outcome maps

@dataclass(frozen=True)
class OutcomeMap:
    """``P(y) = expit(a + b · (logit p_sim − centre))``; ``n``/``positives`` of the fit."""

    a: float
    b: float
    centre: float
    n: int
    positives: int

    def __call__(self, p_sim: float | NDArray[np.float64]) -> NDArray[np.float64]:
        x = logit(np.clip(np.asarray(p_sim, dtype=float), P_CLIP, 1 - P_CLIP)) - self.centre
        return np.asarray(expit(self.a + self.b * x))


def smoothed_rate(y: NDArray[np.float64]) -> float:
    """(positives + 0.5) / (n + 1): the base rate, kept off 0 and 1."""
    return float((np.sum(y) + 0.5) / (len(y) + 1.0))


def fit_map(p_sim: Sequence[float], y: Sequence[int]) -> OutcomeMap:
    """Fit the MAP outcome map of simulated probabilities ``p_sim`` to outcomes ``y`` (0/1)."""
    ps = np.asarray(p_sim, dtype=float)
    yy = np.asarray(y, dtype=float)
    a0 = float(logit(smoothed_rate(yy))) if len(yy) else 0.0
    if not len(yy):
        return OutcomeMap(a0, 0.0, 0.0, 0, 0)
    x_all = logit(np.clip(ps, P_CLIP, 1 - P_CLIP))
    centre = float(x_all.mean())
    x = x_all - centre

    def nlp(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        a, b = theta
        z = a + b * x
        ll = float(np.sum(yy * z - np.logaddexp(0.0, z)))
        pr = expit(z)
        grad_a = float(np.sum(yy - pr)) - (a - a0) / PRIOR_SD_INTERCEPT**2
        grad_b = float(np.sum((yy - pr) * x)) - b / PRIOR_SD_SLOPE**2
        val = -ll + (a - a0) ** 2 / (2 * PRIOR_SD_INTERCEPT**2) + b**2 / (2 * PRIOR_SD_SLOPE**2)
        return val, -np.array([grad_a, grad_b])

    res = minimize(nlp, np.array([a0, 0.0]), jac=True, method="L-BFGS-B")
    a, b = (float(v) for v in res.x)
    return OutcomeMap(a, b, centre, len(yy), int(yy.sum()))


@dataclass(frozen=True)
class Shrinkage:
    """``P(y) = (1 − w) · p_sim + w · base``: the simulator's probability shrunk toward the base
    rate of the cases it was fitted on; ``w`` (0–1) minimises their Brier score."""

    w: float
    base: float
    n: int

    def __call__(self, p_sim: float) -> float:
        return (1.0 - self.w) * float(p_sim) + self.w * self.base


SHRINK_GRID = tuple(np.round(np.linspace(0.0, 1.0, 21), 2))


def fit_shrinkage(p_sim: Sequence[float], y: Sequence[int]) -> Shrinkage:
    """Fit the shrinkage weight of simulated probabilities ``p_sim`` toward the base rate of ``y``
    (0/1) by least Brier score on a grid of 0.05 (no cases: the simulator as is, w = 0)."""
    ps, yy = np.asarray(p_sim, dtype=float), np.asarray(y, dtype=float)
    if not len(yy):
        return Shrinkage(0.0, 0.5, 0)
    base = float(yy.mean())
    scores = [float(np.mean(((1 - w) * ps + w * base - yy) ** 2)) for w in SHRINK_GRID]
    return Shrinkage(float(SHRINK_GRID[int(np.argmin(scores))]), base, len(yy))


# ----------------------------------------------------------------------------- the calibrated predictor

PROTOCOLS = ("loo", "past")


def training_cases(target_id: str, target_onset: str, target_key: tuple[str, str], library_rows: pd.DataFrame,
                   protocol: str) -> list[str]:
    """Library cases allowed to fit the calibration used for a case.

    ``loo``: every library case except the case itself (same id, or same target and onset).
    ``past``: only cases whose 24-month outcome window closed before the case's onset.
    """
    if protocol not in PROTOCOLS:
        from r2p.errors import R2PInputError

        raise R2PInputError(f"protocol {protocol!r} is not one of {', '.join(PROTOCOLS)}.")
    keep = []
    for r in library_rows.itertuples(index=False):
        if r.id == target_id or (r.target_state, r.onset_date) == target_key:
            continue
        if protocol == "past":
            y, m = int(r.onset_date[:4]), int(r.onset_date[5:7])
            closes = f"{y + (m - 1 + MAX_MONTH + 1) // 12:04d}-{(m - 1 + MAX_MONTH + 1) % 12 + 1:02d}"
            if closes > target_onset:
                continue
        keep.append(str(r.id))
    return keep


@dataclass(frozen=True)
class Calibrated:
    """One case's calibrated prediction: the parameters and maps used, and the probabilities."""

    case_id: str
    params: SimParams
    mech: dict[str, float]
    p: dict[str, float]
    n_train: int
    maps: dict[str, Shrinkage]
    #: Set by the outcome layer (``_outcome``): the calibrated simulator's probabilities (what
    #: ``p`` was before the layer), the statistical model's, and the simulator's blend weight.
    p_simulator: dict[str, float] = field(default_factory=dict)
    p_stat: dict[str, float] = field(default_factory=dict)
    blend_w: dict[str, float] = field(default_factory=dict)


def calibrated_prediction(
    case_id: str, mech_at: Callable[[SimParams], dict[str, float]], train: Sequence[str],
    tables: dict[str, CaseTable], ll: pd.DataFrame, fps: dict[str, Footprint],
) -> Calibrated:
    """Predict one case from its simulated probabilities (``mech_at(params)``) with parameters and
    outcome maps fitted on the library cases ``train`` only."""
    params = best_params(ll, train)
    mech = mech_at(params)
    maps: dict[str, Shrinkage] = {}
    p: dict[str, float] = {}
    for o in OUTCOMES:
        xs = [tables[c].mech(params)[o] for c in train]
        ys = [fps[c].outcomes[o] for c in train]
        m = fit_shrinkage(xs, ys)
        maps[o] = m
        p[o] = float(m(mech[o]))
    return Calibrated(case_id, params, mech, p, len(train), maps)


def to_frame(items: Sequence[Calibrated]) -> pd.DataFrame:
    """One row per case: final p_*, mechanistic sim_*, the outcome layer's components (simcal_*:
    calibrated simulator, stat_*: statistical model or veto record, w_*: simulator's weight) and
    the simulator parameters used."""
    rows: list[dict[str, Any]] = []
    for c in items:
        row: dict[str, Any] = {"id": c.case_id}
        row.update({f"p_{o}": c.p[o] for o in OUTCOMES})
        row.update({f"sim_{o}": c.mech[o] for o in OUTCOMES})
        row.update({f"simcal_{o}": v for o, v in c.p_simulator.items()})
        row.update({f"stat_{o}": v for o, v in c.p_stat.items()})
        row.update({f"w_{o}": v for o, v in c.blend_w.items()})
        row.update(asdict(c.params))
        row["n_train"] = c.n_train
        rows.append(row)
    return pd.DataFrame(rows)
