"""Council membership by year and GA alignment, on the real data."""

from __future__ import annotations

import math

import numpy as np
import pytest

from r2p.council import P5, alignment, council_members
from r2p.council._alignment import ga_scores
from r2p.data import read_table
from r2p.errors import R2PInputError


@pytest.mark.parametrize("year", [1992, 1994, 2005, 2016, 2023, 2024, 2025])
def test_fifteen_members_from_1992(warehouse: object, year: int) -> None:
    members = council_members(year)
    assert len(members) == 15
    assert [m.iso3 for m in members[:5]] == list(P5)
    assert sum(m.seat == "elected" for m in members) == 10
    assert len({m.iso3 for m in members}) == 15


def test_known_elected_members(warehouse: object) -> None:
    elected_2016 = {m.iso3 for m in council_members(2016) if m.seat == "elected"}
    assert elected_2016 == {"AGO", "EGY", "ESP", "JPN", "MYS", "NZL", "SEN", "UKR", "URY", "VEN"}
    elected_1994 = {m.iso3 for m in council_members(1994)}
    assert "RWA" in elected_1994 and "NGA" in elected_1994


def test_p5_only_before_1992_and_errors_outside_data(warehouse: object) -> None:
    assert [m.iso3 for m in council_members(1971)] == list(P5)
    for bad in (1945, 2026, "soon"):
        with pytest.raises(R2PInputError):
            council_members(bad)  # type: ignore[arg-type]


def test_alignment_orders_known_pairs(warehouse: object) -> None:
    assert alignment("USA", "GBR", 2000).agreement > alignment("USA", "CUB", 2000).agreement
    assert alignment("RUS", "SYR", 2015).agreement > alignment("USA", "SYR", 2015).agreement + 0.3
    usa_isr, usa_irn = alignment("USA", "ISR", 2010), alignment("USA", "IRN", 2010)
    assert usa_isr.ideal_point_distance < usa_irn.ideal_point_distance
    a, b = alignment("CHN", "SDN", 2005), alignment("SDN", "CHN", 2005)
    assert a.agreement == pytest.approx(b.agreement) and 0 <= a.agreement <= 1
    assert alignment("FRA", "FRA", 2001).agreement == 1.0


def test_serbia_alignment_comes_from_the_yugoslavia_rows(warehouse: object) -> None:
    """The GA vote file codes Serbia (and the FRY and SFRY before it) "YU", which the crosswalk does
    not resolve; those votes are SRB's. The FRY cast none from late 1992 to its admission in 2000."""
    yu = read_table("ga_votes").query("country_code == 'YU'")
    srb = ga_scores().query("iso3 == 'SRB'")
    assert len(srb) == len(yu) > 5000
    assert set(srb["rcid"]) == set(yu["rcid"])
    usa, rus = alignment("USA", "SRB", 2000), alignment("RUS", "SRB", 2000)
    assert (usa.data_year, rus.data_year) == (2000, 2000)
    assert 0 < usa.agreement < 0.6 and rus.agreement > usa.agreement + 0.3  # 0.43 and 0.91
    assert not math.isnan(usa.ideal_point_distance)
    assert alignment("CHN", "SRB", 1985).agreement > alignment("USA", "SRB", 1985).agreement
    assert math.isnan(alignment("USA", "SRB", 1999).agreement)  # no FRY votes 1993-1999


def test_serbia_drafts_use_real_alignment_not_the_fill(warehouse: object) -> None:
    """P5 votes on the Kosovo / FRY / ICTY drafts from 2001 on see the members' GA agreement with
    Serbia (the previous year's), not the fill value 0.6 for a state without GA votes."""
    from r2p.council._features import _FILL_AGREE, FEATURES
    from r2p.council._model import design

    d = design()
    rows = d.permanent & (d.target == "SRB") & (d.date >= np.datetime64("2001-01-01"))
    agree = d.X[rows, FEATURES.index("agree_target")]
    assert rows.sum() >= 5 * 35  # 39 drafts
    assert not np.isclose(agree, _FILL_AGREE).any()
    by_member = {m: agree[d.member[rows] == m].mean() for m in P5}
    assert by_member["RUS"] > by_member["USA"] + 0.2


def test_years_after_the_data_are_carried_forward_and_flagged(warehouse: object) -> None:
    late = alignment("USA", "RUS", 2024)
    assert late.carried_forward and late.data_year == 2019
    assert late.agreement == pytest.approx(alignment("USA", "RUS", 2019).agreement)
    assert not alignment("USA", "RUS", 2019).carried_forward
    gap = alignment("USA", "GBR", 1964)  # no GA roll calls recorded in 1964
    assert gap.carried_forward and gap.data_year == 1963
    assert not math.isnan(gap.agreement)


def test_alignment_bad_input(warehouse: object) -> None:
    with pytest.raises(R2PInputError, match="Did you mean"):
        alignment("USA", "Syriaa", 2010)
    with pytest.raises(R2PInputError):
        alignment("USA", "GBR", 1900)
