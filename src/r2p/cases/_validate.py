"""As-of predictions for case files and their validation against the library.

- ``predict_cases(cases)``: calibrated probabilities of the four outcomes for cases given only
  their onset fields; each case's calibration excludes that case (``loo``) or uses only cases
  closed before its onset (``past``).
- ``validate()``: the same predictions over the library, scored (Brier) against the
  leave-one-out base rate and an era baseline, with a per-case table and the timing fit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from r2p.cases._calibrate import (
    Calibrated,
    CaseTable,
    Footprint,
    best_params,
    bootstrap_params,
    calibrated_prediction,
    case_table,
    fit_map,
    footprints,
    grid,
    loglik_table,
    table_cache_path,
    to_frame,
    training_cases,
)
from r2p.cases._features import FLAG_TEXT, CaseInputs, case_inputs, inputs_cache_path, onset_day
from r2p.cases._outcome import STAT_OUTCOMES, blended, stat_features
from r2p.cases._predict import OUTCOMES, SHIPPED, CaseSetting, SimParams, case_setting, mechanistic
from r2p.cases._schema import OnsetCase
from r2p.cases._veto_record import p_veto_record
from r2p.errors import R2PInputError

ONSET_FIELDS = ("id", "target_state", "onset_date", "crime_types", "perpetrator")
#: Era baseline: the Cold War ends for this purpose in 1990 (a simple, named baseline).
ERA_SPLIT_YEAR = 1990


def onset_only(case: OnsetCase) -> OnsetCase:
    """Strip a case to the fields known at onset (what every prediction sees)."""
    return OnsetCase.model_validate({k: getattr(case, k) for k in ONSET_FIELDS})


@dataclass
class LibraryCalibration:
    """The library's as-of inputs, simulated grid tables, footprints and log-likelihoods."""

    rows: pd.DataFrame  # id, target_state, onset_date
    inputs: dict[str, CaseInputs]
    settings: dict[str, CaseSetting]
    tables: dict[str, CaseTable]
    footprints: dict[str, Footprint]
    ll: pd.DataFrame


Progress = Callable[[str], None]


def library_calibration(progress: Progress | None = None) -> LibraryCalibration:
    """Build (or load from the cache) everything the calibration needs from the library."""
    return _library_calibration_cached(progress)


@functools.lru_cache(maxsize=1)
def _library_calibration_memo() -> LibraryCalibration:
    return _build_library_calibration(None)


def _library_calibration_cached(progress: Progress | None) -> LibraryCalibration:
    if progress is None:
        return _library_calibration_memo()
    return _build_library_calibration(progress)


def _build_case(cases: dict[str, OnsetCase], case_id: str) -> float:
    """Build (or read) the cached inputs and grid table of ``cases[case_id]``; return the seconds it took."""
    started = time.perf_counter()
    case = cases[case_id]
    case_table(case_inputs(case), case_setting(case.crime_types, case.perpetrator))
    return time.perf_counter() - started


def _is_built(case: OnsetCase) -> bool:
    setting = case_setting(case.crime_types, case.perpetrator)
    return (inputs_cache_path(case).is_file()
            and table_cache_path(case.id, case.target_state, case.onset_date, setting).is_file())


def build_jobs() -> int:
    """Processes that build missing case calibrations: ``$R2P_JOBS`` if set, else the CPU count (≥ 1)."""
    from r2p._jobs import cpu_count, jobs_from_env

    return jobs_from_env(cpu_count())


