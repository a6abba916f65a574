"""Pure vote arithmetic: pass probability (exact Poisson-binomial) and veto restraint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from r2p.council._composition import P5
from r2p.council._priors import VOTES_TO_PASS
from r2p.errors import R2PInputError


def pass_probability(p_yes: np.ndarray, p_veto: np.ndarray) -> np.ndarray:
    """Return P(at least nine yes votes and no veto) for independent member votes.

    ``p_yes[..., 15]``: each member's probability of voting yes, the P5 first in
    ``P5`` order, then the ten elected; ``p_veto[..., 5]``: each permanent
    member's probability of a veto (its "no"), with ``p_yes + p_veto <= 1``.
    Leading axes broadcast. Exact (dynamic programming over the count of yes
    votes), no sampling. Returns a probability array of the leading shape.
    """
    py = np.asarray(p_yes, dtype=float)
    pv = np.asarray(p_veto, dtype=float)
    if py.shape[-1] != 15 or pv.shape[-1] != 5:
        raise R2PInputError(f"p_yes must end in 15 members and p_veto in 5, got {py.shape} and {pv.shape}.")
    lead = np.broadcast_shapes(py.shape[:-1], pv.shape[:-1])
    py = np.broadcast_to(py, (*lead, 15))
    pv = np.broadcast_to(pv, (*lead, 5))
    if np.any(py < -1e-12) or np.any(py > 1 + 1e-12) or np.any(pv < -1e-12) or np.any(pv > 1 + 1e-12):
        raise R2PInputError("vote probabilities must lie in [0, 1].")
    # dist[..., k] = P(k yes votes so far and no veto so far)
    dist = np.zeros((*lead, 16))
    dist[..., 0] = 1.0
    for i in range(15):
        yes = py[..., i : i + 1]
        other = 1.0 - yes - (pv[..., i : i + 1] if i < 5 else 0.0)
        other = np.clip(other, 0.0, 1.0)
        shifted = np.zeros_like(dist)
        shifted[..., 1:] = dist[..., :-1]
        dist = dist * other + shifted * yes
    return np.asarray(dist[..., VOTES_TO_PASS:].sum(axis=-1))


def restraint_vector(restraint: Mapping[str, float] | np.ndarray | None) -> np.ndarray:
    """Return restraint as an array ``[..., 5]`` in P5 order, validated to lie in [0, 1].

    A mapping may name any subset of the P5 by ISO3 (others 0) or be a preset name's dict.
    Unknown members or values outside [0, 1] raise ``R2PInputError``.
    """
    if restraint is None:
        return np.zeros(5)
    if isinstance(restraint, Mapping):
        vec = np.zeros(5)
        for key, value in restraint.items():
            code = str(key).upper()
            if code not in P5:
                from r2p.errors import suggest

                raise R2PInputError(f"restraint member {key!r} is not a permanent member {P5}."
                                    + suggest(code, P5))
            vec[P5.index(code)] = _check_unit(value, f"restraint[{code}]")
        return vec
    arr = np.asarray(restraint, dtype=float)
    if arr.shape[-1:] != (5,):
        raise R2PInputError(f"restraint array must end in the 5 permanent members, got shape {arr.shape}.")
    if np.any(~np.isfinite(arr)) or np.any(arr < 0) or np.any(arr > 1):
        raise R2PInputError("restraint values must lie in [0, 1].")
    return arr


def _check_unit(value: Any, field: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise R2PInputError(f"{field} must be a number in [0, 1], got {value!r}.") from None
    if not 0.0 <= v <= 1.0:
        raise R2PInputError(f"{field} must be in [0, 1], got {v}.")
    return v


def apply_restraint(p_veto: np.ndarray, restraint: Mapping[str, float] | np.ndarray | None,
                    manifest: bool | np.ndarray) -> np.ndarray:
    """Return P5 veto probabilities after restraint: ``p_veto · (1 − restraint)`` where atrocities
    are manifest, unchanged elsewhere.

    ``p_veto[..., 5]`` in P5 order; ``restraint`` a mapping ISO3 → [0, 1] or an array
    ``[..., 5]``; ``manifest`` a bool or a bool array of the leading shape. The withheld
    probability becomes an abstention (the caller adds it to ``p_abstain``). Vectorised.
    """
    pv = np.asarray(p_veto, dtype=float)
    r = restraint_vector(restraint)
    m = np.asarray(manifest, dtype=bool)[..., None]
    return np.asarray(np.where(m, pv * (1.0 - r), pv))
