"""Early-warning models as scikit-learn estimators (hyper-parameters in ``__init__``, ``fit`` returns
``self``, learned state ends in ``_``, ``predict_proba`` returns class probabilities).

Each estimator names the predictor set it expects in ``feature_set`` (a key of
``FEATURE_SETS``); the protocol builds the matrix, the estimator itself only sees numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from r2p.risk._glmnet import cross_products, fit_path


class _BinaryRisk(ClassifierMixin, BaseEstimator):
    """Shared plumbing: input checks, binary labels, ``predict_proba`` from ``_risk``."""

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # type: ignore[union-attr]
        return tags

    def _check_fit(self, X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        X, y = validate_data(self, X, y, dtype=np.float64)
        kind = type_of_target(y, raise_unknown=True)
        if kind not in ("binary", "unary"):
            raise ValueError(f"Only binary classification is supported; got target type {kind}.")
        self.classes_, yi = np.unique(y, return_inverse=True)
        return X, (yi == (len(self.classes_) - 1)).astype(np.float64) if len(self.classes_) > 1 else \
            np.zeros(len(y))

    def _risk(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def predict_proba(self, X: Any) -> np.ndarray:
        """Return an (n, 2) array: column 1 is the probability of the positive class (0–1)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        risk = np.clip(self._risk(X), 0.0, 1.0)
        if len(self.classes_) == 1:
            return np.ones((len(X), 1))
        return np.column_stack([1.0 - risk, risk])

    def predict(self, X: Any) -> np.ndarray:
        """Return the more probable class label for each row."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class BaseRate(_BinaryRisk):
    """Always forecast the training base rate (the share of positive rows)."""

    fork_safe = True  # NumPy/Numba only: backtest windows may run in forked processes

    feature_set = "none"

    def __init__(self, feature_set: str = "none") -> None:
        self.feature_set = feature_set

    def fit(self, X: Any, y: Any) -> BaseRate:
        """Learn the base rate; return ``self``."""
        X, yy = self._check_fit(X, y)
        self.base_rate_ = float(yy.mean())
        return self

    def _risk(self, X: np.ndarray) -> np.ndarray:
        return np.full(len(X), self.base_rate_)


class OnsetLastYear(_BinaryRisk):
    """Forecast the training rate of positives among rows with and without a flag in column 0
    (by default ``mk_onset_prev_year``); add-one smoothed."""

    fork_safe = True  # NumPy/Numba only: backtest windows may run in forked processes

    def __init__(self, feature_set: str = "onset_last_year") -> None:
        self.feature_set = feature_set

    def fit(self, X: Any, y: Any) -> OnsetLastYear:
        """Learn the two rates; return ``self``."""
        X, yy = self._check_fit(X, y)
        flag = X[:, 0] > 0
        self.rate_flagged_ = float((yy[flag].sum() + 1.0) / (flag.sum() + 2.0))
        self.rate_other_ = float((yy[~flag].sum() + 1.0) / ((~flag).sum() + 2.0))
        return self

    def _risk(self, X: np.ndarray) -> np.ndarray:
        return np.where(X[:, 0] > 0, self.rate_flagged_, self.rate_other_)


class ElasticNetEWP(_BinaryRisk):
    """EWP's model: logistic elastic net (``alpha`` = L1 share of the penalty), predictors standardised
    internally, λ chosen by ``n_folds``-fold CV over a ``n_lambda`` path (λ.min), seeded folds.

    ``coef_``/``intercept_`` are on the original predictor scale (log-odds per unit).
    """

    fork_safe = True  # NumPy/Numba only: backtest windows may run in forked processes

    def __init__(self, feature_set: str = "ewp", alpha: float = 0.5, n_lambda: int = 100,
                 n_folds: int = 10, seed: int = 90035, stop_after_min: int | None = 5) -> None:
        self.feature_set = feature_set
        self.alpha = alpha
        self.n_lambda = n_lambda
        self.n_folds = n_folds
        self.seed = seed
        self.stop_after_min = stop_after_min

    def fit(self, X: Any, y: Any, *, scale: tuple[np.ndarray, np.ndarray] | None = None,
            cross: np.ndarray | None = None) -> ElasticNetEWP:
        """Fit the path and pick λ.min; return ``self``.

        ``scale`` (means, sds) and ``cross`` (``cross_products`` of the rows scaled that way) may be
        passed by a caller that fits many nested row sets; the result is the same as without them.
        """
        X, yy = self._check_fit(X, y)
        if len(self.classes_) < 2:
            self.coef_ = np.zeros(X.shape[1])
            self.intercept_ = -np.inf if len(self.classes_) == 1 else 0.0
            self.lambda_ = np.nan
            return self
        if scale is None:
            mean, sd = X.mean(axis=0), X.std(axis=0)
        else:
            mean, sd = scale
        sd = np.where(sd > 0, sd, 1.0)
        z = (X - mean) / sd
        if cross is None:
            cross = cross_products(z)
        n_folds = self.n_folds if len(yy) >= 3 * self.n_folds and yy.sum() > 0 else 0
        path = fit_path(z, yy, alpha=self.alpha, n_lambda=self.n_lambda, n_folds=n_folds, seed=self.seed,
                        cross=cross, stop_after_min=self.stop_after_min)
        gamma = path.coef[path.best]
        self.coef_ = gamma[1:] / sd
        self.intercept_ = float(gamma[0] - np.sum(gamma[1:] * mean / sd))
        self.lambda_ = float(path.lambdas[path.best])
        self.lambdas_ = path.lambdas
        self.cv_deviance_ = path.cv_deviance
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Return the log-odds of the positive class for each row."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Return each row's per-feature log-odds terms ``coef_ * x`` (n × p)."""
        check_is_fitted(self)
        return np.asarray(X, dtype=np.float64) * self.coef_

    def _risk(self, X: np.ndarray) -> np.ndarray:
        eta = X @ self.coef_ + self.intercept_
        return 0.5 * (1.0 + np.tanh(0.5 * eta))


