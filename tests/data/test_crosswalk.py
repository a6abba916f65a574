"""The country crosswalk resolves every spelling the datasets use."""

from __future__ import annotations

from pathlib import Path

import pytest

from r2p.data import countries, read_table, resolve_country
from r2p.errors import R2PInputError


@pytest.mark.parametrize(
    ("query", "iso3"),
    [("SDN", "SDN"), ("sudan", "SDN"), ("Burma/Myanmar", "MMR"), ("Russian Federation", "RUS"),
     ("USSR", "RUS"), (345, "SRB"), ("Côte d’Ivoire", "CIV"), ("Ethipia", "ETH"), ("SY", "SYR"),
     ("Bolivia (Plurinational State of)", "BOL"), ("Democratic Republic of the Congo", "COD"),
     ("Republic of Vietnam", "RVN")],
)
def test_resolves(warehouse: Path, query: str | int, iso3: str) -> None:
    assert resolve_country(query).iso3 == iso3


def test_every_ewp_country_resolves_both_ways(warehouse: Path) -> None:
    panel = read_table("ewp_panel")[["ewp_name", "ccode"]].drop_duplicates()
    index = countries()
    for name, ccode in panel.itertuples(index=False):
        by_name = index.resolve(name)
        assert by_name.ccode == ccode
        assert index.by_ccode(int(ccode)).iso3 == by_name.iso3


def test_every_draft_vote_member_resolves(warehouse: Path) -> None:
    members = read_table("unsc_draft_votes_raw")["Member State"].dropna().unique()
    index = countries()
    unresolved = []
    for m in members:
        try:
            index.resolve(m)
        except R2PInputError:
            unresolved.append(m)
    assert unresolved == []


def test_unknown_suggests_close_matches(warehouse: Path) -> None:
    with pytest.raises(R2PInputError, match="unknown country 'Sudann'.*'Sudan'"):
        resolve_country("Sudann")
