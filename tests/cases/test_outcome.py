"""The outcome layer: the veto-record model reads only the record before onset, the statistical
model and blend behave as documented, and the held-out case's truth never enters its prediction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from case_footprints import flip_footprint

from r2p.cases import get_case
from r2p.cases._calibrate import calibrated_prediction, loglik_table, training_cases
from r2p.cases._features import onset_day
from r2p.cases._outcome import blend_weight, fit_stat
from r2p.cases._predict import OUTCOMES
from r2p.cases._validate import library_calibration, onset_only, outcome_layer
from r2p.cases._veto_record import (
    PRIOR_VETO_YEARS,
    _all_units,
    _features_at,
    _name_pattern,
    _records,
    agenda_states,
    p_veto_record,
    training_units,
    veto_record_features,
    veto_record_model,
)


def _clear_veto_caches() -> None:
    for f in (_records, _all_units, veto_record_model, _name_pattern):
        f.cache_clear()


@pytest.fixture()
def fresh_caches() -> Iterator[None]:
    _clear_veto_caches()
    yield
    _clear_veto_caches()


def test_agenda_items_name_their_states(warehouse: Path) -> None:
    assert agenda_states("Reports of the Secretary-General on the Sudan and South Sudan") == {"SDN", "SSD"}
    assert agenda_states("The situation in South Sudan") == {"SSD"}
    assert agenda_states("The India-Pakistan question") == {"IND", "PAK"}
    assert agenda_states("The situation in Niger") == {"NER"}
    assert agenda_states("Guinea-Bissau") == {"GNB"}
    assert agenda_states("The situation in the Democratic Republic of the Congo") == {"COD"}
    assert agenda_states("Admission of new Members") == set()


def test_veto_record_units_close_before_onset(warehouse: Path) -> None:
    as_of = dt.date(1971, 3, 1)
    units = training_units(as_of)
    assert len(units) > 100 and units["year"].max() <= 1968
    # the vectorised features of a unit equal the date-based ones at the end of its year
    vetoes, _, drafts = _records()
    sample = units[units["prior_veto"] > 0].head(5)
    assert len(sample) == 5
    for r in pd.concat([sample, units.sample(5, random_state=1)]).itertuples(index=False):
        prior, era = _features_at(r.iso3, pd.Timestamp(r.year + 1, 1, 1), vetoes, drafts)
        assert r.prior_veto == pytest.approx(prior) and r.log_era_rate == pytest.approx(era)
    # Pakistan had Council vetoes on the India–Pakistan question in the 15 years before 1971
    assert veto_record_features("PAK", as_of)["prior_veto"] > 0
    assert veto_record_features("KHM", dt.date(1975, 4, 1))["prior_veto"] == 0
    assert PRIOR_VETO_YEARS == 15


def test_veto_record_after_onset_cannot_change_the_prediction(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_caches: None) -> None:
    as_of = dt.date(2008, 5, 1)  # Myanmar (Cyclone Nargis); China and Russia vetoed in Jan 2007
    before = p_veto_record("MMR", as_of)
    cut = tmp_path / "cut.duckdb"
    shutil.copy(warehouse, cut)
    with duckdb.connect(str(cut)) as con:
        for table in ("unsc_vetoes", "unsc_resolutions", "unsc_meetings"):
            con.execute(f"delete from {table} where date >= ?", [as_of])
    monkeypatch.setenv("R2P_WAREHOUSE", str(cut))
    _clear_veto_caches()
    assert p_veto_record("MMR", as_of) == before
    # control: removing the 2007 veto (before onset) does change it
    with duckdb.connect(str(cut)) as con:
        con.execute("delete from unsc_vetoes where crisis_topic = 'Myanmar'")
    _clear_veto_caches()
    assert p_veto_record("MMR", as_of) < before


def test_stat_model_follows_the_data_and_shrinks() -> None:
    x = np.array([[0.0], [0.0], [0.5], [0.5], [1.0], [1.0], [1.0], [0.0]])
    y = np.array([1, 1, 1, 0, 0, 0, 0, 1], dtype=float)
    m = fit_stat(x, y)
    assert m(np.array([0.0])) > 0.7 > 0.3 > m(np.array([1.0]))
    # a feature that does not vary says nothing: the smoothed base rate
    flat = fit_stat(np.ones((8, 1)), y)
    assert flat(np.array([1.0])) == pytest.approx(expit_base(y), abs=1e-6)


def expit_base(y: np.ndarray) -> float:
    return float((y.sum() + 0.5) / (len(y) + 1.0))


def test_blend_weight_picks_the_better_component() -> None:
    y = [0, 1, 0, 1, 1]
    assert blend_weight([0.5] * 5, [0.0, 1.0, 0.0, 1.0, 1.0], y) == 1.0
    assert blend_weight([0.0, 1.0, 0.0, 1.0, 1.0], [0.5] * 5, y) == 0.0
    assert blend_weight([0.3] * 5, [0.3] * 5, y) == 0.5  # tie: the middle


def test_held_out_truth_never_enters_the_outcome_layer(warehouse: Path) -> None:
    cal = library_calibration()

    def predict(case_id: str, c_cal) -> dict[str, float]:  # type: ignore[no-untyped-def]
        c = onset_only(get_case(case_id))
        train = training_cases(c.id, c.onset_date, (c.target_state, c.onset_date), c_cal.rows, "loo")
        item = calibrated_prediction(c.id, c_cal.tables[c.id].mech, train, c_cal.tables, c_cal.ll,
                                     c_cal.footprints)
        return outcome_layer(item, c_cal.inputs[c.id], c_cal.settings[c.id], onset_day(c), train, c_cal).p

    flipped = flip_footprint(cal.footprints, "rwanda-1994")
    other = dataclasses.replace(cal, footprints=flipped, ll=loglik_table(cal.tables, flipped))
    assert predict("rwanda-1994", other) == predict("rwanda-1994", cal)
    # control: another case's prediction does move when Rwanda's truth is flipped
    new, old = predict("darfur-2003", other), predict("darfur-2003", cal)
    assert any(abs(new[o] - old[o]) > 1e-6 for o in OUTCOMES if o != "veto_24m")
    assert new["veto_24m"] == old["veto_24m"]  # the veto record does not read the library
