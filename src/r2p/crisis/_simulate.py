"""``simulate``: run a scenario under one or more regimes and return tidy DataFrames;
``simulate_rows``: many parameter rows (scenario × regime × seed) as one vectorised block."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from r2p.crisis._engine import OUTPUTS, run_block, run_rows
from r2p.crisis._response import Compiled, compile_regime, compile_rows
from r2p.crisis._scenario import Scenario, check_weeks
from r2p.errors import R2PInputError
from r2p.law import REGIME_NAMES, Regime, load_regime

BLOCK = 32768  # draws per vectorised block (results do not depend on it)
MEMORY_SHARE = 0.6  # refuse runs whose estimate exceeds this share of available memory
_BYTES_PER_DRAW_ROW = 8 * (len(OUTPUTS) + 4) * 3  # outputs + ids, DataFrame copies while assembling

SHARE_METRICS = ("force_used", "abuse", "force_withheld")
# Every other engine output but the highest rung/route (reported as names, not summarised).
NUMERIC_METRICS = tuple(o for o in OUTPUTS if o not in (*SHARE_METRICS, "highest_rung", "highest_route"))


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of ``simulate``.

    - ``draws``: one row per (regime, draw): every outcome (deaths_civilian in civilian deaths;
      weeks_to_* in weeks from onset, NaN if it never happened within the horizon;
      legitimacy_* and coordination_index in 0..1, NaN if nothing was done; troop_weeks in
      troop-weeks; council_erosion in 0..1; highest_instrument and authority_path as names).
    - ``summary``: tidy, one row per (regime, metric): mean, median, p05, p95 (90 % interval),
      se (Monte Carlo standard error of the mean), n_defined and share_defined (rows where the
      metric is not NaN). Boolean outcomes (force_used, abuse, force_withheld) appear as shares.
    - ``instruments``: share of draws per (regime, highest_instrument, authority_path).
    """

    draws: pd.DataFrame
    scenario: Scenario
    regimes: tuple[str, ...]
    seed: int
    weeks: int

    @functools.cached_property
    def summary(self) -> pd.DataFrame:
        """Tidy summary, one row per (regime, metric) (computed on first use)."""
        return summarise(self.draws)

    @functools.cached_property
    def instruments(self) -> pd.DataFrame:
        """Share of draws per (regime, highest_instrument, authority_path) (computed on first use)."""
        return _instrument_shares(self.draws)

    def table(self) -> pd.DataFrame:
        """A wide comparison table: one row per regime, the headline metrics' means (medians for
        weeks) and shares."""
        s = self.summary.set_index(["regime", "metric"])
        rows = []
        for regime in self.regimes:

            def get(metric: str, stat: str, regime: str = regime) -> float:
                return float(s.loc[(regime, metric), stat])

            top = self.instruments[self.instruments.regime == regime].sort_values("share", ascending=False)
            rows.append(
                {
                    "regime": regime,
                    "deaths_mean": get("deaths_civilian", "mean"),
                    "deaths_p05": get("deaths_civilian", "p05"),
                    "deaths_p95": get("deaths_civilian", "p95"),
                    "weeks_to_coercion_median": get("weeks_to_first_coercion", "median"),
                    "weeks_to_protection_median": get("weeks_to_protection", "median"),
                    "share_force": get("force_used", "mean"),
                    "share_abuse": get("abuse", "mean"),
                    "share_force_withheld": get("force_withheld", "mean"),
                    "legitimacy_western": get("legitimacy_western", "mean"),
                    "legitimacy_russia_china": get("legitimacy_russia_china", "mean"),
                    "legitimacy_nam_g77": get("legitimacy_nam_g77", "mean"),
                    "legitimacy_regional": get("legitimacy_regional", "mean"),
                    "coordination": get("coordination_index", "mean"),
                    "troop_weeks_mean": get("troop_weeks", "mean"),
                    "council_erosion_mean": get("council_erosion", "mean"),
                    "modal_highest": f"{top.iloc[0].highest_instrument} ({top.iloc[0].authority_path})"
                    if len(top)
                    else "",
                }
            )
        return pd.DataFrame(rows)


def available_memory_bytes() -> int:
    """Bytes of memory available now (MemAvailable on Linux; physical memory otherwise)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 1024**3


def estimate_bytes(draws: int, n_regimes: int, n_instruments: int = 14) -> int:
    """Estimated peak memory (bytes) of a run: the per-draw outputs of every regime plus one block."""
    block = min(draws, BLOCK) * n_instruments * 8 * 12
    return int(draws * n_regimes * _BYTES_PER_DRAW_ROW + block)


def check_draws(draws: int, n_regimes: int = 1) -> int:
    """Return ``draws`` if it is a positive integer whose run fits in memory; else ``R2PInputError``
    (naming the estimate and what is available)."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws <= 0:
        raise R2PInputError(f"draws: {draws!r} is not valid; expected a positive integer")
    need = estimate_bytes(int(draws), n_regimes)
    have = available_memory_bytes()
    if need > MEMORY_SHARE * have:
        raise R2PInputError(
            f"draws: {draws:,} draws × {n_regimes} regime(s) need about {need / 1e9:.2f} GB, more than "
            f"{MEMORY_SHARE:.0%} of the {have / 1e9:.2f} GB available; use at most "
            f"{int(MEMORY_SHARE * have / (n_regimes * _BYTES_PER_DRAW_ROW)):,} draws"
        )
    return int(draws)


