"""A glmnet-style elastic-net logistic regression path with K-fold cross-validation.

The objective for one problem is glmnet's binomial one,

    -(1/N) Σ_i [y_i η_i − log(1 + e^{η_i})] + λ Σ_j [α |β_j| + (1 − α)/2 β_j²],

with the penalty applied to coefficients of internally standardised predictors
(population standard deviation, glmnet's ``standardize=TRUE``) and an
unpenalised intercept. λ runs over glmnet's default path: 100 values spaced
evenly on the log scale from λ_max (the smallest λ with every coefficient zero)
down to λ_max · 1e-4 (1e-2 when there are fewer rows than predictors).

Speed comes from solving the full-data problem and all K fold problems *together*
at each λ: the linear predictors and gradients of the K + 1 problems are one
matrix product each, and the Hessians of all problems are one product with a
precomputed table of predictor cross-products. Each problem then takes proximal
(quasi-)Newton steps whose quadratic sub-problem is solved by coordinate descent
in compiled code; Hessians are refreshed only when a step is rejected or every
few λ values, which the line search makes safe; a problem whose proposed Newton step is negligible
is converged and is not evaluated again at that λ while the others finish. A common scaling of the
predictors is used for all problems; each problem's own standard deviations
enter as per-coordinate penalty weights, which is exactly equivalent to
standardising each problem separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit
from threadpoolctl import ThreadpoolController

_EPS_DEV = 1e-5  # glmnet clips held-out probabilities to [1e-5, 1 - 1e-5] for the deviance


@njit(cache=True)
def _cd_quadratic(h: np.ndarray, g: np.ndarray, b0: np.ndarray, l1: np.ndarray, l2: np.ndarray,
                  active: np.ndarray, tol: float, max_sweeps: int) -> np.ndarray:  # pragma: no cover
    """Coordinate descent on K penalised quadratics; return the K×p minimisers.

    Problem k minimises g_k·(b − b0_k) + ½ (b − b0_k)ᵀ H_k (b − b0_k) + Σ_j l1_kj |b_j| + ½ l2_kj b_j²
    over coordinates with ``active[k, j]`` (the others stay at zero).
    """
    n_prob, p = b0.shape
    out = b0.copy()
    for k in range(n_prob):
        b = out[k]
        q = g[k].copy()
        for _ in range(max_sweeps):
            biggest = 0.0
            for j in range(p):
                if not active[k, j]:
                    continue
                hjj = h[k, j, j]
                u = hjj * b[j] - q[j]
                lam1 = l1[k, j]
                if u > lam1:
                    t = (u - lam1) / (hjj + l2[k, j])
                elif u < -lam1:
                    t = (u + lam1) / (hjj + l2[k, j])
                else:
                    t = 0.0
                d = t - b[j]
                if d != 0.0:
                    for i in range(p):
                        q[i] += h[k, i, j] * d
                    b[j] = t
                    change = hjj * d * d
                    if change > biggest:
                        biggest = change
            if biggest < tol:
                break
    return out


@njit(cache=True, fastmath=True)
def _link(eta: np.ndarray, y: np.ndarray, wmask: np.ndarray, cols: np.ndarray, prob: np.ndarray,
          resid: np.ndarray, loss: np.ndarray, held: np.ndarray) -> None:  # pragma: no cover
    """For the problems ``cols`` (row c of ``eta``, m × n, is problem ``cols[c]``): fill their rows of
    ``prob`` = σ(η) and ``resid`` = (σ(η) − y)·w (K × n), their weighted mean losses
    ``loss[k]`` = Σ_i w_ik [log(1 + e^η) − y η], and ``held[k]``, the summed binomial deviance of the
    rows problem k leaves out (probabilities clipped as glmnet does)."""
    m, n = eta.shape
    cap_hi = -np.log(_EPS_DEV)
    cap_lo = -np.log(1.0 - _EPS_DEV)
    acc_loss = np.zeros(m)
    acc_held = np.zeros(m)
    for c in range(m):
        k = cols[c]
        for i in range(n):
            yi = y[i]
            e = eta[c, i]
            if e >= 0:
                t = np.exp(-e)
                pk = 1.0 / (1.0 + t)
                soft = e + np.log1p(t)
            else:
                t = np.exp(e)
                pk = t / (1.0 + t)
                soft = np.log1p(t)
            w = wmask[k, i]
            prob[k, i] = pk
            resid[k, i] = (pk - yi) * w
            nll = soft - yi * e
            if w > 0.0:
                acc_loss[c] += w * nll
            else:
                acc_held[c] += 2.0 * min(max(nll, cap_lo), cap_hi)
    for c in range(m):
        loss[cols[c]] = acc_loss[c]
        held[cols[c]] = acc_held[c]


@dataclass
class PathResult:
    """The fitted path: ``lambdas`` (penalty values, decreasing), ``coef`` (100 × p+1, intercept first,
    on the common scaling), ``cv_deviance`` (mean held-out binomial deviance per λ, or None) and
    ``best`` (index of λ.min)."""

    lambdas: np.ndarray
    coef: np.ndarray
    cv_deviance: np.ndarray | None
    best: int


def fit_path(z: np.ndarray, y: np.ndarray, **kwargs: Any) -> PathResult:
    """Fit the elastic-net logistic path on ``z`` (n × p, any fixed scaling) and choose λ by K-fold CV.

    Keyword arguments as ``_fit_path``. Returns a ``PathResult`` whose coefficients apply to
    ``[1, z]``; ``best`` is glmnet's ``lambda.min`` (the last λ when ``n_folds`` is 0). BLAS runs
    single-threaded here: the matrices are small, and threads only contend on a shared machine.
    """
    with _blas_controller().limit(limits=1, user_api="blas"):
        return _fit_path(z, y, **kwargs)


_CONTROLLER: list[ThreadpoolController] = []


def _blas_controller() -> ThreadpoolController:
    """Return a process-wide ``ThreadpoolController`` (building one scans every loaded library, which
    costs ~10 ms, more than a small fit)."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0]


