"""Who sits on the Security Council in a given year.

Sources: ``unsc_membership`` (Madore; elected terms 1992–2023 complete, 2024
half-listed) and, for 2024–2025, the members recorded as voting in the cleaned
draft-vote record. Before 1992 the shipped data hold no elected membership, so
:func:`council_members` returns the five permanent members only (and says so in
its docstring and in ``docs/council.md``). For 1946–1991 the permanent seats held
by the USSR and the Republic of China are reported as RUS and CHN.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from r2p.data import read_table, resolve_country
from r2p.errors import R2PInputError

#: The permanent members, ISO3, in the fixed order used by every array in this package.
P5: tuple[str, ...] = ("USA", "GBR", "FRA", "RUS", "CHN")
P5_NAMES = {"USA": "United States", "GBR": "United Kingdom", "FRA": "France",
            "RUS": "Russian Federation", "CHN": "China"}

FIRST_YEAR = 1946  # the Council's first year
FIRST_FULL_YEAR = 1992  # first year with elected membership in the data
LAST_YEAR = 2025  # last year with membership (from the vote record)


@dataclass(frozen=True)
class Member:
    """One seat on the Council: ISO3 code, English short name and seat (``permanent`` | ``elected``)."""

    iso3: str
    name: str
    seat: str


@lru_cache(maxsize=4096)
def _resolve_cached(query: str) -> tuple[str, str, str]:
    c = resolve_country(query)
    return c.iso3, c.name, str(c.region)


def resolve_iso3(query: str) -> str:
    """Return the ISO3 code of a country code or name (``R2PInputError`` with suggestions if unknown)."""
    if not isinstance(query, str) or not query.strip():
        raise R2PInputError(f"country must be a code or a name, got {query!r}.")
    return _resolve_cached(query.strip())[0]


def country_name(iso3: str) -> str:
    """Return the English short name of a country code."""
    return _resolve_cached(iso3)[1]


def country_region(iso3: str) -> str:
    """Return the World Bank region of a country code (as in the warehouse ``countries`` table)."""
    return _resolve_cached(iso3)[2]


def check_year(year: int, *, field: str = "year") -> int:
    """Return ``year`` as int if the Council data cover it (1946–2025), else raise ``R2PInputError``."""
    try:
        y = int(year)
    except (TypeError, ValueError):
        raise R2PInputError(f"{field} must be a whole year, got {year!r}.") from None
    if not FIRST_YEAR <= y <= LAST_YEAR:
        raise R2PInputError(
            f"{field}={y} is outside the Security Council data ({FIRST_YEAR}–{LAST_YEAR}).")
    return y


@lru_cache(maxsize=1)
def _elected_by_year() -> dict[int, tuple[str, ...]]:
    from r2p.council._cache import cached

    return cached("elected_by_year", _build_elected)


def _build_elected() -> dict[int, tuple[str, ...]]:
    terms = read_table("unsc_membership")
    terms = terms[terms["seat"] == "elected"]
    out: dict[int, list[str]] = {}
    for row in terms.itertuples(index=False):
        from r2p.council._records import MEMBER_NAME_FIXES

        name = str(row.country_org)
        iso = MEMBER_NAME_FIXES.get(name) or resolve_country(name).iso3
        for y in range(max(int(row.start_year), FIRST_FULL_YEAR), int(row.end_year) + 1):
            out.setdefault(y, []).append(iso)
    # 2024 is half-listed in the terms file and 2025 absent: take who voted that year.
    from r2p.council._records import load_votes

    votes = load_votes()
    for y in (2024, 2025):
        members = votes.loc[(votes["year"] == y) & ~votes["permanent"], "member"].value_counts()
        # A member must vote on at least a fifth of the year's drafts (drops stray rows).
        n_drafts = votes.loc[votes["year"] == y, "draft_id"].nunique()
        out[y] = sorted(members[members >= 0.2 * n_drafts].index)
    return {y: tuple(sorted(set(v))) for y, v in out.items()}


def council_members(year: int) -> list[Member]:
    """Return the Council's members in ``year``: the P5 (in ``P5`` order) then the elected, by ISO3.

    From 1992 on this is 15 members. For 1946–1991 the data hold no elected
    membership and only the five permanent members are returned. Years outside
    1946–2025 raise ``R2PInputError``.
    """
    return list(_members(check_year(year)))


@lru_cache(maxsize=128)
def _members(year: int) -> tuple[Member, ...]:
    y = year
    members = [Member(iso, P5_NAMES[iso], "permanent") for iso in P5]
    if y >= FIRST_FULL_YEAR:
        for iso in _elected_by_year().get(y, ()):
            members.append(Member(iso, country_name(iso), "elected"))
    return tuple(members)
