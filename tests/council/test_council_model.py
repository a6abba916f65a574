"""The vote model end to end on the real record: shapes, mechanisms, levers and bad input."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from r2p.council import INSTRUMENTS, P5, RESTRAINT_PRESETS, CouncilModel, load_model
from r2p.council._model import design
from r2p.errors import R2PInputError


@pytest.fixture(scope="module")
def model(warehouse: object) -> CouncilModel:
    return load_model()


def test_vote_table_shape_and_probabilities(model: CouncilModel) -> None:
    vt = model.vote_table("SYR", 2016)
    assert list(vt.columns) == ["instrument", "member", "seat", "p_yes", "p_abstain", "p_no", "p_veto"]
    assert len(vt) == 6 * 15
    assert list(vt["instrument"].unique()) == list(INSTRUMENTS)
    assert np.allclose(vt[["p_yes", "p_abstain", "p_no"]].sum(axis=1), 1.0)
    assert (vt.loc[vt["seat"] == "elected", "p_veto"] == 0).all()
    perm = vt[vt["seat"] == "permanent"]
    assert (perm["p_veto"] <= perm["p_no"] + 1e-12).all()  # a veto is a "no" that defeats the draft
    assert (perm["p_veto"] > 0).all()
    assert list(perm["member"][:5]) == list(P5)


def test_the_record_is_learned(model: CouncilModel) -> None:
    """Russia is far likelier to veto a draft on Syria (2016) than the UK; the US on Israel."""
    syr = model.vote_table("SYR", 2016, instruments=["statement"]).set_index("member")["p_veto"]
    assert syr["RUS"] > 5 * syr["GBR"]
    isr = model.vote_table("ISR", 2018, instruments=["statement"]).set_index("member")["p_veto"]
    assert isr["USA"] > 5 * isr["FRA"]


def test_more_robust_instruments_are_harder_to_pass(model: CouncilModel) -> None:
    out = model.outlook("SYR", 2016)
    p = [d.p_pass for d in out.drafts]
    assert all(a >= b for a, b in zip(p, p[1:], strict=False))
    for d in out.drafts:
        assert d.p_pass + d.p_veto + d.p_short_of_nine == pytest.approx(1.0)
    passable = [d.instrument for d in out.drafts if d.p_pass >= 0.5]
    assert out.strongest_passable == (passable[-1] if passable else None)
    assert 1.0 <= out.expected_rounds <= len(INSTRUMENTS)


def test_restraint_lowers_vetoes_and_raises_passage_only_when_manifest(model: CouncilModel) -> None:
    base = model.outlook("SYR", 2016, manifest=True)
    pledge = model.outlook("SYR", 2016, manifest=True, restraint=RESTRAINT_PRESETS["all_p5_pledge"])
    for b, r in zip(base.drafts, pledge.drafts, strict=True):
        assert r.p_veto < b.p_veto * 0.01 + 1e-12
        assert r.p_pass >= b.p_pass
    quiet = model.outlook("SYR", 2016, manifest=False, restraint=RESTRAINT_PRESETS["all_p5_pledge"])
    plain = model.outlook("SYR", 2016, manifest=False)
    assert quiet.drafts[-1].p_veto == pytest.approx(plain.drafts[-1].p_veto)
    vt = pledge.votes
    assert np.allclose(vt[["p_yes", "p_abstain", "p_no"]].sum(axis=1), 1.0)


def test_manifest_defaults_to_ewp(model: CouncilModel) -> None:
    assert model.outlook("SYR", 2016).manifest is True  # EWP: state-led mass killing ongoing
    assert model.outlook("NOR", 2016).manifest is False


def test_before_1992_ten_typical_elected_members(model: CouncilModel) -> None:
    vt = model.vote_table("PAK", 1971, instruments=["statement"])
    assert len(vt) == 15
    assert list(vt["member"][5:]) == [f"E{i:02d}" for i in range(1, 11)]


def test_as_of_fits_only_on_earlier_drafts(warehouse: object) -> None:
    early = load_model(dt.date(2005, 1, 1))
    D = design()
    assert early.fitted.n_votes == int((D.date < np.datetime64("2005-01-01")).sum())
    assert early.fitted.last_date < "2005-01-01"
    assert load_model(dt.date(2005, 1, 1)) is early  # cached in memory
    with pytest.raises(R2PInputError):
        load_model(dt.date(1993, 1, 1))


def test_warm_calls_answer_fast(model: CouncilModel) -> None:
    model.outlook("MMR", 2017)
    started = time.perf_counter()
    for _ in range(5):
        model.outlook("MMR", 2017)
    assert (time.perf_counter() - started) / 5 < 0.5


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"target": "Narnia", "year": 2016}, "unknown country"),
    ({"target": "SYR", "year": 2030}, "outside"),
    ({"target": "SYR", "year": 2016, "instruments": ["no_fly"]}, "unknown instrument"),
    ({"target": "SYR", "year": 2016, "restraint": {"RUS": 2.0}}, r"\[0, 1\]"),
    ({"target": "SYR", "year": 2016, "restraint": {"DEU": 0.5}}, "permanent"),
])
def test_bad_input(model: CouncilModel, kwargs: dict, match: str) -> None:
    with pytest.raises(R2PInputError, match=match):
        model.vote_table(**kwargs)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5),
       st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5))
def test_more_restraint_never_lowers_passage(model: CouncilModel, low: list[float],
                                            extra: list[float]) -> None:
    """Raising any member's veto restraint can never make a draft less likely to pass."""
    r1 = dict(zip(P5, low, strict=True))
    r2 = {m: min(1.0, r1[m] + e) for m, e in zip(P5, extra, strict=True)}
    a = model.outlook("SYR", 2016, manifest=True, restraint=r1)
    b = model.outlook("SYR", 2016, manifest=True, restraint=r2)
    for x, y in zip(a.drafts, b.drafts, strict=True):
        assert y.p_pass >= x.p_pass - 1e-12
        assert y.p_veto <= x.p_veto + 1e-12


def test_early_as_of_dates_still_answer(warehouse: object) -> None:
    """Rwanda, April 1994: three months of record, no veto yet. The model still answers, with a
    permanent member's "no" taken as its veto and unseen vote classes kept possible."""
    m = load_model(dt.date(1994, 4, 7))
    assert m.fitted.veto is None
    out = m.outlook("RWA", 1994)
    assert all(0 < d.p_veto < 1 for d in out.drafts)
    perm = out.votes[out.votes["seat"] == "permanent"]
    assert np.allclose(perm["p_veto"], perm["p_no"])
