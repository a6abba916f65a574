"""EWP's fully-out-of-sample (FOOS) protocol: rolling refits, the scored table, live forecasts.

For each last training year L = 1991…2021 a model is fitted on complete rows with year ≤ L
(outcome ``mk_onset_1or2``: onset in year+1 or year+2) and scores every country from its year L+2
predictors. The risk from year y−1 data is the forecast for onset year y (``risk_prev``); the risk
from y−2 data covers y too (``risk_two_years_prior``). The protocol's score for (country, y) is
``maxrisk2`` = max of the two and ``minrank2`` = min of the two ranks, judged against ``mk_onset``
in year y, for y = 1994…2024.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from r2p.data import cached_pickle, home_dir, save_pickle
from r2p.data._warehouse import fingerprint
from r2p.errors import R2PInputError, suggest
from r2p.risk._features import (
    FEATURE_SETS,
    LABELS,
    TARGET,
    TARGET_1Y,
    load_panel,
    scoring_mask,
    training_mask,
)
from r2p.risk._glmnet import cross_products
from r2p.risk._registry import DEFAULT_MODEL, MODELS

#: Bump when a change to features, models or protocol changes results (invalidates caches).
CODE_VERSION = "4"
FIRST_TRAIN_YEAR, LAST_TRAIN_YEAR = 1991, 2021
FIRST_SCORED_YEAR, LAST_SCORED_YEAR = 1994, 2024
FIRST_BASE_YEAR, LAST_BASE_YEAR = 1991, 2024

Progress = Callable[[int, int], None]


@dataclass
class BacktestResult:
    """A finished backtest.

    ``table``: one row per scored country-year (columns year, country, ccode, iso3, risk_prev,
    rank_prev, risk_two_years_prior, rank_two_years_prior, maxrisk2, minrank2, risk_prev_1y, mk_onset;
    risks are probabilities 0–1 of an onset in the next two years, ``risk_prev_1y`` the annualised
    risk_prev (probability of an onset in ``year``); ranks 1 = highest risk).
    ``metrics``: ``score_table`` of risk_prev/rank_prev against mk_onset (the scoring that reproduces
    EWP's published figures, see docs/risk.md) plus ``model``, ``seconds`` (fit time, s; 0 when
    cached) and ``maxrisk2`` (the same metrics on maxrisk2/minrank2, PROTOCOL.md step 2).
    ``risks``: every window's raw forecasts (feature_year, ccode, risk, rank, last_train_year).
    """

    model: str
    table: pd.DataFrame
    metrics: dict[str, Any]
    risks: pd.DataFrame = field(repr=False)


def resolve_model(model: str | None) -> str:
    """Return the registry name for ``model`` (None → ``DEFAULT_MODEL``); ``R2PInputError`` if unknown."""
    name = DEFAULT_MODEL if model is None else str(model)
    if name not in MODELS:
        raise R2PInputError(f"unknown model {name!r}; expected one of {', '.join(MODELS)}."
                            + suggest(name, MODELS))
    return name


def _cache_dir() -> Path:
    path = home_dir() / "cache" / "risk"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cache_key(name: str, *parts: object) -> str:
    est = MODELS[name]()
    raw = "|".join([fingerprint(), name, CODE_VERSION, repr(sorted(est.get_params().items())),
                    *map(str, parts)])
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


class Design:
    """The panel as matrices for one feature set, with the training rows ordered by year so that
    every training window is a prefix (which lets the elastic net share one cross-product table)."""

    def __init__(self, features: tuple[str, ...]) -> None:
        self.panel = load_panel()
        self.features = features
        self.train_ok = training_mask(self.panel, features)
        self.score_ok = scoring_mask(self.panel, features)
        self.x = (self.panel[list(features)].to_numpy(dtype=np.float64) if features
                  else np.zeros((len(self.panel), 1)))
        self.year = self.panel["year"].to_numpy()
        train_idx = np.flatnonzero(self.train_ok)
        self.train_idx = train_idx[np.argsort(self.year[train_idx], kind="stable")]
        self._cross: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def train_rows(self, last_year: int) -> np.ndarray:
        """Return panel row indices of training rows with year ≤ ``last_year`` (in year order)."""
        n = int(np.searchsorted(self.year[self.train_idx], last_year, side="right"))
        return self.train_idx[:n]

    def score_rows(self, year: int) -> np.ndarray:
        """Return panel row indices of rows of ``year`` with complete predictors."""
        return np.flatnonzero((self.year == year) & self.score_ok)

    def cross(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (means, sds, cross products) of all training rows, scaled by the means/sds of the
        rows up to the first training year (known to every window, so no window's numbers depend on
        later rows; the elastic net's result does not depend on the scaling)."""
        if self._cross is None:
            first = self.train_rows(FIRST_TRAIN_YEAR)
            mean, sd = self.x[first].mean(axis=0), self.x[first].std(axis=0)
            sd = np.where(sd > 0, sd, 1.0)
            self._cross = (mean, sd, cross_products((self.x[self.train_idx] - mean) / sd))
        return self._cross


