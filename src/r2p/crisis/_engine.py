"""The vectorised engine: one block of Monte Carlo draws × weeks as NumPy arrays.

The hot path loops over *weeks* only; every statement inside acts on all draws at once
(Council sessions and path decisions act on the subset of draws where they are due).
Randomness is draw-indexed (``_rng``): draw ``i`` is the same whatever the block size or
number of draws, and the same across regimes (common random numbers).

A block may hold several *rows* (``run_rows``): a row is one compiled regime × scenario ×
perpetrator × seed, and the block holds ``draws`` Monte Carlo draws of each. Rows of one block
share the structure (ladder, Council packages, paths); every numeric value that differs
between rows becomes a per-draw array (shape ``(n,)``, or ``(k, n)`` for per-class tables),
values equal across rows stay scalars, and each row keeps its own random streams (its seed's
keys, draw ids from ``start``), so a row's draws equal those of running it alone.

Week t, for every draw:
1. detection — the crime is manifest once t >= detection lag L (pretext: "alleged").
2. Council — if a session is due, ``council_session`` climbs / waters down / deadlocks;
   an adopted class puts its package in force after each instrument's deployment lag.
3. alternative paths — a path opens (manifest, >= n deadlocks, last-resort weeks, no Council
   force yet, actor willing) and acts ``decision_weeks`` after opening.
4. deterrence — perceived threat θ = θ_Council(state) + Σ_paths θ_p; D = θ^β/(θ^β+ρ^β).
5. effect — E = 1 − Π_k (1 − cap·c_k·r_k) over instruments in force.
6. killing — a = a*(1 − D)(1 − E), capped by the people left; accounting.
7. escalation — a* grows toward capacity at g(1 − D)(1 + φ(1 − D)).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from r2p.crisis import _rng
from r2p.crisis._council import council_session
from r2p.crisis._perpetrator import escalate, realised_intensity, undeterred_share
from r2p.crisis._response import (
    DEADLOCK_EROSION_PER_WEEK,
    DELIBERATION_CV,
    DETECTION_CV,
    LAG_CV,
    Compiled,
    Route,
)
from r2p.crisis._scenario import Perpetrator, Scenario

# Random streams (one key each). Never renumber: it would change every seeded result.
S_A0, S_GROWTH, S_CAPACITY, S_RESOLVE, S_DETECTION, S_DELIB, S_FIRST = 1, 2, 3, 4, 5, 6, 7
S_ROBUST, S_LAG, S_VOTE, S_WILL, S_PRETEXT, S_VALIDATE = 8, 9, 10, 11, 12, 13
STREAMS: tuple[int, ...] = (S_A0, S_GROWTH, S_CAPACITY, S_RESOLVE, S_DETECTION, S_DELIB, S_FIRST)
STREAMS += (S_ROBUST, S_LAG, S_VOTE, S_WILL, S_PRETEXT, S_VALIDATE)

OUTPUTS = (
    "deaths_civilian",
    "weeks_to_first_coercion",
    "weeks_to_protection",
    "weeks_to_council_force",
    "highest_rung",
    "highest_route",
    "force_used",
    "abuse",
    "force_withheld",
    "legitimacy_western",
    "legitimacy_russia_china",
    "legitimacy_nam_g77",
    "legitimacy_regional",
    "coordination_index",
    "troop_weeks",
    "council_erosion",
    "deadlocks",
    "detection_week",
    "peak_intensity",
)

# A number of a block: a scalar when every row of the block has the same value, else one
# value per draw (each row's value repeated for its draws).
Num: TypeAlias = Any  # float | NDArray[np.float64]
Key: TypeAlias = Any  # np.uint64 | NDArray[np.uint64]
Row = tuple[Compiled, Perpetrator, int]  # compiled regime × scenario, perpetrator, seed


@dataclass(frozen=True)
class PathValues:
    """One alternative path's numbers in a block (``route``: the first row's, for its structure)."""

    route: Route
    applicable: Any  # bool | NDArray[np.bool_]
    capacity: Num
    coordination: Num
    political_will: Num
    signal: Num
    min_deadlocks: Any  # int | NDArray[np.int64]
    min_weeks_manifest: Num
    decision_weeks: Num
    pretext_p: Num
    ex_post_validation: Num
    perceived_cut: Num
    mean_lag: Num


_PATH_NUMBERS = tuple(
    f for f in PathValues.__dataclass_fields__ if f not in ("route", "applicable", "min_deadlocks")
)
_COMPILED_NUMBERS = (
    "deliberation_weeks",
    "first_session_weeks",
    "detection_mean",
    "deployment_factor",
    "council_coordination",
    "necessity_deaths",
)
_PERPETRATOR_NUMBERS = (
    "initial_intensity",
    "growth",
    "capacity",
    "resolve",
    "uncertainty",
    "steepness",
    "discount",
    "gaming",
    "target_population",
)


@dataclass(frozen=True)
class BlockValues:
    """Everything numeric the engine reads for one block of draws (see ``block_values``).

    ``c`` is the first row's compiled regime: its structure (ladder, packages, paths, Council
    top, trigger) holds for every row. ``numbers`` maps each numeric field of ``Compiled`` and
    ``Perpetrator`` the engine reads to a scalar or a per-draw array; ``p_pass`` is
    ``(classes,)`` or ``(classes, n)``, ``theta_council`` ``(states,)`` or ``(states, n)``.
    """

    c: Compiled
    ids: NDArray[np.uint64]
    keys: dict[int, Key]
    numbers: dict[str, Num]
    p_pass: NDArray[np.float64]
    theta_council: NDArray[np.float64]
    jump_first: Any  # int | NDArray[np.int64]
    jump_next: Any
    paths: tuple[PathValues, ...]
    deterrable: bool


def _stack(values: Sequence[Any], reps: int, dtype: Any = np.float64) -> Any:
    """The common value if every row has the same one, else each row's value repeated ``reps`` times."""
    first = values[0]
    if all(v == first for v in values[1:]):
        return first
    return np.repeat(np.asarray(values, dtype=dtype), reps)


