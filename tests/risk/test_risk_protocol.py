"""The FOOS protocol on the real panel: leakage, reproduction of EWP's figures, forecasts, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from r2p.errors import R2PInputError
from r2p.risk import DEFAULT_MODEL, MODELS, backtest, country_risk, forecast
from r2p.risk._features import EWP_PREDICTORS, OUTCOMES, TARGET, load_panel
from r2p.risk._protocol import Design, _one_forecast, window_risks


@pytest.fixture(scope="module")
def en(warehouse):  # noqa: ARG001
    return backtest("elastic_net")


def test_elastic_net_reproduces_ewp_published_backtest(en):
    m = en.metrics
    assert m["n_onsets"] == 39
    assert abs(m["auc"] - 0.838) <= 0.02
    assert abs(m["brier"] - 0.0083) <= 0.0005
    assert 25 <= m["top30"] <= 30
    assert {r["year"] for r in m["by_year"]} == set(range(1994, 2025))
    assert sum(r["onsets"] for r in m["by_year"]) == 39


def test_backtest_table_shape(en):
    t = en.table
    for col in ("year", "country", "ccode", "iso3", "risk_prev", "rank_prev", "risk_two_years_prior",
                "maxrisk2", "minrank2", "mk_onset"):
        assert col in t.columns
    assert t["year"].between(1994, 2024).all()
    assert not t.duplicated(["year", "ccode"]).any()
    both = t.dropna(subset=["risk_prev", "risk_two_years_prior"])
    assert np.allclose(both["maxrisk2"], np.maximum(both["risk_prev"], both["risk_two_years_prior"]))
    # risk_prev for year y is the forecast from year y-1 data: the window that trained on ≤ y-3.
    r = en.risks
    row = t[(t["year"] == 2010) & (t["iso3"] == "SDN")].iloc[0]
    src = r[(r["feature_year"] == 2009) & (r["ccode"] == row["ccode"])].iloc[0]
    assert src["last_train_year"] == 2007 and src["risk"] == row["risk_prev"]


def test_baselines_are_scored_honestly(warehouse):  # noqa: ARG001
    base = backtest("base_rate").metrics
    assert 0.45 <= base["auc"] <= 0.65          # only the time trend of the base rate separates years
    assert base["top30"] < 15                    # ties do not count as caught
    assert base["brier"] < 0.0085


def test_no_training_row_carries_information_from_after_its_cutoff(warehouse):  # noqa: ARG001
    """Poison every value a forecast may not see; the forecast must not move."""
    design = Design(EWP_PREDICTORS)
    last = 2005
    rows = design.train_rows(last)
    years = design.year[rows]
    assert years.max() == last
    # Labels of the training rows end at last + 2, before the scored onset years (last + 3, last + 4).
    assert design.panel["year"].to_numpy()[rows].max() + 2 < last + 3
    clean = window_risks("elastic_net", design, last)
    poisoned = Design(EWP_PREDICTORS)
    rng = np.random.default_rng(0)
    later = poisoned.year > last + 2                     # feature rows the window must not read
    poisoned.x[later] = rng.normal(size=(int(later.sum()), poisoned.x.shape[1]))
    future_labels = poisoned.year > last                  # outcomes of rows after the cut-off
    panel = poisoned.panel.copy()
    for col in OUTCOMES:
        panel.loc[future_labels, col] = 1 - panel.loc[future_labels, col].fillna(0)
    poisoned.panel = panel
    dirty = window_risks("elastic_net", poisoned, last)
    pd.testing.assert_frame_equal(clean, dirty)
    # The poison is real: a window that may see those rows does move.
    assert not window_risks("elastic_net", poisoned, last + 3)["risk"].equals(
        window_risks("elastic_net", design, last + 3)["risk"])


def test_forecast_as_of_a_past_year_ignores_later_rows(warehouse):  # noqa: ARG001
    design = Design(EWP_PREDICTORS)
    clean = _one_forecast("elastic_net", 2010, design)
    poisoned = Design(EWP_PREDICTORS)
    later = poisoned.year > 2010
    poisoned.x[later] = 0.0
    panel = poisoned.panel.copy()
    panel.loc[panel["year"] >= 2009, TARGET] = 1            # 2-year labels after base_year − 2
    panel.loc[panel["year"] >= 2010, "mk_onset_1"] = 1      # 1-year labels after base_year − 1
    poisoned.panel = panel
    dirty = _one_forecast("elastic_net", 2010, poisoned)
    np.testing.assert_array_equal(clean["risk_2y"], dirty["risk_2y"])
    np.testing.assert_array_equal(clean["risk_1y"], dirty["risk_1y"])


def test_live_forecast_2024(warehouse):  # noqa: ARG001
    from r2p.data import read_table

    f = forecast(2024, "elastic_net")
    assert len(f) == f["iso3"].nunique() > 150
    assert list(f["rank"]) == sorted(f["rank"])
    assert f["risk_2y"].between(0, 1).all() and f["risk_1y"].between(0, 1).all()
    assert (f["risk_1y"] < f["risk_2y"]).mean() > 0.9
    assert f["change"].notna().mean() > 0.9
    assert all(isinstance(d, str) for d in f["drivers"])
    # Comparison only (never an input): our refit agrees with EWP's published 2025-26 forecast.
    pub = read_table("ewp_published_forecasts")
    panel = load_panel()[["ewp_name", "iso3"]].drop_duplicates()
    both = f.merge(pub.merge(panel, on="ewp_name"), on="iso3")
    assert len(both) > 150
    assert np.corrcoef(both["risk_2y"], both["risk.2025and2026.from2024"])[0, 1] > 0.95


def test_country_risk(warehouse):  # noqa: ARG001
    cr = country_risk("MMR", 2024, "elastic_net")
    assert cr.iso3 == "MMR" and cr.base_year == 2024 and 1 <= cr.rank <= cr.n_countries
    assert 0 < cr.risk_1y < cr.risk_2y < 1
    assert cr.drivers and all(d.label and d.contribution != 0 for d in cr.drivers)
    assert [y for y, _ in cr.history] == list(range(1993, 2024))
    assert cr.drivers == sorted(cr.drivers, key=lambda d: -abs(d.contribution))


@pytest.mark.parametrize("call, match", [
    (lambda: backtest("elastic_nt"), "Did you mean 'elastic_net'"),
    (lambda: forecast(1990, "elastic_net"), "outside the data"),
    (lambda: forecast(2025, "elastic_net"), "outside the data"),
    (lambda: country_risk("Atlantis", 2024, "elastic_net"), "unknown country"),
])
def test_bad_input(warehouse, call, match):  # noqa: ARG001
    with pytest.raises(R2PInputError, match=match):
        call()


def test_default_model_is_registered():
    assert DEFAULT_MODEL in MODELS


def test_live_elastic_net_matches_ewp_published_coefficients(warehouse):  # noqa: ARG001
    """Comparison only: the published coefficients are read here and nowhere in r2p.risk."""
    from r2p.data import read_table
    from r2p.risk._protocol import _fit

    design = Design(EWP_PREDICTORS)
    est = _fit("elastic_net", design, design.train_rows(2022), TARGET)
    pub = read_table("ewp_published_coefficients").set_index("variable")["coef.full"].astype(float)
    theirs = np.array([pub[f] for f in EWP_PREDICTORS])
    ours_nz, theirs_nz = est.coef_ != 0, theirs != 0
    assert (ours_nz & theirs_nz).sum() >= theirs_nz.sum() - 2
    big = np.abs(theirs) > 0.3
    assert np.all(np.abs(est.coef_[big] - theirs[big]) < 0.1)


def test_tree_model_windows_in_spawned_processes_equal_serial_fits(warehouse, monkeypatch):  # noqa: ARG001
    """LightGBM refits run in spawned processes by default; they give the serial fits exactly, and a
    bad R2P_JOBS is refused by name."""
    import r2p.risk._protocol as protocol

    def not_here(*args, **kwargs):  # noqa: ARG001
        raise AssertionError("a window was fitted in the parent process")

    years = [2019, 2020, 2021]
    done: list[tuple[int, int]] = []
    with monkeypatch.context() as mp:
        mp.setattr(protocol, "window_risks", not_here)  # the spawned workers import their own
        spawned = protocol._run_windows("gbm", years, lambda d, n: done.append((d, n)), n_jobs=2)
    serial = protocol._run_windows("gbm", years, None, n_jobs=1)
    pd.testing.assert_frame_equal(spawned, serial)
    assert sorted(spawned["last_train_year"].unique().tolist()) == years
    assert done[-1] == (3, 3)
    monkeypatch.setenv("R2P_JOBS", "two")
    with pytest.raises(R2PInputError, match="R2P_JOBS"):
        protocol._run_windows("gbm", years, None, n_jobs=None)