def _fit(name: str, design: Design, rows: np.ndarray, target: str, *, prefix: bool = False) -> Any:
    est = MODELS[name]()
    x = design.x[rows]
    y = design.panel[target].to_numpy(dtype=float)[rows]
    import inspect

    accepts = inspect.signature(est.fit).parameters
    kwargs: dict[str, Any] = {}
    if "years" in accepts:
        kwargs["years"] = design.year[rows]
    if "cross" in accepts and prefix:
        mean, sd, cross = design.cross()
        kwargs.update(scale=(mean, sd), cross=cross[: len(rows)])
    est.fit(x, y, **kwargs)
    return est


def _rank(risk: np.ndarray) -> np.ndarray:
    """Return ranks, 1 = highest risk. Distinct values get EWP's ranks; tied values share the floor of
    their average rank (not EWP's minimum), so a constant forecast cannot "catch" every onset."""
    return np.floor(rankdata(-risk, method="average")).astype(int)


def window_risks(name: str, design: Design, last_year: int) -> pd.DataFrame:
    """Return the forecasts of one refit: train on rows ≤ ``last_year``, score year ``last_year`` + 2."""
    rows = design.train_rows(last_year)
    est = _fit(name, design, rows, TARGET, prefix=True)
    test = design.score_rows(last_year + 2)
    risk = est.predict_proba(design.x[test])[:, -1]
    return pd.DataFrame({
        "feature_year": last_year + 2, "ccode": design.panel["ccode"].to_numpy()[test],
        "risk": risk, "rank": _rank(risk), "last_train_year": last_year,
    })


def _assemble(risks: pd.DataFrame) -> pd.DataFrame:
    panel = load_panel()
    base = panel.loc[(panel["year"] >= FIRST_SCORED_YEAR) & (panel["year"] <= LAST_SCORED_YEAR),
                     ["year", "country", "ccode", "iso3", "ewp_name", "mk_onset"]]
    prev = risks.assign(year=risks["feature_year"] + 1)[["year", "ccode", "risk", "rank"]].rename(
        columns={"risk": "risk_prev", "rank": "rank_prev"})
    prior = risks.assign(year=risks["feature_year"] + 2)[["year", "ccode", "risk", "rank"]].rename(
        columns={"risk": "risk_two_years_prior", "rank": "rank_two_years_prior"})
    table = base.merge(prev, on=["year", "ccode"], how="left").merge(prior, on=["year", "ccode"], how="left")
    table["maxrisk2"] = np.fmax(table["risk_prev"], table["risk_two_years_prior"])
    table["minrank2"] = np.fmin(table["rank_prev"], table["rank_two_years_prior"])
    table = table.dropna(subset=["maxrisk2"]).sort_values(["year", "minrank2", "ccode"])
    for col in ("rank_prev", "rank_two_years_prior", "minrank2"):
        table[col] = table[col].astype("Int64")
    from r2p.risk._metrics import annualise

    table["risk_prev_1y"] = annualise(table["risk_prev"].to_numpy(dtype=float))
    cols = ["year", "country", "ccode", "iso3", "ewp_name", "risk_prev", "rank_prev", "risk_two_years_prior",
            "rank_two_years_prior", "maxrisk2", "minrank2", "risk_prev_1y", "mk_onset"]
    return table[cols].reset_index(drop=True)