def resolve_regimes(regimes: str | Regime | Sequence[str | Regime]) -> list[Regime]:
    """Turn ``"all"``, a name, a YAML path, a ``Regime`` or a list of them into regimes."""
    if isinstance(regimes, (str, Regime)):
        regimes = [regimes]
    out: list[Regime] = []
    for item in regimes:
        if isinstance(item, Regime):
            out.append(item)
        elif str(item) == "all":
            out.extend(load_regime(n) for n in REGIME_NAMES)
        else:
            out.append(load_regime(item))
    if not out:
        raise R2PInputError(f"regimes: none given; expected 'all' or names from {', '.join(REGIME_NAMES)}")
    names = [r.name for r in out]
    if len(set(names)) != len(names):
        raise R2PInputError(f"regimes: duplicate names {names}; each regime must have its own name")
    return out


def _authority_names(c: Compiled, rung: np.ndarray, route: np.ndarray) -> tuple[np.ndarray, list[str]]:
    lad = c.ladder
    cats = ["no_action", *c.council_authorities, *[p.authority for p in c.paths]]
    safe = np.clip(rung, 0, None).astype(int)
    council_code = np.where(lad.force[safe], 3, np.where(lad.coercive[safe], 2, 1))
    code = np.where(route < 0, 0, np.where(route == 0, council_code, 3 + route))
    return code.astype(np.int64), cats


