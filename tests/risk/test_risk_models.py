"""The estimators follow scikit-learn's contract."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.utils.estimator_checks import check_estimator

from r2p.risk import MODELS
from r2p.risk._models import BaseRate, ElasticNetEWP, OnsetLastYear

# Baselines are deliberately weak: they cannot reach the accuracy check_classifiers_train demands.
_WEAK = {"check_classifiers_train": "a baseline does not learn from X"}


@pytest.mark.parametrize("est, expected", [
    (BaseRate(), _WEAK), (OnsetLastYear(), _WEAK), (ElasticNetEWP(n_lambda=20), {})])
def test_check_estimator(est, expected):
    results = check_estimator(est, on_fail=None, expected_failed_checks=expected)
    failed = [r["check_name"] for r in results if r["status"] == "failed"]
    assert failed == []


def test_registry_makes_fresh_unfitted_estimators():
    for name, factory in MODELS.items():
        est = factory()
        assert not any(k.endswith("_") and not k.startswith("_") for k in vars(est)), name
        assert factory() is not est


def test_elastic_net_recovers_signal_and_is_sparse():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 8))
    eta = -3 + 1.5 * x[:, 0] - 1.0 * x[:, 1]
    y = (rng.random(3000) < 1 / (1 + np.exp(-eta))).astype(int)
    est = ElasticNetEWP(seed=1).fit(x, y)
    assert est.coef_[0] > 0.8 and est.coef_[1] < -0.5
    assert np.all(np.abs(est.coef_[2:]) < 0.2)
    p = est.predict_proba(x)[:, 1]
    assert abs(p.mean() - y.mean()) < 0.01


def test_gradient_boosting_contract_and_time_ordered_tree_choice():
    from r2p.risk._models import GradientBoosting

    results = check_estimator(GradientBoosting(n_estimators=50), on_fail=None)
    assert [r["check_name"] for r in results if r["status"] == "failed"] == []
    rng = np.random.default_rng(3)
    years = np.repeat(np.arange(1980, 2000), 200)
    x = rng.normal(size=(len(years), 4))
    y = (rng.random(len(years)) < 1 / (1 + np.exp(-(-3 + 1.2 * x[:, 0])))).astype(int)
    est = GradientBoosting(n_estimators=200, seed=5).fit(x, y, years=years)
    assert est.n_trees_ in range(25, 201, 25)
    again = GradientBoosting(n_estimators=200, seed=5).fit(x, y, years=years)
    assert np.array_equal(est.predict_proba(x), again.predict_proba(x))
    contrib = est.contributions(x[:50])
    assert contrib.shape == (50, 4)
    assert np.mean(np.abs(contrib[:, 0])) > np.mean(np.abs(contrib[:, 1:]))


def test_public_namespace():
    import r2p.risk

    expected = ["DEFAULT_MODEL", "MODELS", "MODEL_VERSION", "BacktestResult", "CountryRisk", "Driver",
                "backtest", "country_risk", "forecast"]
    assert sorted(r2p.risk.__all__) == sorted(expected)
    assert {"base_rate", "onset_last_year", "elastic_net"} <= set(r2p.risk.MODELS)


def test_blend_chooses_its_weight_by_time_ordered_validation():
    """With a signal only trees can see (an interaction), the in-window choice leans on the trees."""
    from r2p.risk._models import Blend

    rng = np.random.default_rng(11)
    years = np.repeat(np.arange(1970, 2000), 300)
    x = rng.normal(size=(len(years), 3))
    eta = -3.5 + 3.0 * ((x[:, 0] > 0) == (x[:, 1] > 0)) - 1.5 * ((x[:, 0] > 0) != (x[:, 1] > 0))
    y = (rng.random(len(years)) < 1 / (1 + np.exp(-eta))).astype(int)
    est = Blend(weight=None).fit(x, y, years=years)
    assert est.weight_ >= 0.75
    assert est.weight_ in Blend().weight_grid
    fixed = Blend(weight=0.25).fit(x, y, years=years)
    assert fixed.weight_ == 0.25