_WORKER: dict[str, Any] = {}


def _worker_window(name: str, last_year: int) -> pd.DataFrame:
    return window_risks(name, _WORKER["design"], last_year)


def _init_worker(design: Design) -> None:
    _WORKER["design"] = design


def _jobs(n_jobs: int | None, fork_safe: bool) -> int:
    """Processes for the refits: ``n_jobs``, else ``$R2P_JOBS``, else 1 for fork-safe models (their
    refits would fork) and the CPU count for the others (their refits run in spawned processes)."""
    from r2p._jobs import cpu_count, jobs_from_env

    if n_jobs is not None:
        return int(n_jobs)
    return jobs_from_env(1 if fork_safe else cpu_count())


def _run_windows(name: str, years: list[int], progress: Progress | None, n_jobs: int | None) -> pd.DataFrame:
    """Fit every window and return their risks; results do not depend on how they are run.

    Fork-safe models (NumPy/Numba only) fit in ``n_jobs`` forked processes when asked (default:
    serially: forking a process that holds DuckDB's or BLAS's threads can deadlock, as seen in pytest
    and in long-lived servers). The others (LightGBM's OpenMP is not fork-safe) fit in spawned
    processes, fresh interpreters that receive the design (default: one per CPU); if those cannot
    start (a script without ``if __name__ == "__main__":``), serially.
    """
    import functools
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from r2p._jobs import run_in_pool

    design = Design(FEATURE_SETS[MODELS[name]().feature_set])
    design.cross()
    fork_safe = bool(getattr(MODELS[name](), "fork_safe", False))
    jobs = min(_jobs(n_jobs, fork_safe), len(years))
    parts: dict[int, pd.DataFrame] = {}
    pool: ProcessPoolExecutor | None = None
    if jobs > 1 and fork_safe:
        # Forked workers only from a single-threaded process, where the platform has fork.
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
            _WORKER["design"] = design
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
    elif jobs > 1:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker, initargs=(design,))
    if pool is not None:
        finished = 0

        def done(_year: int, _risks: pd.DataFrame) -> None:
            nonlocal finished
            finished += 1
            if progress:
                progress(finished, len(years))

        try:  # if the pool broke, the windows not done yet are fitted below
            parts, _ = run_in_pool(pool, functools.partial(_worker_window, name), sorted(years, reverse=True),
                                   done)
        finally:
            _WORKER.clear()
    for last_year in years:
        if last_year not in parts:
            parts[last_year] = window_risks(name, design, last_year)
            if progress:
                progress(len(parts), len(years))
    return pd.concat([parts[y] for y in years], ignore_index=True)


def backtest(model: str | None = None, *, progress: Progress | None = None,
             use_cache: bool = True, n_jobs: int | None = None) -> BacktestResult:
    """Run (or load from cache) the 31-refit FOOS backtest of ``model``; return a ``BacktestResult``.

    ``progress(done, total)`` is called after each refit; ``n_jobs`` processes fit windows in parallel
    (default ``$R2P_JOBS``, else serial for fork-safe models and one spawned process per CPU for the
    others; see ``_run_windows``); results do not depend on it. Cached under ``<home>/cache/risk`` by
    warehouse fingerprint, model, parameters and code version.
    """
    from r2p.risk._metrics import score_table

    name = resolve_model(model)
    path = _cache_dir() / f"backtest-{name}-{_cache_key(name)}.pkl"
    seconds = 0.0
    years = list(range(FIRST_TRAIN_YEAR, LAST_TRAIN_YEAR + 1))

    def run() -> pd.DataFrame:
        nonlocal seconds
        started = time.perf_counter()
        out = _run_windows(name, years, progress, n_jobs)
        seconds = time.perf_counter() - started
        return out

    if use_cache:
        risks = cached_pickle(path, run)
    else:
        risks = run()
        save_pickle(path, risks)
    if seconds == 0.0 and progress:
        progress(len(years), len(years))
    table = _assemble(risks)
    metrics: dict[str, Any] = {"model": name, "scoring": "risk_prev",
                               **score_table(table, score="risk_prev", rank="rank_prev"), "seconds": seconds}
    both = score_table(table, score="maxrisk2", rank="minrank2")
    metrics["maxrisk2"] = {k: v for k, v in both.items() if k != "by_year"}
    return BacktestResult(model=name, table=table, metrics=metrics, risks=risks)