def simulate(
    scenario: Scenario,
    regimes: str | Regime | Sequence[str | Regime] = "all",
    draws: int = 1000,
    weeks: int | None = None,
    *,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Simulate ``scenario`` under each regime for ``draws`` Monte Carlo draws.

    ``weeks`` defaults to ``scenario.horizon_weeks``; ``seed`` is required (same seed → bit-identical
    results; draw i is the same whatever ``draws``). ``progress`` is called with the number of
    crisis-weeks completed after each block. Returns a ``SimulationResult``.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise R2PInputError(f"seed: {seed!r} is not valid; expected a non-negative integer")
    if not isinstance(scenario, Scenario):
        raise R2PInputError(f"scenario: expected a Scenario, got {type(scenario).__name__}")
    weeks = check_weeks(scenario.horizon_weeks if weeks is None else weeks)
    chosen = resolve_regimes(regimes)
    draws = check_draws(draws, len(chosen))
    frames = []
    for regime in chosen:
        c = compile_regime(regime, scenario)
        parts: dict[str, list[np.ndarray]] = {k: [] for k in OUTPUTS}
        for start in range(0, draws, BLOCK):
            stop = min(start + BLOCK, draws)
            out = run_block(c, scenario, int(seed), start, stop, weeks)
            for k in OUTPUTS:
                parts[k].append(out[k])
            if progress is not None:
                progress((stop - start) * weeks)
        cols = {k: np.concatenate(v) for k, v in parts.items()}
        rung = cols.pop("highest_rung").astype(np.int64)
        route = cols.pop("highest_route").astype(np.int64)
        inst_codes = rung + 1
        inst_cats = ["none", *c.ladder.names]
        auth_codes, auth_cats = _authority_names(c, rung, route)
        frame = pd.DataFrame({"regime": regime.name, "draw": np.arange(draws, dtype=np.int64), **cols})
        frame["highest_instrument"] = pd.Categorical.from_codes(inst_codes, categories=inst_cats)
        unique = list(dict.fromkeys(auth_cats))
        remap = np.array([unique.index(a) for a in auth_cats], dtype=np.int64)
        frame["authority_path"] = pd.Categorical.from_codes(remap[auth_codes], categories=unique)
        for k in SHARE_METRICS:
            frame[k] = frame[k].astype(bool)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    for col in ("highest_instrument", "authority_path", "regime"):
        table[col] = table[col].astype(str).astype("category")
    return SimulationResult(
        draws=table,
        scenario=scenario,
        regimes=tuple(r.name for r in chosen),
        seed=int(seed),
        weeks=weeks,
    )


def _structure(c: Compiled, scenario: Scenario) -> tuple[object, ...]:
    """What rows of one block must share: everything the engine does not read per draw."""
    return (
        id(c.ladder),
        c.council_top,
        c.force_class,
        c.trigger_holds,
        scenario.perpetrator.deterrable,
        c.council_package.tobytes(),
        c.council_acceptance.tobytes(),
        c.council_authorities,
        c.ex_post_acceptance.tobytes(),
        c.ex_post_erosion,
        tuple((p.name, p.authority, p.package.tobytes(), p.acceptance.tobytes(), p.erosion) for p in c.paths),
    )


def simulate_rows(
    scenarios: Sequence[Scenario],
    regimes: Regime | Sequence[Regime],
    seeds: Sequence[int],
    draws: int,
    weeks: int | None = None,
    *,
    block: int = BLOCK,
) -> dict[str, NDArray[np.float64]]:
    """Simulate R parameter rows × ``draws`` Monte Carlo draws as vectorised blocks of draws.

    Row r is ``scenarios[r]`` under ``regimes[r]`` (or one regime for every row) with seed
    ``seeds[r]``. Rows that share their structure (ladder, Council packages, paths, trigger)
    run together in blocks of about ``block`` draws, each numeric value that differs between
    them becoming a per-draw array, so many small rows cost about as much as one big run.
    ``weeks`` defaults to the scenarios' common ``horizon_weeks``.

    Returns ``{output: array of shape (R, draws)}`` for every engine output (``OUTPUTS``): row
    r, draw i equals draw i of ``simulate(scenarios[r], regimes[r], draws, weeks,
    seed=seeds[r])`` (same units; ``force_used``, ``abuse`` and ``force_withheld`` as 0/1;
    ``highest_rung`` is the ladder index of the highest instrument decided, −1 for none;
    ``highest_route`` is 0 for the Council, 1 + i for the regime's path i, −1 for none).
    """
    scenarios = list(scenarios)
    n_rows = len(scenarios)
    if n_rows == 0:
        raise R2PInputError("scenarios: none given; expected one Scenario per parameter row")
    for i, s in enumerate(scenarios):
        if not isinstance(s, Scenario):
            raise R2PInputError(f"scenarios[{i}]: expected a Scenario, got {type(s).__name__}")
    chosen = [regimes] * n_rows if isinstance(regimes, Regime) else list(regimes)
    seeds = list(seeds)
    if len(chosen) != n_rows or len(seeds) != n_rows:
        raise R2PInputError(
            f"rows: {n_rows} scenarios, {len(chosen)} regimes and {len(seeds)} seeds; "
            "expected one of each per row"
        )
    for i, r in enumerate(chosen):
        if not isinstance(r, Regime):
            raise R2PInputError(f"regimes[{i}]: expected a Regime, got {type(r).__name__}")
    for i, seed in enumerate(seeds):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise R2PInputError(f"seeds[{i}]: {seed!r} is not valid; expected a non-negative integer")
    if weeks is None:
        horizons = {s.horizon_weeks for s in scenarios}
        if len(horizons) > 1:
            raise R2PInputError(f"weeks: the scenarios' horizons differ ({sorted(horizons)}); give weeks")
        weeks = scenarios[0].horizon_weeks
    weeks = check_weeks(weeks)
    draws = check_draws(draws, n_rows)
    if isinstance(block, bool) or not isinstance(block, int) or block < 1:
        raise R2PInputError(f"block: {block!r} is not valid; expected a positive integer")

    compiled = compile_rows(list(zip(chosen, scenarios, strict=True)))
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, (c, s) in enumerate(zip(compiled, scenarios, strict=True)):
        groups.setdefault(_structure(c, s), []).append(i)
    out = {k: np.empty((n_rows, draws)) for k in OUTPUTS}
    per_block = max(1, block // draws)
    span = min(draws, block)
    for members in groups.values():
        for b in range(0, len(members), per_block):
            part = members[b : b + per_block]
            rows = [(compiled[i], scenarios[i].perpetrator, int(seeds[i])) for i in part]
            for start in range(0, draws, span):
                stop = min(start + span, draws)
                res = run_rows(rows, start, stop, weeks)
                for k in OUTPUTS:
                    out[k][part, start:stop] = res[k].reshape(len(part), stop - start)
    return out


def summarise(draws: pd.DataFrame) -> pd.DataFrame:
    """Tidy summary of a ``draws`` table: one row per (regime, metric) with mean, median, p05, p95,
    se, n_defined and share_defined."""
    rows = []
    for regime, group in draws.groupby("regime", observed=True, sort=False):
        n = len(group)
        for metric in (*NUMERIC_METRICS, *SHARE_METRICS):
            v = group[metric].to_numpy(dtype=np.float64)
            ok = v[~np.isnan(v)]
            k = ok.size
            rows.append(
                {
                    "regime": regime,
                    "metric": metric,
                    "mean": float(ok.mean()) if k else np.nan,
                    "median": float(np.median(ok)) if k else np.nan,
                    "p05": float(np.quantile(ok, 0.05)) if k else np.nan,
                    "p95": float(np.quantile(ok, 0.95)) if k else np.nan,
                    "se": float(ok.std(ddof=1) / np.sqrt(k)) if k > 1 else np.nan,
                    "n_defined": int(k),
                    "share_defined": k / n if n else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _instrument_shares(draws: pd.DataFrame) -> pd.DataFrame:
    counts = (
        draws.groupby(["regime", "highest_instrument", "authority_path"], observed=True, sort=False)
        .size()
        .rename("n")
        .reset_index()
    )
    totals = draws.groupby("regime", observed=True, sort=False).size()
    counts["share"] = counts["n"] / counts["regime"].map(totals).astype(float)
    return counts.sort_values(["regime", "share"], ascending=[True, False]).reset_index(drop=True)
