"""The outcome layer: the final probability of each outcome, from the simulator and the record.

Two sources move a prediction away from the base rate (docs/cases.md, "Outcome layer"):

- ``veto_24m``: the veto-record model (``_veto_record``), fitted on the Council's veto and
  meeting record before onset; the library (one veto in 19 cases) is not used.
- ``coercive_12m``, ``force_authorized_24m``, ``force_unauthorized_24m``: a blend
  ``p = (1 − w) · p_stat + w · p_sim`` of

  - ``p_sim``: the calibrated simulator (``_calibrate.calibrated_prediction``: simulator at the
    parameters fitted on the training cases, shrunk toward their base rate), and
  - ``p_stat``: a penalised logistic regression on two onset features (``STAT_FEATURES``):
    ``exposure`` (1 if the state is the perpetrator, 0.5 both, 0 a non-state group: measures
    against armed groups cost no permanent member a client) and ``log_era_rate`` (the log of
    the Council's vetoes per draft put to the vote in the ten years before onset: a paralysed
    Council imposes and authorises less, and states act without it more). Features are
    standardised on the training cases; slopes have a N(0, ``STAT_PRIOR_SD``²) prior and the
    intercept N(logit base rate, ``INTERCEPT_PRIOR_SD``²).

  The weight ``w`` (grid ``BLEND_GRID``) minimises the leave-one-out Brier score *within* the
  training cases (each training case predicted by both components refitted without it), so the
  case being predicted never enters it (nested leave-one-out).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, logit

from r2p.cases._features import CaseInputs

STAT_FEATURES = ("exposure", "log_era_rate")
STAT_OUTCOMES = ("coercive_12m", "force_authorized_24m", "force_unauthorized_24m")
#: Prior sd of each standardised slope (strong shrinkage: 19 cases) and of the intercept.
STAT_PRIOR_SD = 1.0
INTERCEPT_PRIOR_SD = 1.5
BLEND_GRID = (0.0, 0.25, 0.5, 0.75, 1.0)
#: Fewer training cases than this: the simulator alone (w = 1).
MIN_BLEND_CASES = 4


def stat_features(inputs: CaseInputs, exposure: float) -> NDArray[np.float64]:
    """The ``STAT_FEATURES`` of a case: state exposure (0–1) and the log of the era's vetoes per
    draft (``CaseInputs.veto_rate``, ten years before onset)."""
    return np.array([float(exposure), float(np.log(inputs.veto_rate))])


@dataclass(frozen=True)
class StatModel:
    """``P(y) = expit(coef_[0] + coef_[1:] · (x − mean_) / scale_)``, fitted by ``fit_stat``."""

    coef_: NDArray[np.float64]
    mean_: NDArray[np.float64]
    scale_: NDArray[np.float64]

    def __call__(self, x: NDArray[np.float64]) -> float:
        """P(outcome) (0–1) for one case's features ``x``."""
        z = (np.asarray(x, dtype=float) - self.mean_) / self.scale_
        return float(expit(self.coef_[0] + self.coef_[1:] @ z))


def fit_stat(x: NDArray[np.float64], y: NDArray[np.float64]) -> StatModel:
    """MAP penalised logistic regression of 0/1 ``y`` on the rows of ``x`` (see module)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    xx = np.column_stack([np.ones(len(y)), (x - mean) / scale])
    base = (y.sum() + 0.5) / (len(y) + 1.0)
    mu = np.r_[logit(base), np.zeros(x.shape[1])]
    sd2 = np.r_[INTERCEPT_PRIOR_SD, np.full(x.shape[1], STAT_PRIOR_SD)] ** 2

    return StatModel(map_logistic(xx, y, mu, sd2), mean, scale)


def map_logistic(xx: NDArray[np.float64], y: NDArray[np.float64], mu: NDArray[np.float64],
                 sd2: NDArray[np.float64], iterations: int = 50) -> NDArray[np.float64]:
    """Coefficients maximising the logistic log-likelihood of ``y`` on design ``xx`` plus the
    Gaussian log-prior N(``mu``, diag ``sd2``) (Newton's method; the objective is strictly
    concave, so it converges from ``mu``)."""
    b = np.array(mu, dtype=float)
    for _ in range(iterations):
        pr = expit(xx @ b)
        grad = xx.T @ (y - pr) - (b - mu) / sd2
        hess = (xx * (pr * (1 - pr))[:, None]).T @ xx + np.diag(1.0 / sd2)
        step = np.linalg.solve(hess, grad)
        b = b + step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    return b


def blend_weight(p_stat: Sequence[float], p_sim: Sequence[float], y: Sequence[int]) -> float:
    """The ``BLEND_GRID`` weight of the simulator minimising the Brier score of
    ``(1 − w) p_stat + w p_sim`` against ``y`` (ties: the weight nearest 0.5)."""
    ps, pm, yy = (np.asarray(v, dtype=float) for v in (p_stat, p_sim, y))
    scores = [float(np.mean(((1 - w) * ps + w * pm - yy) ** 2)) for w in BLEND_GRID]
    best = min(scores)
    ties = [w for w, s in zip(BLEND_GRID, scores, strict=True) if s <= best + 1e-12]
    return float(min(ties, key=lambda w: abs(w - 0.5)))


@dataclass(frozen=True)
class Blend:
    """The outcome layer's result for one case and outcome: ``p`` (final, 0–1), the components
    ``p_stat`` and ``p_sim``, and the simulator's weight ``w``."""

    p: float
    p_stat: float
    p_sim: float
    w: float


def blended(x: NDArray[np.float64], p_sim: float, train: Sequence[str], xs: dict[str, NDArray[np.float64]],
            ys: dict[str, int], sim_without: Callable[[str], float]) -> Blend:
    """Blend the statistical and simulator predictions of one case and outcome.

    ``x``/``p_sim``: the case's features and calibrated simulator probability (fitted on
    ``train``); ``xs``/``ys``: features and outcomes of the library cases; ``sim_without(j)``:
    training case ``j``'s calibrated simulator probability fitted on ``train`` without ``j``.
    """
    if not len(train):  # nothing to fit on: the simulator as is (the statistical model says 0.5)
        return Blend(p_sim, 0.5, p_sim, 1.0)
    xtr = np.array([xs[c] for c in train])
    ytr = np.array([ys[c] for c in train], dtype=float)
    p_stat = fit_stat(xtr, ytr)(x)
    if len(train) < MIN_BLEND_CASES:
        return Blend(p_sim, p_stat, p_sim, 1.0)
    inner_stat, inner_sim = [], []
    for k, c in enumerate(train):
        keep = np.arange(len(train)) != k
        inner_stat.append(fit_stat(xtr[keep], ytr[keep])(xs[c]))
        inner_sim.append(sim_without(c))
    w = blend_weight(inner_stat, inner_sim, ytr.astype(int).tolist())
    return Blend((1 - w) * p_stat + w * p_sim, p_stat, p_sim, w)