def _stack_table(values: Sequence[NDArray[np.float64]], reps: int) -> NDArray[np.float64]:
    """A per-row table ``(k,)``: shared if equal in every row, else ``(k, n)`` with one column per draw."""
    first = values[0]
    if all(np.array_equal(v, first) for v in values[1:]):
        return first
    return np.repeat(np.stack(values, axis=1), reps, axis=1)


def block_values(rows: Sequence[Row], start: int, stop: int) -> BlockValues:
    """Stack ``rows`` (same structure) into one block of draws ``start..stop-1`` of each row.

    Draw order is row-major: row r's draw ``start + i`` is block draw ``r·(stop−start) + i``.
    Each row keeps its own random stream keys (from its seed) and draw ids, so its draws are
    those of the row run alone.
    """
    m = stop - start
    compiled = [r[0] for r in rows]
    perps = [r[1] for r in rows]
    seeds = [int(r[2]) for r in rows]
    c = compiled[0]
    base = np.arange(start, stop, dtype=np.uint64)
    ids = base if len(rows) == 1 else np.tile(base, len(rows))
    keys = {s: _stack([_rng.stream_key(seed, s) for seed in seeds], m, np.uint64) for s in STREAMS}
    numbers = {f: _stack([getattr(x, f) for x in compiled], m) for f in _COMPILED_NUMBERS}
    numbers.update({f: _stack([getattr(p, f) for p in perps], m) for f in _PERPETRATOR_NUMBERS})
    paths = []
    for i, route in enumerate(c.paths):
        routes = [x.paths[i] for x in compiled]
        path_numbers = {f: _stack([getattr(r, f) for r in routes], m) for f in _PATH_NUMBERS}
        path_numbers["min_deadlocks"] = _stack([r.min_deadlocks for r in routes], m, np.int64)
        applicable = _stack([r.applicable for r in routes], m, bool)
        paths.append(PathValues(route=route, applicable=applicable, **path_numbers))
    return BlockValues(
        c=c,
        ids=ids,
        keys=keys,
        numbers=numbers,
        p_pass=_stack_table([x.p_pass for x in compiled], m),
        theta_council=_stack_table([x.theta_council for x in compiled], m),
        jump_first=_stack([x.jump_first for x in compiled], m, np.int64),
        jump_next=_stack([x.jump_next for x in compiled], m, np.int64),
        paths=tuple(paths),
        deterrable=perps[0].deterrable,
    )


