"""As-of predictions: inputs dated before onset, the held-out case never in its own fit, bad input.

The library calibration (as-of inputs of 19 cases and their simulator grid) is cached under
``<home>/cache/cases``; the first run in a fresh home builds it (minutes), later runs read it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from case_footprints import flip_footprint
from typer.testing import CliRunner

from r2p.cases import OnsetCase, get_case
from r2p.cases._calibrate import calibrated_prediction, loglik_table, training_cases
from r2p.cases._features import case_inputs, era_veto_rate, veto_history_council, veto_rates
from r2p.cases._predict import OUTCOMES
from r2p.cases._validate import library_calibration, onset_only, predict_cases


@pytest.fixture(scope="module")
def cal(warehouse: Path):  # type: ignore[no-untyped-def]
    return library_calibration()


def test_post_1994_inputs_are_dated_before_onset(cal) -> None:  # type: ignore[no-untyped-def]
    darfur = cal.inputs["darfur-2003"]
    assert darfur.council_source == "vote_model"
    assert darfur.council_last_draft is not None and darfur.council_last_draft < "2003-04-01"
    assert darfur.risk_base_year == 2002
    assert darfur.ga_year == 2002
    assert darfur.flags == ()
    for ci in cal.inputs.values():  # every case of the library obeys the same rules
        if ci.council_last_draft is not None:
            assert ci.council_last_draft < ci.onset_date + "-01", ci.id
        if ci.risk_base_year is not None:
            assert ci.risk_base_year < ci.onset_year, ci.id
        assert ci.ga_year is None or ci.ga_year < ci.onset_year, ci.id


def test_pre_1994_cases_are_predicted_with_flags(cal) -> None:  # type: ignore[no-untyped-def]
    bangladesh = cal.inputs["bangladesh-1971"]
    assert bangladesh.council_source == "veto_history"
    assert {"no_council_draft_votes", "no_risk_score"} <= set(bangladesh.flags)
    assert np.isnan(bangladesh.risk_1y)
    # the veto-history Council still makes stronger drafts likelier to be vetoed
    pv = bangladesh.p_veto_any()
    assert np.all(np.diff(pv) > 0)


def test_veto_record_after_onset_cannot_change_the_pre_1994_council(
        warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    onset = dt.date(1971, 3, 1)
    alignment = {"USA": 0.5, "GBR": 0.55, "FRA": 0.6, "RUS": 0.7, "CHN": 0.6}
    before = (veto_rates(onset), era_veto_rate(onset), veto_history_council(alignment, onset)[1])
    cut = tmp_path / "cut.duckdb"
    shutil.copy(warehouse, cut)
    with duckdb.connect(str(cut)) as con:
        n_after = con.execute("select count(*) from unsc_vetoes where date >= ?", [onset]).fetchone()
        con.execute("delete from unsc_vetoes where date >= ?", [onset])
        con.execute("delete from unsc_resolutions where date >= ?", [onset])
    assert n_after is not None and n_after[0] > 100
    monkeypatch.setenv("R2P_WAREHOUSE", str(cut))
    after = (veto_rates(onset), era_veto_rate(onset), veto_history_council(alignment, onset)[1])
    assert after[0] == before[0] and after[1] == before[1]
    np.testing.assert_array_equal(after[2], before[2])
    # control: removing vetoes *before* onset does change it (the test can fail)
    with duckdb.connect(str(cut)) as con:
        con.execute("delete from unsc_vetoes where date >= ?", [dt.date(1966, 1, 1)])
    assert era_veto_rate(onset) != before[1]


def test_held_out_case_truth_never_enters_its_own_prediction(cal) -> None:  # type: ignore[no-untyped-def]
    rows = cal.rows

    def predict(case_id: str, fps: dict) -> dict[str, float]:  # type: ignore[type-arg]
        c = onset_only(get_case(case_id))
        train = training_cases(c.id, c.onset_date, (c.target_state, c.onset_date), rows, "loo")
        ll = loglik_table(cal.tables, fps)
        return calibrated_prediction(c.id, cal.tables[c.id].mech, train, cal.tables, ll, fps).p

    flipped = flip_footprint(cal.footprints, "rwanda-1994")
    assert predict("rwanda-1994", flipped) == predict("rwanda-1994", cal.footprints)
    # control: another case's prediction does move when Rwanda's truth is flipped
    other_new, other_old = predict("darfur-2003", flipped), predict("darfur-2003", cal.footprints)
    assert any(abs(other_new[o] - other_old[o]) > 1e-6 for o in OUTCOMES)


def test_past_protocol_uses_only_closed_cases(cal) -> None:  # type: ignore[no-untyped-def]
    train = training_cases("darfur-2003", "2003-04", ("SDN", "2003-04"), cal.rows, "past")
    onsets = cal.rows.set_index("id")["onset_date"]
    assert train and all(onsets[t] <= "2001-03" for t in train)
    assert "sierra-leone-1997" in train and "drc-ituri-2003" not in train


def test_predict_cli_reports_bad_files_and_still_predicts_the_rest(cal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from r2p.cases._cli import app

    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "darfur-2003.yaml").write_text(
        "id: darfur-2003\ntarget_state: SDN\nonset_date: '2003-04'\n"
        "crime_types: [crimes_against_humanity, war_crimes]\nperpetrator: both\n")
    (folder / "atlantis-2001.yaml").write_text(
        "id: atlantis-2001\ntarget_state: XXA\nonset_date: '2001-05'\ncrime_types: [genocide]\n"
        "perpetrator: state\n")
    (folder / "broken-2010.yaml").write_text("id: broken-2010\ntarget_state: SDN\nonset_date: 2010\n")
    out = tmp_path / "pred.csv"
    res = CliRunner().invoke(app, ["predict", "--cases", str(folder), "--out", str(out), "--json"])
    assert res.exit_code == 2, res.output
    table = pd.read_csv(out)
    assert list(table.columns) == ["id", "p_veto_24m", "p_coercive_12m", "p_force_authorized_24m",
                                   "p_force_unauthorized_24m", "missing_inputs"]
    assert list(table["id"]) == ["darfur-2003"]
    assert table.iloc[0, 1:5].between(0, 1).all()
    assert "atlantis-2001" in res.output and "XXA" in res.output
    assert "broken-2010.yaml" in res.output and "onset_date" in res.output
    # the same case from the library gives the same (leave-one-out) prediction
    lib = predict_cases([get_case("darfur-2003")]).table.iloc[0]
    assert table.loc[0, "p_coercive_12m"] == pytest.approx(lib["p_coercive_12m"], abs=1e-4)


def test_a_new_cold_war_case_is_predicted_from_what_existed(cal) -> None:  # type: ignore[no-untyped-def]
    case = OnsetCase(id="uganda-1985", target_state="UGA", onset_date="1985-01",
                     crime_types=["crimes_against_humanity"], perpetrator="state")
    preds = predict_cases([case])
    assert not preds.failures
    row = preds.table.iloc[0]
    assert "no_council_draft_votes" in row["missing_inputs"] and "no_risk_score" in row["missing_inputs"]
    assert all(0.0 < row[f"p_{o}"] < 1.0 for o in OUTCOMES)
    assert row["n_train"] == 19  # not in the library: every library case may calibrate it
    ci = case_inputs(case)
    assert ci.ga_year == 1984
