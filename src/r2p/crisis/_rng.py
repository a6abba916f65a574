"""Draw-indexed random numbers: draw ``i`` gets the same numbers whatever the number of draws.

A counter-based generator: each uniform is a hash (the SplitMix64 finaliser, applied
twice) of (seed, stream, draw index, counter). So adding draws, changing the chunk size or
running draws in another order never changes a draw already made, and every regime
sees the same numbers for the same draw (common random numbers, which sharpens regime
comparisons). Vectorised in NumPy uint64 arithmetic (wraps modulo 2**64 by design).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import ndtri

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_G = np.uint64(_GOLDEN)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)


def _mix_int(x: int) -> int:
    x &= _MASK
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    x = x ^ (x >> _S30)
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def stream_key(seed: int, stream: int) -> np.uint64:
    """The 64-bit key of one named random stream under ``seed``."""
    return np.uint64(
        _mix_int(_mix_int(int(seed) * _GOLDEN + 0x632BE59BD9B4E019) ^ (int(stream) * 0xD1B54A32D192ED03))
    )


def uniform(
    key: np.uint64, draws: NDArray[np.uint64], counter: NDArray[np.uint64] | int = 0
) -> NDArray[np.float64]:
    """Uniforms in (0, 1) for each draw index (and counter, broadcast against ``draws``)."""
    x = _mix(draws * _G ^ key)
    x = _mix(x + np.asarray(counter, dtype=np.uint64) * _M1)
    return ((x >> _S11).astype(np.float64) + 0.5) * (1.0 / 9007199254740992.0)


def draw_keys(key: np.uint64, draws: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """Per-draw keys: ``uniform_at(draw_keys(key, d), c) == uniform(key, d, c)``, half the hashing."""
    return _mix(draws * _G ^ key)


def uniform_at(keys: NDArray[np.uint64], counter: NDArray[np.uint64] | int = 0) -> NDArray[np.float64]:
    """Uniforms in (0, 1) from per-draw keys (see ``draw_keys``) and a counter."""
    x = _mix(keys + np.asarray(counter, dtype=np.uint64) * _M1)
    return ((x >> _S11).astype(np.float64) + 0.5) * (1.0 / 9007199254740992.0)


def normal(
    key: np.uint64, draws: NDArray[np.uint64], counter: NDArray[np.uint64] | int = 0
) -> NDArray[np.float64]:
    """Standard normals (inverse-CDF of ``uniform``)."""
    return np.asarray(ndtri(uniform(key, draws, counter)), dtype=np.float64)


def lognormal(
    key: np.uint64,
    draws: NDArray[np.uint64],
    mean: float | NDArray[np.float64],
    cv: float,
    counter: NDArray[np.uint64] | int = 0,
) -> NDArray[np.float64]:
    """Lognormal values with the given mean and coefficient of variation (cv 0 → the mean)."""
    z = normal(key, draws, counter)
    s2 = np.log1p(cv * cv)
    return np.asarray(mean * np.exp(np.sqrt(s2) * z - s2 / 2.0), dtype=np.float64)
