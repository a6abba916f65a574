"""The vectorised engine: one block of Monte Carlo draws × weeks as NumPy arrays.

The hot path loops over *weeks* only; every statement inside acts on all draws at once
(Council sessions and path decisions act on the subset of draws where they are due).
Randomness is draw-indexed (``_rng``): draw ``i`` is the same whatever the block size or
number of draws, and the same across regimes (common random numbers).

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

import numpy as np
from numpy.typing import NDArray

from r2p.crisis import _rng
from r2p.crisis._council import council_session
from r2p.crisis._perpetrator import escalate, realised_intensity, undeterred_share
from r2p.crisis._response import DEADLOCK_EROSION_PER_WEEK, DELIBERATION_CV, DETECTION_CV, LAG_CV, Compiled
from r2p.crisis._scenario import Scenario

# Random streams (one key each). Never renumber: it would change every seeded result.
S_A0, S_GROWTH, S_CAPACITY, S_RESOLVE, S_DETECTION, S_DELIB, S_FIRST = 1, 2, 3, 4, 5, 6, 7
S_ROBUST, S_LAG, S_VOTE, S_WILL, S_PRETEXT, S_VALIDATE = 8, 9, 10, 11, 12, 13

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


def sample_draws(
    scenario: Scenario,
    seed: int,
    draw_ids: NDArray[np.uint64],
    n_instruments: int,
    n_paths: int,
    lad_mu: NDArray[np.float64],
    lad_sd: NDArray[np.float64],
    lag_mean: NDArray[np.float64],
) -> dict[str, NDArray[np.float64]]:
    """Per-draw uncertain parameters (perpetrator, detection, Council pace, robustness, lags).

    Regime-independent base values: regimes scale them (detection, deliberation, lag factors).
    """
    p = scenario.perpetrator
    cv = p.uncertainty
    k = np.arange(n_instruments, dtype=np.uint64)[:, None]  # instrument-major: (instruments, draws)
    ids = draw_ids[None, :]
    out = {
        "a0": _rng.lognormal(_rng.stream_key(seed, S_A0), draw_ids, p.initial_intensity, cv),
        "growth": _rng.lognormal(_rng.stream_key(seed, S_GROWTH), draw_ids, p.growth, cv),
        "capacity": _rng.lognormal(_rng.stream_key(seed, S_CAPACITY), draw_ids, p.capacity, cv),
        "resolve": _rng.lognormal(_rng.stream_key(seed, S_RESOLVE), draw_ids, p.resolve, cv),
        "detection_unit": _rng.lognormal(_rng.stream_key(seed, S_DETECTION), draw_ids, 1.0, DETECTION_CV),
        "delib_unit": _rng.lognormal(_rng.stream_key(seed, S_DELIB), draw_ids, 1.0, DELIBERATION_CV),
        "first_unit": _rng.lognormal(_rng.stream_key(seed, S_FIRST), draw_ids, 1.0, DETECTION_CV),
        "robustness": 1.0
        / (
            1.0
            + np.exp(
                -(lad_mu[:, None] + lad_sd[:, None] * _rng.normal(_rng.stream_key(seed, S_ROBUST), ids, k))
            )
        ),
        "lag_unit": _rng.lognormal(_rng.stream_key(seed, S_LAG), ids, 1.0, LAG_CV, k) * lag_mean[:, None],
    }
    j = np.arange(max(n_paths, 1), dtype=np.uint64)[None, :]
    rows = draw_ids[:, None]
    out["will_u"] = _rng.uniform(_rng.stream_key(seed, S_WILL), rows, j)
    out["pretext_u"] = _rng.uniform(_rng.stream_key(seed, S_PRETEXT), rows, j)
    out["validate_u"] = _rng.uniform(_rng.stream_key(seed, S_VALIDATE), rows, j)
    return out


def run_block(
    c: Compiled, scenario: Scenario, seed: int, start: int, stop: int, weeks: int
) -> dict[str, NDArray[np.float64]]:
    """Simulate draws ``start..stop-1`` for ``weeks`` weeks; return one array per ``OUTPUTS`` name."""
    lad = c.ladder
    n, n_k, n_p = stop - start, len(lad.names), len(c.paths)
    ids = np.arange(start, stop, dtype=np.uint64)
    d = sample_draws(scenario, seed, ids, n_k, n_p, lad.logit_mu, lad.logit_sd, lad.lag)
    per = scenario.perpetrator
    vote_keys = _rng.draw_keys(_rng.stream_key(seed, S_VOTE), ids)

    capacity = d["capacity"]
    inv_capacity = 1.0 / capacity
    astar = np.minimum(d["a0"], capacity)
    growth = d["growth"]
    growth_gaming = growth * per.gaming
    resolve_pow = np.power(d["resolve"], per.steepness)
    detection = d["detection_unit"] * c.detection_mean
    last_detection = float(detection.max())
    delib = np.maximum(d["delib_unit"] * c.deliberation_weeks, 1.0)
    robust = d["robustness"]  # (instruments, draws)
    lag = d["lag_unit"] * c.deployment_factor  # (instruments, draws)
    pop = per.target_population
    leak = lad.leak
    trigger = c.trigger_holds
    delta = per.discount
    # δ^x for x >= 0 as min(δ^(r - t), 1) = min(δ^r · δ^-t, 1): no exp in the weekly loop.
    delta_detection = delta**detection

    rung = np.full(n, -1, dtype=np.int64)
    council_best = np.full(n, -1, dtype=np.int64)
    sessions = np.zeros(n, dtype=np.int64)
    deadlocks = np.zeros(n, dtype=np.int64)
    # The first session comes after detection; draws whose Council can do nothing never meet.
    next_session = detection + d["first_unit"] * c.first_session_weeks
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
    # becomes inf once the path has acted or the Council has authorised force.
    live_paths = [i for i, p in enumerate(c.paths) if p.applicable]
    ready = np.full((max(n_p, 1), n), np.inf)
    open_since = np.full((max(n_p, 1), n), np.inf)
    weight = np.zeros((max(n_p, 1), n))  # perceived probability × cut × δ^(fixed delays); 0 once moot
    delta_ready = np.ones((max(n_p, 1), n))
    deadlock_discount = []  # per path: δ^(deliberation · remaining deadlocks), by deadlocks so far
    for i in live_paths:
        p = c.paths[i]
        willing = d["will_u"][:, i] < p.political_will
        trig = np.ones(n, dtype=bool) if trigger else d["pretext_u"][:, i] < p.pretext_p
        ready[i] = np.where(willing & trig, detection + p.min_weeks_manifest, np.inf)
        perceived = p.political_will * p.signal * (1.0 if trigger else p.pretext_p)
        weight[i] = perceived * p.perceived_cut * delta ** (p.decision_weeks + p.mean_lag)
        delta_ready[i] = delta ** (detection + p.min_weeks_manifest)
        remaining = np.maximum(p.min_deadlocks - np.arange(p.min_deadlocks + 1), 0)
        deadlock_discount.append(delta ** (remaining * c.deliberation_weeks))
    theta_c = np.full(n, c.theta_council[0])  # perceived Council threat in the current state

    def enact(
        idx: NDArray[np.int64], package: NDArray[np.bool_], route: int, t: int, cap: float, coord: float
    ) -> None:
        """Put one package in force for draws ``idx``, decided via ``route`` in week ``t``."""
        cols = np.flatnonzero(package)
        if cols.size == 0:
            return
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
                np.subtract.at(flat_schedule, stop_week * n + idx_k, old_ls)
            start_week = np.minimum(np.maximum(np.ceil(new_af), t), weeks).astype(np.int64)
            np.add.at(flat_schedule, start_week * n + idx_k, new_ls)
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
                before, held, vote_keys.take(idx), c.p_pass, c.jump_first, c.jump_next, c.council_top
            )
            failed = after == before
            deadlocks[idx] = deadlocks.take(idx) + failed
            sessions[idx] = held + 1
            next_session[idx] = np.where(
                after >= c.council_top, np.inf, next_session.take(idx) + delib.take(idx)
            )
            won = idx[~failed]
            if won.size:
                cls = after[~failed]
                rung[won] = cls
                council_best[won] = np.maximum(council_best[won], cls)
                theta_c[won] = c.theta_council[np.minimum(cls + 1, c.theta_council.size - 1)]
                for k in np.flatnonzero(np.bincount(cls, minlength=c.council_top + 1)):
                    enact(won[cls == k], c.council_package[k], 0, t, 1.0, c.council_coordination)
                forced = won[cls == c.force_class]
                if forced.size:
                    council_force[forced] = np.where(
                        np.isnan(council_force[forced]), t, council_force[forced]
                    )
                    ready[:, forced] = np.inf
                    weight[:, forced] = 0.0
        # 3. Alternative paths
        for i in live_paths:
            p = c.paths[i]
            cond = ready[i] <= t
            if p.min_deadlocks:
                cond &= deadlocks >= p.min_deadlocks
            if not cond.any():
                continue
            idx = np.flatnonzero(cond)
            open_since[i, idx] = np.minimum(open_since[i, idx], t)
            idx = idx[t >= open_since[i, idx] + p.decision_weeks]
            if idx.size:
                enact(idx, p.package, 1 + i, t, p.capacity, p.coordination)
                ready[i, idx] = np.inf
                weight[i, idx] = 0.0
        # 4. Deterrence from the perceived threat (the Council's ladder and each open path)
        if per.deterrable:
            delta_now = delta ** (-t)
            if t < last_detection:
                theta = theta_c * np.minimum(delta_detection * delta_now, 1.0)
            else:
                theta = theta_c.copy()
            for j, i in enumerate(live_paths):
                p = c.paths[i]
                if p.perceived_cut <= 0:
                    continue
                np.minimum(delta_ready[i] * delta_now, 1.0, out=tmp)
                tmp *= weight[i]
                if p.min_deadlocks:
                    tmp *= deadlock_discount[j][np.minimum(deadlocks, p.min_deadlocks)]
                theta += tmp
            undeterred_share(theta, resolve_pow, per.steepness, out=free)
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
        c,
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
    c: Compiled,
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
    lad = c.ladder
    n = cum.size
    success = np.clip(1.0 - np.divide(x_end, peak, out=np.zeros(n), where=peak > 0), 0.0, 1.0)
    # Council route: its acceptance is that of the strongest authority it used.
    level = np.where(
        council_best < 0, 0, np.where(council_best == c.force_class, 2, np.where(council_best > 0, 1, 0))
    )
    legit = np.where(used[0][:, None], c.council_acceptance[level], np.inf)
    coord = np.where(used[0], c.council_coordination, np.inf)
    keep = np.ones(n)
    for i, p in enumerate(c.paths):
        on = used[1 + i]
        validated = on & (validate_u[:, i] < p.ex_post_validation * success)
        acc = np.where(validated[:, None], np.maximum(p.acceptance, c.ex_post_acceptance), p.acceptance)
        legit = np.where(on[:, None], np.minimum(legit, acc), legit)
        coord = np.where(on, np.minimum(coord, p.coordination), coord)
        keep *= np.where(on, 1.0 - np.where(validated, c.ex_post_erosion, p.erosion), 1.0)
    legit = np.where(np.isinf(legit), np.nan, legit)
    coord = np.where(np.isinf(coord), np.nan, coord)
    if c.trigger_holds:
        keep = keep * (1.0 - DEADLOCK_EROSION_PER_WEEK) ** (deadlocks * c.deliberation_weeks)
    in_force = np.clip(weeks - active_from, 0.0, weeks)  # (instruments, draws)
    troop_weeks = (in_force * lad.troops[:, None]).sum(axis=0)  # not BLAS: bit-identical for any n
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
        "force_withheld": (~force_used) & c.trigger_holds & manifest_by_end & (cum >= c.necessity_deaths),
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