# ---------------------------------------------------------------------------------------------
# Live forecasts "as of" a base year


def _check_base_year(base_year: Any) -> int:
    try:
        year = int(base_year)
    except (TypeError, ValueError):
        raise R2PInputError(f"base_year must be a year, got {base_year!r}.") from None
    if year != base_year and not isinstance(base_year, str):
        raise R2PInputError(f"base_year must be a whole year, got {base_year!r}.")
    if not FIRST_BASE_YEAR <= year <= LAST_BASE_YEAR:
        raise R2PInputError(f"base_year {year} is outside the data: expected "
                            f"{FIRST_BASE_YEAR}–{LAST_BASE_YEAR} "
                            f"(the panel ends in {LAST_BASE_YEAR}).")
    return year


def _driver_frame(est: Any, x: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """Return per-feature log-odds contributions relative to the cross-country mean (n × p)."""
    if not features or not hasattr(est, "contributions"):
        return np.zeros((len(x), len(features)))
    contrib = np.asarray(est.contributions(x), dtype=float)
    return contrib - contrib.mean(axis=0, keepdims=True)


def _one_forecast(name: str, base_year: int, design: Design | None = None) -> pd.DataFrame:
    features = FEATURE_SETS[MODELS[name]().feature_set]
    design = design or Design(features)
    rows2 = design.train_rows(base_year - 2)
    est2 = _fit(name, design, rows2, TARGET)
    test = design.score_rows(base_year)
    x = design.x[test]
    risk_2y = est2.predict_proba(x)[:, -1]
    # One-year model: outcome mk_onset_1 (onset in year+1), rows ≤ base_year − 1 whose label is known.
    panel = design.panel
    ok1 = (design.year <= base_year - 1) & design.score_ok & panel[TARGET_1Y].notna().to_numpy()
    if features:
        ok1 &= panel[list(features)].notna().all(axis=1).to_numpy()
    est1 = _fit(name, design, np.flatnonzero(ok1), TARGET_1Y)
    risk_1y = est1.predict_proba(x)[:, -1]
    contrib = _driver_frame(est2, x, features)
    sub = panel.iloc[test]
    frame = pd.DataFrame({
        "iso3": sub["iso3"].to_numpy(), "ccode": sub["ccode"].to_numpy(),
        "country": sub["country"].to_numpy(),
        "base_year": base_year, "risk_1y": risk_1y, "risk_2y": risk_2y,
    })
    frame["rank"] = _rank(risk_2y)
    drivers = []
    for i in range(len(frame)):
        order: list[int] = list(np.argsort(-np.abs(contrib[i]))[:5]) if len(features) else []
        drivers.append([(features[j], LABELS.get(features[j], features[j]), float(x[i, j]),
                         float(contrib[i, j])) for j in order if contrib[i, j] != 0])
    frame["drivers_detail"] = drivers
    return frame


def _forecast_cached(name: str, base_year: int) -> pd.DataFrame:
    path = _cache_dir() / f"forecast-{name}-{base_year}-{_cache_key(name, base_year)}.pkl"
    return cached_pickle(path, lambda: _one_forecast(name, base_year))


def _prev_risk_2y(name: str, year: int) -> pd.DataFrame:
    """Return (ccode, prev_risk_2y): the two-year forecast made from ``year`` data (one fit on rows
    ≤ year − 2, the same rows as ``forecast(year)``'s own two-year model; cached)."""
    cache = _cache_dir() / f"risk2y-{name}-{year}-{_cache_key(name, year)}.pkl"

    def build() -> pd.DataFrame:
        design = Design(FEATURE_SETS[MODELS[name]().feature_set])
        est = _fit(name, design, design.train_rows(year - 2), TARGET)
        test = design.score_rows(year)
        return pd.DataFrame({"ccode": design.panel["ccode"].to_numpy()[test],
                             "prev_risk_2y": est.predict_proba(design.x[test])[:, -1]})

    return cached_pickle(cache, build)


def _value_text(value: float) -> str:
    if value in (0.0, 1.0):
        return "yes" if value else "no"
    return f"{value:.3g}"


def _driver_text(detail: list[tuple[str, str, float, float]], k: int = 3) -> str:
    up = [d for d in detail if d[3] > 0][:k]
    return "; ".join(f"{label}: {_value_text(value)} ({contrib:+.2f})" for _, label, value, contrib in up)


def forecast(base_year: int, model: str | None = None) -> pd.DataFrame:
    """Return every country's forecast made from ``base_year`` data, sorted by rank.

    Columns: iso3, ccode, country, base_year, risk_1y (probability 0–1 of an onset in base_year+1),
    risk_2y (probability of an onset in base_year+1 or +2), rank (1 = highest risk_2y),
    prev_risk_2y (the same forecast made from base_year−1 data, NaN if the country was not scored),
    change (risk_2y − prev_risk_2y), drivers (text: up to three features raising risk most, with their
    log-odds contribution relative to the cross-country mean) and drivers_detail (list of
    (feature, label, value, contribution) for the five largest absolute contributions).
    Uses only rows with year ≤ base_year; two-year labels ≤ base_year−2, one-year labels ≤ base_year−1.
    """
    year = _check_base_year(base_year)
    name = resolve_model(model)
    frame = _forecast_cached(name, year).copy()
    frame = frame.merge(_prev_risk_2y(name, year - 1), on="ccode", how="left")
    frame["change"] = frame["risk_2y"] - frame["prev_risk_2y"]
    frame["drivers"] = [_driver_text(d) for d in frame["drivers_detail"]]
    cols = ["iso3", "ccode", "country", "base_year", "risk_1y", "risk_2y", "rank", "prev_risk_2y", "change",
            "drivers", "drivers_detail"]
    return frame[cols].sort_values(["rank", "iso3"]).reset_index(drop=True)


@dataclass(frozen=True)
class Driver:
    """One feature's pull on a country's risk: ``contribution`` in log-odds relative to the
    cross-country mean in the base year (> 0 raises risk); ``value`` in the feature's own units."""

    feature: str
    label: str
    value: float
    contribution: float


@dataclass(frozen=True)
class CountryRisk:
    """A country's forecast from ``base_year`` data: risk_1y / risk_2y (probabilities 0–1), rank among
    ``n_countries`` (1 = highest risk_2y), drivers, and ``history`` = (base_year, risk_2y) for earlier
    base years (from the backtest, each made only with data up to that year)."""

    iso3: str
    country: str
    base_year: int
    risk_1y: float
    risk_2y: float
    rank: int
    n_countries: int
    drivers: list[Driver]
    history: list[tuple[int, float]]


def country_risk(iso3: str, base_year: int, model: str | None = None) -> CountryRisk:
    """Return the ``CountryRisk`` of one country (ISO3, COW code or name) for ``base_year``."""
    from r2p.data import resolve_country

    country = resolve_country(iso3)
    frame = forecast(base_year, model)
    hit = frame[frame["iso3"] == country.iso3]
    if hit.empty:
        raise R2PInputError(f"country {iso3!r} ({country.name}) has no complete EWP data for base year "
                            f"{base_year}; it cannot be scored.")
    row = hit.iloc[0]
    result = backtest(model)
    risks = result.risks.merge(load_panel()[["ccode"]].drop_duplicates(), on="ccode")
    hist = risks[(risks["ccode"] == row["ccode"]) & (risks["feature_year"] < int(base_year))]
    history = [(int(y), float(r)) for y, r in zip(hist["feature_year"], hist["risk"], strict=True)]
    drivers = [Driver(f, label, v, c) for f, label, v, c in row["drivers_detail"]]
    return CountryRisk(iso3=country.iso3, country=str(row["country"]), base_year=int(base_year),
                       risk_1y=float(row["risk_1y"]), risk_2y=float(row["risk_2y"]), rank=int(row["rank"]),
                       n_countries=len(frame), drivers=drivers, history=history)