def _inner_cutoffs(years: np.ndarray, n_inner: int) -> range:
    """Return the time-ordered validation cut-offs inside a training window: the ``n_inner`` years
    c = last − 4·n_inner, …, last − 4 (every 4 years); train on years ≤ c, validate on c+3 and c+4."""
    last = int(np.max(years))
    return range(last - 4 * n_inner, last - 3, 4)


class GradientBoosting(_BinaryRisk):
    """LightGBM gradient-boosted trees with the number of trees chosen inside the training data by
    time-ordered validation: for each of ``n_inner`` cut-offs c (the last ``4 · n_inner`` years of the
    training rows, every 4 years), fit on rows with year ≤ c and score rows with year c+3 and c+4
    (so training and validation outcome windows never overlap); pick the tree count with the lowest
    mean validation log loss, then refit on everything. Needs the row years, given as ``years`` to
    ``fit``; without them (e.g. in generic checks) ``n_estimators`` trees are used.
    ``inner_predictions_`` keeps, per cut-off, (c, validation row indices, their risk with the chosen
    tree count), for a blend that chooses its weight on the same validation rows.

    Fixed a priori (not tuned on scored years): shallow trees, slow learning rate, row and column
    subsampling, and an L2 penalty.
    """

    def __init__(self, feature_set: str = "ewp+derived", n_estimators: int = 400, learning_rate: float = 0.02,
                 num_leaves: int = 7, min_child_samples: int = 40, subsample: float = 0.8,
                 colsample_bytree: float = 0.7, reg_lambda: float = 5.0, n_inner: int = 3,
                 seed: int = 0) -> None:
        self.feature_set = feature_set
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.n_inner = n_inner
        self.seed = seed

    def _booster(self, n_estimators: int) -> Any:
        from lightgbm import LGBMClassifier

        return LGBMClassifier(n_estimators=n_estimators, learning_rate=self.learning_rate,
                              num_leaves=self.num_leaves, min_child_samples=self.min_child_samples,
                              subsample=self.subsample, subsample_freq=1,
                              colsample_bytree=self.colsample_bytree,
                              reg_lambda=self.reg_lambda, random_state=self.seed, n_jobs=1, verbose=-1)

    def fit(self, X: Any, y: Any, *, years: np.ndarray | None = None) -> GradientBoosting:
        """Choose the tree count by time-ordered validation (when ``years`` is given), refit;
        return ``self``."""
        X, yy = self._check_fit(X, y)
        self.n_trees_ = self.n_estimators
        self.inner_predictions_: list[tuple[int, np.ndarray, np.ndarray]] = []
        if len(self.classes_) < 2:
            self.constant_: float | None = float(yy.mean())
            return self
        self.constant_ = None
        if years is not None and self.n_inner > 0:
            years = np.asarray(years)
            grid = np.arange(25, self.n_estimators + 1, 25)
            losses = np.zeros(len(grid))
            inner = []
            for c in _inner_cutoffs(years, self.n_inner):
                train, valid = years <= c, (years > c + 2) & (years <= c + 4)
                if yy[train].sum() < 5 or valid.sum() == 0:
                    continue
                booster = self._booster(self.n_estimators).fit(X[train], yy[train]).booster_
                yv = yy[valid]
                preds = np.empty((int(valid.sum()), len(grid)))
                for i, k in enumerate(grid):
                    p = np.clip(booster.predict(X[valid], num_iteration=int(k)), 1e-6, 1 - 1e-6)
                    preds[:, i] = p
                    losses[i] += -np.mean(yv * np.log(p) + (1 - yv) * np.log(1 - p))
                inner.append((c, valid, preds))
            if inner:
                best = int(np.argmin(losses))
                self.n_trees_ = int(grid[best])
                self.inner_predictions_ = [(c, np.flatnonzero(v), pr[:, best]) for c, v, pr in inner]
        self.model_ = self._booster(self.n_trees_).fit(X, yy)
        return self

    def _risk(self, X: np.ndarray) -> np.ndarray:
        if self.constant_ is not None:
            return np.full(len(X), self.constant_)
        return self.model_.predict_proba(X)[:, 1]

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Return each row's per-feature log-odds contributions (TreeSHAP), n × p."""
        check_is_fitted(self)
        if self.constant_ is not None:
            return np.zeros(np.shape(X))
        return np.asarray(self.model_.predict_proba(np.asarray(X, float), pred_contrib=True))[:, :-1]