def _at(value: Any, idx: NDArray[np.int64]) -> Any:
    """``value`` for the draws ``idx``: itself if shared by the block, else its entries."""
    return value if np.ndim(value) == 0 else value.take(idx)


def _column(key: Key) -> Key:
    """A stream key broadcast against ``(draws, counter)`` arrays."""
    return key if np.ndim(key) == 0 else key[:, None]


def sample_draws(v: BlockValues) -> dict[str, NDArray[np.float64]]:
    """Per-draw uncertain parameters (perpetrator, detection, Council pace, robustness, lags).

    Regime-independent base values: regimes scale them (detection, deliberation, lag factors).
    """
    num, key, draw_ids = v.numbers, v.keys, v.ids
    lad = v.c.ladder
    cv = num["uncertainty"]
    k = np.arange(len(lad.names), dtype=np.uint64)[:, None]  # instrument-major: (instruments, draws)
    ids = draw_ids[None, :]
    out = {
        "a0": _rng.lognormal(key[S_A0], draw_ids, num["initial_intensity"], cv),
        "growth": _rng.lognormal(key[S_GROWTH], draw_ids, num["growth"], cv),
        "capacity": _rng.lognormal(key[S_CAPACITY], draw_ids, num["capacity"], cv),
        "resolve": _rng.lognormal(key[S_RESOLVE], draw_ids, num["resolve"], cv),
        "detection_unit": _rng.lognormal(key[S_DETECTION], draw_ids, 1.0, DETECTION_CV),
        "delib_unit": _rng.lognormal(key[S_DELIB], draw_ids, 1.0, DELIBERATION_CV),
        "first_unit": _rng.lognormal(key[S_FIRST], draw_ids, 1.0, DETECTION_CV),
        "robustness": 1.0
        / (
            1.0
            + np.exp(-(lad.logit_mu[:, None] + lad.logit_sd[:, None] * _rng.normal(key[S_ROBUST], ids, k)))
        ),
        "lag_unit": _rng.lognormal(key[S_LAG], ids, 1.0, LAG_CV, k) * lad.lag[:, None],
    }
    j = np.arange(max(len(v.paths), 1), dtype=np.uint64)[None, :]
    rows = draw_ids[:, None]
    out["will_u"] = _rng.uniform(_column(key[S_WILL]), rows, j)
    out["pretext_u"] = _rng.uniform(_column(key[S_PRETEXT]), rows, j)
    out["validate_u"] = _rng.uniform(_column(key[S_VALIDATE]), rows, j)
    return out


def _deadlock_discount(
    min_deadlocks: Any, delta: Num, deliberation: Num, n: int
) -> Callable[[NDArray[np.int64], NDArray[np.int64]], NDArray[np.float64]] | None:
    """δ^(deliberation · remaining deadlocks) of a path as ``f(deadlocks[idx], idx)`` for draws
    ``idx`` (None when the path needs no deadlock: the factor is always 1)."""
    if np.ndim(min_deadlocks) == 0 and not min_deadlocks:
        return None
    if np.ndim(min_deadlocks) == 0 and np.ndim(delta) == 0 and np.ndim(deliberation) == 0:
        remaining = np.maximum(min_deadlocks - np.arange(min_deadlocks + 1), 0)
        table = delta ** (remaining * deliberation)
        return lambda deadlocks, idx: table[np.minimum(deadlocks, min_deadlocks)]
    # Some rows differ: a (deadlocks, draws) table, read at each draw's own column.
    top = int(np.max(min_deadlocks))
    md = np.asarray(min_deadlocks)
    remaining = np.maximum(md - np.arange(top + 1)[:, None], 0)
    flat = np.broadcast_to(delta ** (remaining * deliberation), (top + 1, n)).ravel()
    return lambda deadlocks, idx: flat.take(np.minimum(deadlocks, _at(md, idx)) * n + idx)


