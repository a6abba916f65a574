"""The perpetrator's mechanisms: deterrence, escalation (with gaming) and realised intensity.

- ``undeterred_share``: 1 − D, where D = θ^β / (θ^β + ρ^β) is the share of intended killing
  withheld because of the perceived threat θ of a robust response (ρ the perpetrator's resolve,
  β the steepness).
- ``escalate``: intended intensity a* grows logistically toward capacity K at rate
  g · (1 − D) · (1 + φ(1 − D)): a perpetrator facing a weak or distant threat races to a
  *fait accompli* (φ = gaming); a deterred one slows.
- ``realised_intensity``: a = a* · (1 − D) · (1 − E) (the engine then caps it by the people left).

All are monotone: more deterrence never raises intended or realised killing. They write into
``out`` buffers so the weekly loop allocates nothing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def undeterred_share(
    theta: NDArray[np.float64],
    resolve_pow: NDArray[np.float64],
    steepness: float | NDArray[np.float64],
    out: NDArray[np.float64],
) -> NDArray[np.float64]:
    """1 − D = ρ^β / (θ^β + ρ^β) in [0, 1] (``resolve_pow`` = ρ^β per draw; β shared or one per
    draw); ``theta`` is overwritten."""
    if np.ndim(steepness) == 0 and steepness == 2.0:
        np.multiply(theta, theta, out=theta)
    else:
        np.power(theta, steepness, out=theta)
    np.add(theta, resolve_pow, out=out)
    return np.divide(resolve_pow, out, out=out)


def escalate(
    astar: NDArray[np.float64],
    growth: NDArray[np.float64],
    growth_gaming: NDArray[np.float64],
    inv_capacity: NDArray[np.float64],
    capacity: NDArray[np.float64],
    free: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Next week's intended intensity (deaths/week) in [0, capacity]: a* + r a* (1 − a*/K) with
    r = (1 − D)(g + gφ(1 − D)); ``growth_gaming`` = g·φ, ``free`` = 1 − D."""
    rate = growth_gaming * free
    rate += growth
    rate *= free
    room = astar * inv_capacity
    np.subtract(1.0, room, out=room)
    room *= astar
    room *= rate
    room += astar
    return np.minimum(room, capacity, out=room)


def realised_intensity(
    astar: NDArray[np.float64],
    free: NDArray[np.float64],
    survival: NDArray[np.float64],
    out: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Intensity before the population cap (deaths/week): a* (1 − D)(1 − E), ``survival`` = 1 − E."""
    np.multiply(astar, free, out=out)
    return np.multiply(out, survival, out=out)
