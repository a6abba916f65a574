"""Council membership by year and GA alignment, on the real data."""

from __future__ import annotations

import math

import pytest

from r2p.council import P5, alignment, council_members
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