def run_block(
    c: Compiled, scenario: Scenario, seed: int, start: int, stop: int, weeks: int
) -> dict[str, NDArray[np.float64]]:
    """Simulate draws ``start..stop-1`` for ``weeks`` weeks; return one array per ``OUTPUTS`` name."""
    return run_rows([(c, scenario.perpetrator, seed)], start, stop, weeks)


def run_rows(rows: Sequence[Row], start: int, stop: int, weeks: int) -> dict[str, NDArray[np.float64]]:
    """Simulate draws ``start..stop-1`` of every row (same structure) for ``weeks`` weeks as one block.

    Returns one array per ``OUTPUTS`` name of ``len(rows) · (stop − start)`` draws, row-major;
    row r's part equals ``run_rows([rows[r]], start, stop, weeks)``.
    """
    return _run(block_values(rows, start, stop), weeks)


def _run(v: BlockValues, weeks: int) -> dict[str, NDArray[np.float64]]:
    c = v.c
    num = v.numbers
    lad = c.ladder
    n, n_k, n_p = v.ids.size, len(lad.names), len(c.paths)
    d = sample_draws(v)
    vote_keys = _rng.draw_keys(v.keys[S_VOTE], v.ids)
    p_pass = v.p_pass
    theta_table = v.theta_council
    shared_pass = p_pass.ndim == 1
    shared_theta = theta_table.ndim == 1
    council_coordination = num["council_coordination"]

    capacity = d["capacity"]
    inv_capacity = 1.0 / capacity
    astar = np.minimum(d["a0"], capacity)
    growth = d["growth"]
    growth_gaming = growth * num["gaming"]
    steepness = num["steepness"]
    resolve_pow = np.power(d["resolve"], steepness)
    detection = d["detection_unit"] * num["detection_mean"]
    last_detection = float(detection.max())
    deliberation = num["deliberation_weeks"]
    delib = np.maximum(d["delib_unit"] * deliberation, 1.0)
    robust = d["robustness"]  # (instruments, draws)
    lag = d["lag_unit"] * num["deployment_factor"]  # (instruments, draws)
    pop = num["target_population"]
    leak = lad.leak
    trigger = c.trigger_holds
    delta = num["discount"]
    # δ^x for x >= 0 as min(δ^(r - t), 1) = min(δ^r · δ^-t, 1): no exp in the weekly loop.
    delta_detection = delta**detection

    rung = np.full(n, -1, dtype=np.int64)
    council_best = np.full(n, -1, dtype=np.int64)
    sessions = np.zeros(n, dtype=np.int64)
    deadlocks = np.zeros(n, dtype=np.int64)
    # The first session comes after detection; draws whose Council can do nothing never meet.
    next_session = detection + d["first_unit"] * num["first_session_weeks"]
    if c.council_top < 0:
        next_session[:] = np.inf
    active_from = np.full((n_k, n), np.inf)  # week each instrument takes effect
    logsurv = np.zeros((n_k, n))  # log(1 − cut) of each instrument once in force
    # Changes of Σ_k log(1 − cut_k) scheduled by week (row ``weeks`` collects the never-due).
    schedule = np.zeros((weeks + 1, n))
    flat_schedule = schedule.reshape(-1)
    logsum = np.zeros(n)
    survival = np.ones(n)
    rows = {"robust": list(robust), "lag": list(lag), "af": list(active_from), "ls": list(logsurv)}
    first_coercion = np.full(n, np.nan)
    council_force = np.full(n, np.nan)
    best_rung = np.full(n, -1, dtype=np.int64)
    best_route = np.full(n, -1, dtype=np.int64)
    force_used = np.zeros(n, dtype=bool)
    used = np.zeros((1 + n_p, n), dtype=bool)
    cum = np.zeros(n)
    peak = np.zeros(n)
    x = astar.copy()
    protected = np.full(n, np.nan)
    unprotected = np.ones(n, dtype=bool)
    free = np.ones(n)
    tmp = np.empty(n)

    # Alternative paths: a path can open for a draw from week ``ready`` (crime manifest or
    # falsely claimed, plus the last-resort wait) once deadlocks reach its threshold; ``ready``
    # becomes inf once the path has acted or the Council has authorised force. A path that is
    # applicable in some rows only never opens (and threatens nothing) in the others.
    live_paths = [i for i, p in enumerate(v.paths) if np.any(p.applicable)]
    ready = np.full((max(n_p, 1), n), np.inf)
    open_since = np.full((max(n_p, 1), n), np.inf)
    weight = np.zeros((max(n_p, 1), n))  # perceived probability × cut × δ^(fixed delays); 0 once moot
    delta_ready = np.ones((max(n_p, 1), n))
    # Per live path: its δ^(deliberation · remaining deadlocks) table, and that factor of each
    # draw now (it changes only when a session deadlocks, so it is updated there).
    deadlock_discount = []
    deadlock_factor: list[NDArray[np.float64] | None] = []
    every = np.arange(n)
    for i in live_paths:
        p = v.paths[i]
        willing = d["will_u"][:, i] < p.political_will
        partly = np.ndim(p.applicable) > 0
        if partly:
            willing &= p.applicable
        trig = np.ones(n, dtype=bool) if trigger else d["pretext_u"][:, i] < p.pretext_p
        ready[i] = np.where(willing & trig, detection + p.min_weeks_manifest, np.inf)
        perceived = p.political_will * p.signal * (1.0 if trigger else p.pretext_p)
        w = perceived * p.perceived_cut * delta ** (p.decision_weeks + p.mean_lag)
        weight[i] = np.where(p.applicable, w, 0.0) if partly else w
        delta_ready[i] = delta ** (detection + p.min_weeks_manifest)
        table = _deadlock_discount(p.min_deadlocks, delta, deliberation, n)
        deadlock_discount.append(table)
        deadlock_factor.append(None if table is None else table(deadlocks, every))
    theta_c = np.full(n, theta_table[0]) if shared_theta else theta_table[0].copy()

    def enact(
        idx: NDArray[np.int64], package: NDArray[np.bool_], route: int, t: int, cap: Num, coord: Num
    ) -> None:
        """Put one package in force for draws ``idx``, decided via ``route`` in week ``t``."""
        cols = np.flatnonzero(package)
        if cols.size == 0:
            return
        cap, coord = _at(cap, idx), _at(coord, idx)
        for k in cols:
            af_k, ls_k = rows["af"][k], rows["ls"][k]
            cut = (cap * (1.0 - leak[k] * (1.0 - coord))) * rows["robust"][k].take(idx)
            new_ls = np.log1p(-np.minimum(cut, 0.999999))
            old_af = af_k.take(idx)
            if np.isinf(old_af).all():  # first enactment for all of them: nothing to replace
                idx_k = idx
                new_af = t + rows["lag"][k].take(idx)
            else:
                old_ls = ls_k.take(idx)
                better = new_ls < old_ls
                idx_k, new_ls, old_ls, old_af = idx[better], new_ls[better], old_ls[better], old_af[better]
                new_af = np.minimum(old_af, t + rows["lag"][k].take(idx_k))
                # The old effect stops (or never starts) from week t; the new one starts.
                stop_week = np.minimum(np.maximum(np.ceil(old_af), t), weeks).astype(np.int64)
                # idx holds each draw once, so plain fancy indexing adds without collisions
                flat_schedule[stop_week * n + idx_k] -= old_ls
            start_week = np.minimum(np.maximum(np.ceil(new_af), t), weeks).astype(np.int64)
            flat_schedule[start_week * n + idx_k] += new_ls
            ls_k[idx_k] = new_ls
            af_k[idx_k] = new_af
        if lad.coercive[cols].any():
            first_coercion[idx] = np.where(np.isnan(first_coercion[idx]), t, first_coercion[idx])
        if lad.force[cols].any():
            force_used[idx] = True
        top = int(cols.max())
        improve = idx[top > best_rung[idx]]
        best_rung[improve] = top
        best_route[improve] = route
        used[route, idx] = True

    for t in range(weeks):
        # 2. Council session (due only after detection; never once the top class is in force)
        due = next_session <= t
        if due.any():
            idx = np.flatnonzero(due)
            before = rung.take(idx)
            held = sessions.take(idx)
            after = council_session(
                before,
                held,
                vote_keys.take(idx),
                p_pass if shared_pass else p_pass[:, idx],
                _at(v.jump_first, idx),
                _at(v.jump_next, idx),
                c.council_top,
            )
            failed = after == before
            deadlocks[idx] = deadlocks.take(idx) + failed
            for table, factor in zip(deadlock_discount, deadlock_factor, strict=True):
                if factor is not None and table is not None:
                    factor[idx] = table(deadlocks.take(idx), idx)
            sessions[idx] = held + 1
            next_session[idx] = np.where(
                after >= c.council_top, np.inf, next_session.take(idx) + delib.take(idx)
            )
            won = idx[~failed]
            if won.size:
                cls = after[~failed]
                rung[won] = cls
                council_best[won] = np.maximum(council_best[won], cls)
                state = np.minimum(cls + 1, theta_table.shape[0] - 1)
                theta_c[won] = theta_table[state] if shared_theta else theta_table[state, won]
                for k in np.flatnonzero(np.bincount(cls, minlength=c.council_top + 1)):
                    enact(won[cls == k], c.council_package[k], 0, t, 1.0, council_coordination)
                forced = won[cls == c.force_class]
                if forced.size:
                    council_force[forced] = np.where(
                        np.isnan(council_force[forced]), t, council_force[forced]
                    )
                    ready[:, forced] = np.inf
                    weight[:, forced] = 0.0
        # 3. Alternative paths
        for i in live_paths:
            p = v.paths[i]
            cond = ready[i] <= t
            if np.ndim(p.min_deadlocks) or p.min_deadlocks:
                cond &= deadlocks >= p.min_deadlocks
            if not cond.any():
                continue
            idx = np.flatnonzero(cond)
            open_since[i, idx] = np.minimum(open_since[i, idx], t)
            idx = idx[t >= open_since[i, idx] + _at(p.decision_weeks, idx)]
            if idx.size:
                enact(idx, p.route.package, 1 + i, t, p.capacity, p.coordination)
                ready[i, idx] = np.inf
                weight[i, idx] = 0.0
        # 4. Deterrence from the perceived threat (the Council's ladder and each open path)
        if v.deterrable:
            delta_now = delta ** (-t)
            if t < last_detection:
                theta = theta_c * np.minimum(delta_detection * delta_now, 1.0)
            else:
                theta = theta_c.copy()
            for j, i in enumerate(live_paths):
                p = v.paths[i]
                if np.all(p.perceived_cut <= 0):
                    continue
                np.minimum(delta_ready[i] * delta_now, 1.0, out=tmp)
                tmp *= weight[i]
                factor = deadlock_factor[j]
                if factor is not None:
                    tmp *= factor
                theta += tmp
            undeterred_share(theta, resolve_pow, steepness, out=free)
        # 5. Effect of instruments in force: E = 1 − exp(Σ log(1 − cut)), changed as scheduled
        row = schedule[t]
        if row.any():
            logsum += row
            np.exp(logsum, out=survival)
        # 6. Killing and accounting: a = a* (1 − D)(1 − E), capped by the people left
        realised_intensity(astar, free, survival, out=x)
        np.subtract(pop, cum, out=tmp)
        np.minimum(x, tmp, out=tmp)
        cum += tmp
        np.maximum(peak, x, out=peak)
        np.multiply(x, 10.0, out=tmp)
        newly = unprotected & (tmp < peak)
        if newly.any():
            protected[newly] = t
            unprotected[newly] = False
        # 7. Escalation: a* += g (1 − D)(1 + φ(1 − D)) a* (1 − a*/K), at most K
        astar = escalate(astar, growth, growth_gaming, inv_capacity, capacity, free)

    return _accounts(
        v,
        weeks,
        cum,
        x,
        peak,
        protected,
        first_coercion,
        council_force,
        best_rung,
        best_route,
        council_best,
        force_used,
        used,
        deadlocks,
        detection,
        active_from,
        d["validate_u"],
    )