def _fit_path(z: np.ndarray, y: np.ndarray, *, alpha: float = 0.5, n_lambda: int = 100,
             lambda_min_ratio: float | None = None, n_folds: int = 10, seed: int = 90035,
             cross: np.ndarray | None = None, tol: float = 1e-7, refresh_every: int = 4,
             max_iter: int = 50, stop_after_min: int | None = 5) -> PathResult:
    """The work of ``fit_path``; ``cross`` may hold ``cross_products(z)`` precomputed."""
    n, p = z.shape
    y = np.asarray(y, dtype=np.float64)
    z1 = np.empty((n, p + 1))
    z1[:, 0] = 1.0
    z1[:, 1:] = z
    if cross is None:
        cross = cross_products(z)
    iu = np.triu_indices(p + 1)

    # Problems: 0 = all rows, 1..K = all rows except fold k.
    n_prob = 1 + (n_folds if n_folds > 1 else 0)
    mask = np.ones((n, n_prob))
    fold = None
    if n_prob > 1:
        rng = np.random.default_rng(seed)
        fold = rng.permutation(np.arange(n) % n_folds)
        for k in range(n_folds):
            mask[fold == k, k + 1] = 0.0
    n_k = mask.sum(axis=0)
    inv_n = 1.0 / n_k

    # Per-problem standard deviations of each predictor → penalty weights on the common scale.
    mean_k = (z.T @ mask) * inv_n  # p × K
    var_k = ((z * z).T @ mask) * inv_n - mean_k**2
    sd_k = np.sqrt(np.clip(var_k, 0.0, None)).T  # K × p
    active = np.ones((n_prob, p + 1), dtype=np.bool_)
    active[:, 1:] = sd_k > 1e-10 * max(1.0, float(np.max(sd_k)))
    r = np.zeros((n_prob, p + 1))
    r[:, 1:] = np.where(active[:, 1:], sd_k, 0.0)

    ybar = (y @ mask) * inv_n
    if lambda_min_ratio is None:
        lambda_min_ratio = 0.01 if n < p else 1e-4
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.abs(z.T @ (y - ybar[0])) / n / np.where(r[0, 1:] > 0, r[0, 1:], np.inf)
    lam_max = float(np.max(score)) / max(alpha, 1e-3)
    lambdas = lam_max * lambda_min_ratio ** (np.arange(n_lambda) / (n_lambda - 1))

    b = np.zeros((n_prob, p + 1))
    b[:, 0] = np.log(np.clip(ybar, 1e-12, None) / np.clip(1 - ybar, 1e-12, None))
    coef = np.zeros((n_lambda, p + 1))
    cv_dev = np.full((n_lambda, n_prob - 1), np.nan) if n_prob > 1 else None
    out_mask = 1.0 - mask[:, 1:]
    out_n = out_mask.sum(axis=0)
    sizes = out_n / out_n.sum() if n_prob > 1 else None
    h = np.zeros((n_prob, p + 1, p + 1))
    cross32 = cross if cross.dtype == np.float32 else cross.astype(np.float32)

    prob = np.empty((n_prob, n))
    resid = np.empty((n_prob, n))
    wmask_t = np.ascontiguousarray((mask * inv_n).T)  # K × n: problem k's weight of each row
    z1_t = np.ascontiguousarray(z1.T)
    loss = np.zeros(n_prob)
    held_dev = np.zeros(n_prob)
    grad = np.zeros((n_prob, p + 1))
    all_cols = np.arange(n_prob)

    def hessian(cols: np.ndarray) -> None:
        """Refresh the Hessians of problems ``cols`` at their current point."""
        pc = prob[cols]
        w32 = (pc * (1 - pc) * wmask_t[cols]).astype(np.float32)
        flat = w32 @ cross32  # m × (p+1)(p+2)/2, single precision: curvature only guides the steps
        for c, k in enumerate(cols):
            h[k, iu[0], iu[1]] = flat[c]
            h[k, iu[1], iu[0]] = flat[c]

    def evaluate(bb: np.ndarray, cols: np.ndarray) -> None:
        """Evaluate problems ``cols`` at ``bb[cols]``: fill their rows of prob/resid and their
        loss, held-out deviance and gradient."""
        eta = bb[cols] @ z1_t
        _link(eta, y, wmask_t, cols, prob, resid, loss, held_dev)
        grad[cols] = resid[cols] @ z1

    def objective(bb: np.ndarray, l1: np.ndarray, l2: np.ndarray) -> np.ndarray:
        return loss + (l1 * np.abs(bb)).sum(axis=1) + 0.5 * (l2 * bb * bb).sum(axis=1)

    evaluate(b, all_cols)
    hessian(all_cols)
    since_refresh = 0
    best_cvm, rising, last = np.inf, 0, n_lambda - 1
    for li, lam in enumerate(lambdas):
        l1 = lam * alpha * r
        l2 = lam * (1 - alpha) * r * r
        obj = objective(b, l1, l2)
        if since_refresh >= refresh_every:
            hessian(all_cols)
            since_refresh = 0
        since_refresh += 1
        # Each problem iterates until the Newton step it proposes, or the step it took, is negligible;
        # converged problems are not re-evaluated while the others finish.
        todo = all_cols
        for _ in range(max_iter):
            new_b = b.copy()
            new_b[todo] = _cd_quadratic(h[todo], grad[todo], b[todo], l1[todo], l2[todo], active[todo],
                                        tol * 1e-2, 500)
            step = new_b - b
            todo = todo[np.max(np.einsum("kjj->kj", h[todo]) * step[todo] ** 2, axis=1) >= tol]
            if len(todo) == 0:
                break
            evaluate(new_b, todo)
            obj_n = objective(new_b, l1, l2)
            worse = todo[obj_n[todo] > obj[todo] + 1e-13]
            if len(worse):
                # Stale curvature: halve the step of those problems until it helps, then refresh
                # their Hessians at the accepted point.
                t = 0.5
                for _ in range(40):
                    new_b[worse] = b[worse] + t * step[worse]
                    evaluate(new_b, worse)
                    obj_n = objective(new_b, l1, l2)
                    if not np.any(obj_n[worse] > obj[worse] + 1e-13):
                        break
                    t *= 0.5
                step = new_b - b
            b = new_b
            obj = obj_n
            if len(worse):
                hessian(worse)
            todo = todo[np.max(np.einsum("kjj->kj", h[todo]) * step[todo] ** 2, axis=1) >= tol]
            if len(todo) == 0:
                break
        coef[li] = b[0]
        if cv_dev is not None and sizes is not None:
            cv_dev[li] = held_dev[1:] / out_n
            cvm_now = float(cv_dev[li] @ sizes)
            if cvm_now < best_cvm:
                best_cvm, rising = cvm_now, 0
            else:
                rising += 1
            if stop_after_min and rising >= stop_after_min:
                last = li
                break
    lambdas, coef = lambdas[: last + 1], coef[: last + 1]
    if cv_dev is not None and sizes is not None:
        cvm = cv_dev[: last + 1] @ sizes
        best = int(np.argmin(cvm))
    else:
        cvm = None
        best = last
    return PathResult(lambdas=lambdas, coef=coef, cv_deviance=cvm, best=best)


def cross_products(z: np.ndarray) -> np.ndarray:
    """Return the n × (p+1)(p+2)/2 table (float32) of upper-triangle products of the rows of ``[1, z]``
    (row-major order of the upper triangle, as ``np.triu_indices``)."""
    return _cross_products(np.ascontiguousarray(z, dtype=np.float64))


@njit(cache=True)
def _cross_products(z: np.ndarray) -> np.ndarray:  # pragma: no cover
    n, p = z.shape
    q = p + 1
    out = np.empty((n, q * (q + 1) // 2), dtype=np.float32)
    row = np.empty(q)
    for i in range(n):
        row[0] = 1.0
        row[1:] = z[i]
        c = 0
        for a in range(q):
            ra = row[a]
            for b in range(a, q):
                out[i, c] = np.float32(ra * row[b])
                c += 1
    return out
