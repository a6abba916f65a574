"""The Security Council as the simulator sees it: vote arithmetic, veto restraint, the
incremental ladder and what the perpetrator expects of it.

Mechanisms (each a function; parameters come from the regime and ``ScenarioInputs``):

- ``pass_probability``: exact P(at least nine yes votes and no P5 veto).
- ``restrained_veto``: veto propensities after restraint pledges and the political cost of
  veto threats (only when a well-defined crime is manifest).
- ``council_session``: one session for the draws whose session is due — a draft is
  tabled ``jump`` rungs above what is in force and, when a veto threat or too few votes
  sink it, *watered down* one rung at a time until a passable draft is found or the
  session deadlocks.
- ``perceived_council_threat``: the perpetrator's expectation of the ladder (probability and
  delay of each further rung) turned into a discounted threat per Council state.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from r2p.crisis import _rng
from r2p.law import P5

VOTES_NEEDED = 9
PERCEIVED_ATTEMPTS = 3  # sessions the perpetrator expects the Council to try a rung before giving up


def pass_probability(p_yes: NDArray[np.float64], p_veto: NDArray[np.float64]) -> NDArray[np.float64]:
    """Exact probability that a draft passes: >= 9 of 15 yes votes and no P5 veto.

    ``p_yes[..., 15]`` (the P5 first) and ``p_veto[..., 5]``; members vote independently; a P5
    member's yes and veto are exclusive. Returns an array of shape ``p_yes.shape[:-1]``.
    """
    p_yes = np.asarray(p_yes, dtype=np.float64)
    p_veto = np.asarray(p_veto, dtype=np.float64)
    n = p_yes.shape[-1]
    veto = np.zeros_like(p_yes)
    veto[..., : p_veto.shape[-1]] = p_veto
    dist = np.zeros((*p_yes.shape[:-1], n + 1))
    dist[..., 0] = 1.0
    for j in range(n):
        y = p_yes[..., j : j + 1]
        other = 1.0 - y - veto[..., j : j + 1]
        shifted = np.concatenate([np.zeros_like(dist[..., :1]), dist[..., :-1]], axis=-1)
        dist = dist * other + shifted * y
    return np.asarray(np.clip(dist[..., VOTES_NEEDED:].sum(axis=-1), 0.0, 1.0))


def restrained_veto(
    p_veto: NDArray[np.float64], restraint: Mapping[str, float], veto_threat_cost: float, applies: bool
) -> NDArray[np.float64]:
    """Veto propensities ``p_veto[..., 5]`` after pledges: member i's propensity is cut by its
    compliance and every member's by ``veto_threat_cost``, only if ``applies`` (a well-defined
    crime is manifest). The withheld vetoes become abstentions."""
    out = np.array(p_veto, dtype=np.float64)
    if not applies:
        return out
    for i, member in enumerate(P5):
        out[..., i] *= 1.0 - float(restraint.get(member, 0.0))
    return out * (1.0 - veto_threat_cost)


def council_session(
    rung: NDArray[np.int64],
    sessions: NDArray[np.int64],
    draw_keys: NDArray[np.uint64],
    p_pass: NDArray[np.float64],
    jump_first: int | NDArray[np.int64],
    jump_next: int | NDArray[np.int64],
    top: int,
) -> NDArray[np.int64]:
    """Run one session for these draws; return the new highest class in force (== ``rung`` if
    the session deadlocked).

    The draft is tabled at ``min(rung + jump, top)`` (``jump_first`` while nothing has passed)
    and watered down one class at a time; the strongest class whose vote passes is adopted.
    Each (draw, session, class) vote has its own uniform, so outcomes are monotone in
    ``p_pass``: lowering any pass probability can never make the Council climb faster.
    ``p_pass`` is per class ``(classes,)`` or per class and draw ``(classes, draws)``; the jumps
    are shared or one per draw.
    """
    jump = np.where(rung < 0, jump_first, jump_next)
    hi = np.minimum(rung + jump, top)
    best = rung.copy()
    n_classes = len(p_pass)
    per_draw = p_pass.ndim > 1
    cols = np.arange(rung.size) if per_draw else None
    for j in range(int(max(np.max(jump_first), np.max(jump_next)))):
        c = hi - j
        open_ = (c > rung) & (best == rung)
        if not open_.any():
            continue
        u = _rng.uniform_at(
            draw_keys, sessions.astype(np.uint64) * np.uint64(n_classes) + c.astype(np.uint64)
        )
        cls = np.clip(c, 0, n_classes - 1)
        passed = open_ & (u < (p_pass[cls, cols] if per_draw else p_pass[cls]))
        best = np.where(passed, c, best)
    return best


def ladder_steps(start: int, target: int, jump_first: int, jump_next: int) -> list[int]:
    """The classes the Council must pass, in order, to get from ``start`` to ``target``."""
    steps, cur = [], start
    while cur < target:
        cur = min(cur + (jump_first if cur < 0 else jump_next), target)
        steps.append(cur)
    return steps


def perceived_council_threat(
    p_pass: NDArray[np.float64],
    package_cut: NDArray[np.float64],
    package_lag: NDArray[np.float64],
    deliberation_weeks: float,
    first_session_weeks: float,
    jump_first: int,
    jump_next: int,
    top: int,
    discount: float,
) -> NDArray[np.float64]:
    """Perceived threat θ_C per Council state (index = highest class in force + 1).

    θ_C(s) = Σ_{c>s} P(s→c) · cut_c · δ^{τ(s→c)}, where the perpetrator expects each rung on
    the way to be tried for up to three sessions (P = Π (1 − (1 − p)^3)), each attempt taking
    ``deliberation_weeks`` (τ adds min(1/p, 3) sessions per rung plus the package's lag).
    """
    out = np.zeros(top + 2)
    for s in range(-1, top + 1):
        total = 0.0
        for c in range(s + 1, top + 1):
            if package_cut[c] <= 0:
                continue
            prob, tau = 1.0, (first_session_weeks if s < 0 else 0.0)
            for step in ladder_steps(s, c, jump_first, jump_next):
                p = float(p_pass[step])
                prob *= 1.0 - (1.0 - p) ** PERCEIVED_ATTEMPTS
                tau += deliberation_weeks * min(1.0 / max(p, 1e-9), PERCEIVED_ATTEMPTS)
            tau += float(package_lag[c])
            total += prob * float(package_cut[c]) * discount**tau
        out[s + 1] = total
    return out