class Blend(_BinaryRisk):
    """Average, in log-odds, of the elastic net and gradient boosting fitted on the same rows
    (``weight`` = share of the boosting model; ``linear_columns``: the elastic net sees only the first
    that many columns, e.g. 39 = EWP's own predictors, None = all).

    ``weight=None`` chooses the share inside the training rows: at the boosting model's time-ordered
    validation cut-offs (see ``GradientBoosting``) an elastic net is fitted on years ≤ c, both members'
    validation risks (years c+3, c+4) are blended with each share in ``weight_grid``, and the share
    with the lowest mean validation log loss is used (ties: the first in the grid). The boosting
    member's validation risks use the tree count it chose on those same rows, which flatters it (in
    the backtest the share was ¾ or 1 in 26 of 31 windows). ``weight_`` is the share used.
    """

    def __init__(self, feature_set: str = "ewp+derived", weight: float | None = 0.5,
                 linear_columns: int | None = None, seed: int = 0,
                 weight_grid: tuple[float, ...] = (0.5, 0.25, 0.75, 0.0, 1.0)) -> None:
        self.feature_set = feature_set
        self.weight = weight
        self.linear_columns = linear_columns
        self.seed = seed
        self.weight_grid = weight_grid

    def _lin(self, X: np.ndarray) -> np.ndarray:
        return X if self.linear_columns is None else X[:, : self.linear_columns]

    def fit(self, X: Any, y: Any, *, years: np.ndarray | None = None,
            scale: tuple[np.ndarray, np.ndarray] | None = None, cross: np.ndarray | None = None) -> Blend:
        """Fit both members (and choose the weight when ``weight`` is None); return ``self``."""
        X, yy = self._check_fit(X, y)
        linear = ElasticNetEWP(feature_set=self.feature_set, seed=90035)
        if self.linear_columns is None:
            self.linear_ = linear.fit(X, y, scale=scale, cross=cross)
        else:
            self.linear_ = linear.fit(self._lin(X), y)
        self.trees_ = GradientBoosting(feature_set=self.feature_set, seed=self.seed).fit(X, y, years=years)
        self.weight_ = 0.5 if self.weight is None else float(self.weight)
        if self.weight is None and years is not None and self.trees_.inner_predictions_:
            years = np.asarray(years)
            grid = np.asarray(self.weight_grid, dtype=float)
            losses = np.zeros(len(grid))
            for c, valid, p_gb in self.trees_.inner_predictions_:
                train = years <= c
                lin = ElasticNetEWP(feature_set=self.feature_set, seed=90035)
                lin.fit(self._lin(X[train]), yy[train])
                p_lin = np.clip(lin.predict_proba(self._lin(X[valid]))[:, -1], 1e-9, 1 - 1e-9)
                yv = yy[valid]
                for i, w in enumerate(grid):
                    p = _mix(p_lin, np.clip(p_gb, 1e-9, 1 - 1e-9), w)
                    losses[i] += -np.mean(yv * np.log(p) + (1 - yv) * np.log(1 - p))
            self.weight_ = float(grid[int(np.argmin(losses))])
        return self

    def _risk(self, X: np.ndarray) -> np.ndarray:
        p_lin = np.clip(self.linear_.predict_proba(self._lin(X))[:, -1], 1e-9, 1 - 1e-9)
        p_gb = np.clip(self.trees_.predict_proba(X)[:, -1], 1e-9, 1 - 1e-9)
        return _mix(p_lin, p_gb, self.weight_)

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Return per-feature log-odds contributions, the weighted sum of both members', n × p."""
        check_is_fitted(self)
        lin = np.zeros(np.shape(X))
        lin[:, : np.shape(self._lin(np.asarray(X)))[1]] = self.linear_.contributions(self._lin(np.asarray(X)))
        return (1 - self.weight_) * lin + self.weight_ * self.trees_.contributions(X)


def _mix(p_lin: np.ndarray, p_gb: np.ndarray, weight: float) -> np.ndarray:
    """Return the probability whose log-odds are (1 − weight)·logit(p_lin) + weight·logit(p_gb)."""
    z = (1 - weight) * np.log(p_lin / (1 - p_lin)) + weight * np.log(p_gb / (1 - p_gb))
    return 1.0 / (1.0 + np.exp(-z))