def _accounts(
    v: BlockValues,
    weeks: int,
    cum: NDArray[np.float64],
    x_end: NDArray[np.float64],
    peak: NDArray[np.float64],
    protected: NDArray[np.float64],
    first_coercion: NDArray[np.float64],
    council_force: NDArray[np.float64],
    best_rung: NDArray[np.int64],
    best_route: NDArray[np.int64],
    council_best: NDArray[np.int64],
    force_used: NDArray[np.bool_],
    used: NDArray[np.bool_],
    deadlocks: NDArray[np.int64],
    detection: NDArray[np.float64],
    active_from: NDArray[np.float64],
    validate_u: NDArray[np.float64],
) -> dict[str, NDArray[np.float64]]:
    """Per-draw outcomes: legitimacy by bloc, coordination, troop-weeks, erosion, constraint."""
    c = v.c
    lad = c.ladder
    n = cum.size
    success = np.clip(1.0 - np.divide(x_end, peak, out=np.zeros(n), where=peak > 0), 0.0, 1.0)
    # Council route: its acceptance is that of the strongest authority it used.
    level = np.where(
        council_best < 0, 0, np.where(council_best == c.force_class, 2, np.where(council_best > 0, 1, 0))
    )
    legit = np.where(used[0][:, None], c.council_acceptance[level], np.inf)
    coord = np.where(used[0], v.numbers["council_coordination"], np.inf)
    keep = np.ones(n)
    for i, p in enumerate(v.paths):
        on = used[1 + i]
        validated = on & (validate_u[:, i] < p.ex_post_validation * success)
        acc = np.where(
            validated[:, None], np.maximum(p.route.acceptance, c.ex_post_acceptance), p.route.acceptance
        )
        legit = np.where(on[:, None], np.minimum(legit, acc), legit)
        coord = np.where(on, np.minimum(coord, p.coordination), coord)
        keep *= np.where(on, 1.0 - np.where(validated, c.ex_post_erosion, p.route.erosion), 1.0)
    legit = np.where(np.isinf(legit), np.nan, legit)
    coord = np.where(np.isinf(coord), np.nan, coord)
    if c.trigger_holds:
        keep = keep * (1.0 - DEADLOCK_EROSION_PER_WEEK) ** (deadlocks * v.numbers["deliberation_weeks"])
    in_force = np.clip(weeks - active_from, 0.0, weeks)  # (instruments, draws)
    # Summed instrument by instrument: the same order for any number of draws (NumPy's own
    # reduction sums a single column pairwise, which would round differently).
    troop_weeks = np.zeros(n)
    for k in range(lad.troops.size):
        troop_weeks += in_force[k] * lad.troops[k]
    manifest_by_end = detection < weeks
    return {
        "deaths_civilian": cum,
        "weeks_to_first_coercion": first_coercion,
        "weeks_to_protection": protected,
        "weeks_to_council_force": council_force,
        "highest_rung": best_rung.astype(np.float64),
        "highest_route": best_route.astype(np.float64),
        "force_used": force_used,
        "abuse": force_used & (not c.trigger_holds),
        "force_withheld": (~force_used)
        & c.trigger_holds
        & manifest_by_end
        & (cum >= v.numbers["necessity_deaths"]),
        "legitimacy_western": legit[:, 0],
        "legitimacy_russia_china": legit[:, 1],
        "legitimacy_nam_g77": legit[:, 2],
        "legitimacy_regional": legit[:, 3],
        "coordination_index": coord,
        "troop_weeks": troop_weeks,
        "council_erosion": 1.0 - keep,
        "deadlocks": deadlocks.astype(np.float64),
        "detection_week": detection,
        "peak_intensity": peak,
    }