def _prebuild(cases: Sequence[OnsetCase], progress: Progress | None) -> None:
    """Build the missing cases' inputs and tables in parallel processes (fresh interpreters, so no
    DuckDB or OpenMP thread is forked). Results are the cached files ``_build_case`` writes, the same
    as a serial build: every case is computed from its own inputs and seed. Concurrent callers
    (pytest workers, a second CLI run) share the work through the cache's per-file locks."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from r2p._jobs import run_in_pool

    missing = {c.id: c for c in cases if not _is_built(c)}
    jobs = min(build_jobs(), len(missing))
    if jobs < 2:
        return
    say = progress or (lambda _: None)
    say(f"building {len(missing)} case(s) in {jobs} processes")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    _, broken = run_in_pool(pool, functools.partial(_build_case, missing), missing,
                            lambda case_id, took: say(f"{case_id} built in {took:.0f} s"))
    if broken:  # the cases not built yet are built serially by the caller
        say("parallel build unavailable (a worker process could not start); building serially")


def _build_library_calibration(progress: Progress | None) -> LibraryCalibration:
    from r2p.cases._library import library

    cases = [onset_only(c) for c in library()]
    _prebuild(cases, progress)
    inputs, tables, settings = {}, {}, {}
    for c in cases:
        started = time.perf_counter()
        settings[c.id] = case_setting(c.crime_types, c.perpetrator)
        inputs[c.id] = case_inputs(c)
        tables[c.id] = case_table(inputs[c.id], settings[c.id])
        took = time.perf_counter() - started
        if progress and took > 1.0:  # report only what was built, not cache reads
            progress(f"{c.id} built in {took:.0f} s")
    fps = footprints()
    rows = pd.DataFrame([{"id": c.id, "target_state": c.target_state, "onset_date": c.onset_date}
                         for c in cases])
    return LibraryCalibration(rows, inputs, settings, tables, fps, loglik_table(tables, fps))


# ----------------------------------------------------------------------------- predict

@dataclass(frozen=True)
class PredictFailure:
    """A case that could not be predicted: its file (or id) and why."""

    source: str
    error: str


@dataclass
class Predictions:
    """``table``: one row per predicted case (id, p_* columns, missing_inputs, sim_*, parameters);
    ``failures``: the cases that could not be predicted."""

    table: pd.DataFrame
    failures: list[PredictFailure] = field(default_factory=list)
    protocol: str = "loo"


def predict_cases(cases: Sequence[OnsetCase], *, protocol: str = "loo",
                  progress: Progress | None = None) -> Predictions:
    """Return calibrated as-of predictions for ``cases`` (only their onset fields are read).

    A case whose inputs cannot be built (unknown target, onset outside the data) becomes a
    ``PredictFailure`` naming it; the others still run.
    """
    cal = library_calibration(progress)
    items, flags, sources, failures = [], [], [], []
    inner: dict[tuple[str, tuple[str, ...]], dict[str, float]] = {}
    for case in cases:
        c = onset_only(case)
        try:
            inputs = cal.inputs.get(c.id) if _same_as_library(c, cal) else None
            inputs = inputs or case_inputs(c)
        except R2PInputError as exc:
            failures.append(PredictFailure(c.id, str(exc)))
            continue
        train = training_cases(c.id, c.onset_date, (c.target_state, c.onset_date), cal.rows, protocol)
        table = cal.tables.get(c.id) if _same_as_library(c, cal) else None
        mech_at: Callable[[SimParams], dict[str, float]] = (
            table.mech if table is not None else
            functools.partial(_mech_for, inputs, case_setting(c.crime_types, c.perpetrator)))
        item = calibrated_prediction(c.id, mech_at, train, cal.tables, cal.ll, cal.footprints)
        setting = case_setting(c.crime_types, c.perpetrator)
        items.append(outcome_layer(item, inputs, setting, onset_day(c), train, cal, inner))
        flags.append(";".join(inputs.flags))
        sources.append(inputs.council_source)
    frame = to_frame(items) if items else pd.DataFrame(columns=["id", *(f"p_{o}" for o in OUTCOMES)])
    if items:
        frame.insert(5, "missing_inputs", flags)
        frame["council_source"] = sources
    return Predictions(frame, failures, protocol)


def outcome_layer(item: Calibrated, inputs: CaseInputs, setting: CaseSetting, as_of: dt.date,
                  train: Sequence[str], cal: LibraryCalibration,
                  inner: dict[tuple[str, tuple[str, ...]], dict[str, float]] | None = None) -> Calibrated:
    """Apply the outcome layer (``_outcome``) to a calibrated simulator prediction: ``veto_24m``
    from the veto record before ``as_of``, the other outcomes blended with the statistical model
    by nested leave-one-out over ``train``. ``inner`` memoises the training cases' simulator
    predictions (keyed by case and its training set)."""
    memo = {} if inner is None else inner
    xs = {cid: stat_features(ci, cal.settings[cid].exposure) for cid, ci in cal.inputs.items()}

    def sim_without(j: str) -> dict[str, float]:
        rest = tuple(sorted(t for t in train if t != j))
        key = (j, rest)
        if key not in memo:
            memo[key] = calibrated_prediction(j, cal.tables[j].mech, rest, cal.tables, cal.ll,
                                              cal.footprints).p
        return memo[key]

    x = stat_features(inputs, setting.exposure)
    p, p_stat, w = dict(item.p), {}, {}
    for o in STAT_OUTCOMES:
        ys = {cid: fp.outcomes[o] for cid, fp in cal.footprints.items()}
        b = blended(x, item.p[o], train, xs, ys, lambda j, o=o: sim_without(j)[o])  # type: ignore[misc]
        p[o], p_stat[o], w[o] = b.p, b.p_stat, b.w
    p["veto_24m"] = p_stat["veto_24m"] = p_veto_record(inputs.target, as_of)
    w["veto_24m"] = 0.0
    return dataclasses.replace(item, p=p, p_simulator=dict(item.p), p_stat=p_stat, blend_w=w)


def _mech_for(inputs: CaseInputs, setting: CaseSetting, params: SimParams) -> dict[str, float]:
    return mechanistic(inputs, setting, params)


def _same_as_library(c: OnsetCase, cal: LibraryCalibration) -> bool:
    if c.id not in cal.inputs:
        return False
    ci, lib = cal.inputs[c.id], cal.settings[c.id]
    return (ci.target == c.target_state and ci.onset_date == c.onset_date
            and lib == case_setting(c.crime_types, c.perpetrator))


# ----------------------------------------------------------------------------- validate

def brier(p: Sequence[float], y: Sequence[int]) -> float:
    """Mean squared error of probabilities ``p`` against 0/1 outcomes ``y``."""
    pp, yy = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((pp - yy) ** 2))


@dataclass
class Validation:
    """The validation of as-of predictions on the library.

    ``scores``: one row per outcome — n, positives, Brier of r2p, of the leave-one-out base rate,
    of the era baseline, of the uncalibrated simulator (``brier_simulator_raw``), of the
    calibrated simulator alone (``brier_simulator_calibrated``: r2p before the outcome layer) and
    of the layer's statistical component (``brier_stat_component``; for ``veto_24m`` the veto
    record model), and r2p's improvement over the base rate (1 − r2p/base, share). ``cases``:
    per case, happened (y_*) vs predicted (p_*), the base-rate and baseline forecasts, the
    simulator's raw (sim_*) and calibrated (simcal_*) probability, the statistical component
    (stat_*), the simulator's blend weight (w_*) and flags.
    ``timing``: the calibration of the simulator's parameters (see ``timing_fit``).
    """

    protocol: str
    scores: pd.DataFrame
    cases: pd.DataFrame
    timing: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"protocol": self.protocol, "scores": self.scores.to_dict(orient="records"),
                "cases": self.cases.to_dict(orient="records"), "timing": self.timing}


def validate(*, protocol: str = "loo", progress: Progress | None = None, bootstrap: int = 500) -> Validation:
    """Predict every library case as of its onset (calibration excluding it) and score them."""
    from r2p.cases._library import library

    cal = library_calibration(progress)
    cases = [onset_only(c) for c in library()]
    preds = predict_cases(cases, protocol=protocol).table.set_index("id")
    fps = cal.footprints
    rows = []
    for c in cases:
        train = training_cases(c.id, c.onset_date, (c.target_state, c.onset_date), cal.rows, protocol)
        row: dict[str, Any] = {"id": c.id, "onset": c.onset_date, "target": c.target_state}
        era = int(c.onset_year >= ERA_SPLIT_YEAR)
        for o in OUTCOMES:
            ys = np.array([fps[t].outcomes[o] for t in train], dtype=float)
            row[f"y_{o}"] = fps[c.id].outcomes[o]
            row[f"p_{o}"] = float(preds.loc[c.id, f"p_{o}"])
            row[f"sim_{o}"] = float(preds.loc[c.id, f"sim_{o}"])
            row[f"simcal_{o}"] = float(preds.loc[c.id, f"simcal_{o}"])
            row[f"stat_{o}"] = float(preds.loc[c.id, f"stat_{o}"])
            row[f"w_{o}"] = float(preds.loc[c.id, f"w_{o}"])
            row[f"base_{o}"] = float(ys.mean()) if len(ys) else 0.5
            eras = [0.75 if cal.inputs[t].onset_year >= ERA_SPLIT_YEAR else 0.25 for t in train]
            row[f"era_{o}"] = float(fit_map(eras, ys.astype(int).tolist())(0.75 if era else 0.25))
        row["missing_inputs"] = preds.loc[c.id, "missing_inputs"]
        row["n_train"] = int(preds.loc[c.id, "n_train"])
        rows.append(row)
    table = pd.DataFrame(rows)
    scores = []
    for o in OUTCOMES:
        y = table[f"y_{o}"]
        s: dict[str, Any] = {"outcome": o, "n": len(y), "positives": int(y.sum()),
                             "brier_r2p": brier(table[f"p_{o}"], y),
                             "brier_base_rate": brier(table[f"base_{o}"], y),
                             "brier_era_baseline": brier(table[f"era_{o}"], y),
                             "brier_simulator_raw": brier(table[f"sim_{o}"], y),
                             "brier_simulator_calibrated": brier(table[f"simcal_{o}"], y),
                             "brier_stat_component": brier(table[f"stat_{o}"], y)}
        base = float(s["brier_base_rate"])
        s["improvement_vs_base"] = 1.0 - s["brier_r2p"] / base if base > 0 else np.nan
        s["goal_met"] = bool(s["improvement_vs_base"] >= 0.30)
        scores.append(s)
    timing = timing_fit(cal, protocol=protocol, bootstrap=bootstrap)
    return Validation(protocol, pd.DataFrame(scores), table, timing)


def timing_fit(cal: LibraryCalibration, *, protocol: str = "loo", bootstrap: int = 500) -> dict[str, Any]:
    """The timing calibration: parameters on all cases, bootstrap intervals, out-of-sample fit.

    ``out_of_sample``: per case, the footprint log-likelihood under parameters fitted without it
    vs under the shipped parameters (``r2p.law`` status_quo / break_the_law), summed; and the
    observed vs simulated median months to the first art. 41 measure and force authorisation.
    """
    ll = cal.ll
    ids = list(cal.rows["id"])
    pts = grid()
    full = best_params(ll, ids)
    boot = bootstrap_params(ll, n=bootstrap)
    intervals = {}
    for col in boot.columns:
        v = boot[col].to_numpy()
        intervals[col] = {"estimate": getattr(full, col), "p05": float(np.quantile(v, 0.05)),
                          "p50": float(np.quantile(v, 0.5)), "p95": float(np.quantile(v, 0.95)),
                          "share_at_estimate": float(np.mean(v == getattr(full, col)))}
    shipped_gi = _grid_index(SHIPPED, pts)
    per_case = []
    for cid in ids:
        ci = cal.inputs[cid]
        train = training_cases(cid, ci.onset_date, (ci.target, ci.onset_date), cal.rows, protocol)
        p = best_params(ll, train)
        gi = pts.index(p)
        sub = ll[ll["case"] == cid].set_index("grid")
        fp = cal.footprints[cid]
        coerc, force = cal.tables[cid].council[p.council_part()].months(p.engagement_power)
        per_case.append({
            "case": cid, "ll_fitted": float(sub.loc[gi, "ll"]),
            "ll_shipped": float(sub.loc[shipped_gi, "ll"]) if shipped_gi is not None else np.nan,
            "coercion_month": fp.coercion_month, "sim_coercion_median": _median_month(coerc),
            "force_auth_month": fp.force_auth_month, "sim_force_auth_median": _median_month(force),
            "deliberation_weeks": p.deliberation_weeks, "first_session_weeks": p.first_session_weeks,
            "coalition_will": p.coalition_will, "nonstate_relief": p.nonstate_relief,
            "engagement_power": p.engagement_power,
        })
    oos = pd.DataFrame(per_case)
    return {
        "grid": {"deliberation_weeks": sorted({p.deliberation_weeks for p in pts}),
                 "first_session_weeks": sorted({p.first_session_weeks for p in pts}),
                 "coalition_will": sorted({p.coalition_will for p in pts}),
                 "nonstate_relief": sorted({p.nonstate_relief for p in pts}),
                 "engagement_power": sorted({p.engagement_power for p in pts})},
        "fitted_on_all_cases": intervals,
        "bootstrap_resamples": int(len(boot)),
        "loglik_out_of_sample": float(oos["ll_fitted"].sum()),
        "loglik_shipped": float(oos["ll_shipped"].sum()),
        "per_case": oos.to_dict(orient="records"),
    }


def _grid_index(p: SimParams, pts: list[SimParams]) -> int | None:
    return pts.index(p) if p in pts else None


def _median_month(shares: np.ndarray) -> int | None:
    """Median month of a month histogram (None if more than half the draws are later/never)."""
    cum = np.cumsum(shares)
    k = int(np.searchsorted(cum, 0.5))
    return None if k >= len(shares) - 1 else k


def flag_legend() -> dict[str, str]:
    """What each missing-input flag means."""
    return dict(FLAG_TEXT)
