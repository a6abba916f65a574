"""The country crosswalk every r2p part uses: ISO3, COW code (EWP variant), EWP name, display name.

Built from the countrycode code list and EWP's name sheet. States that no longer
exist and have no ISO 3166-1 code get ISO 3166-3 or r2p-assigned codes
(listed in ``HISTORICAL_ISO3``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from r2p.errors import R2PInputError, suggest

# EWP COW codes with no ISO3 in countrycode's list.
HISTORICAL_ISO3: dict[int, str] = {
    265: "DDR",  # German Democratic Republic (ISO 3166-3)
    315: "CSK",  # Czechoslovakia (ISO 3166-3)
    345: "SRB",  # EWP's Serbia (Yugoslavia before 2006) - present-day Serbia
    347: "XKX",  # Kosovo (user-assigned code in common use)
    678: "YAR",  # Yemen Arab Republic (r2p-assigned)
    680: "YMD",  # People's Democratic Republic of Yemen (ISO 3166-3)
    817: "RVN",  # Republic of Vietnam (r2p-assigned)
}

# Spellings seen in UN and case-library sources that no code-list column holds.
EXTRA_ALIASES: dict[str, str] = {
    "usa": "USA", "us": "USA", "united states": "USA", "uk": "GBR", "britain": "GBR",
    "great britain": "GBR", "united kingdom": "GBR", "ussr": "RUS", "soviet union": "RUS",
    "russia": "RUS", "russian federation": "RUS", "prc": "CHN", "zaire": "COD", "drc": "COD",
    "dr congo": "COD", "democratic republic of congo": "COD", "congo kinshasa": "COD",
    "congo brazzaville": "COG", "ivory coast": "CIV", "burma": "MMR", "burma myanmar": "MMR",
    "east timor": "TLS", "swaziland": "SWZ", "macedonia": "MKD", "turkey": "TUR", "turkiye": "TUR",
    "yugoslavia": "SRB", "serbia and montenegro": "SRB", "federal republic of yugoslavia": "SRB",
    "kosovo": "XKX", "ethipia": "ETH", "syria": "SYR", "laos": "LAO", "vietnam": "VNM",
    "viet nam": "VNM", "south korea": "KOR", "north korea": "PRK", "iran": "IRN",
    "bolivia": "BOL", "venezuela": "VEN", "tanzania": "TZA", "moldova": "MDA",
    "cape verde": "CPV", "cabo verde": "CPV", "czech republic": "CZE", "czechia": "CZE",
    "palestine": "PSE", "state of palestine": "PSE", "gambia": "GMB", "the gambia": "GMB",
    "west germany": "DEU", "federal republic of germany": "DEU", "east germany": "DDR",
    "german democratic republic": "DDR", "south vietnam": "RVN", "north yemen": "YAR",
    "south yemen": "YMD", "czechoslovakia": "CSK",
}


def normalise_name(name: str) -> str:
    """Return ``name`` folded for matching: ASCII, lower case, punctuation and 'the' removed."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    return re.sub(r"^the ", "", text)


@dataclass(frozen=True)
class Country:
    """One state in the crosswalk. ``ccode`` is the COW code as EWP uses it (None if not in EWP)."""

    iso3: str
    name: str
    ccode: int | None
    ewp_name: str | None
    iso2: str | None
    region: str | None


def build_crosswalk(codelist: pd.DataFrame, ewp_names: pd.DataFrame) -> pd.DataFrame:
    """Return the crosswalk table: one row per state with iso3, name, ccode, ewp_name, iso2, region.

    ``codelist`` is countrycode's code list, ``ewp_names`` EWP's name sheet.
    """
    cl = codelist[codelist["iso3c"].notna() | codelist["cown"].notna()].copy()
    by_cown = cl.dropna(subset=["cown"]).drop_duplicates("cown").set_index("cown")
    rows: list[tuple[str, str, int | None, str | None, str | None, str | None]] = []
    seen: set[str] = set()
    for rec in ewp_names.itertuples(index=False):
        ccode = int(rec.ccode)
        if ccode in HISTORICAL_ISO3:
            iso3 = HISTORICAL_ISO3[ccode]
            match = cl[cl["iso3c"] == iso3]
            info = match.iloc[0] if len(match) else None
        else:
            info = by_cown.loc[ccode] if ccode in by_cown.index else None
            if info is None or pd.isna(info["iso3c"]):
                raise ValueError(f"EWP ccode {ccode} ({rec.ewp_name}) has no ISO3 mapping")
            iso3 = str(info["iso3c"])
        name = str(info["country.name.en"]) if info is not None else str(rec.ewp_name)
        iso2 = str(info["iso2c"]) if info is not None and pd.notna(info["iso2c"]) else None
        region = str(info["region"]) if info is not None and pd.notna(info["region"]) else None
        rows.append((iso3, name, ccode, str(rec.ewp_name), iso2, region))
        seen.add(iso3)
    for rec in cl.dropna(subset=["iso3c"]).itertuples(index=False):
        iso3 = str(rec.iso3c)
        if iso3 in seen:
            continue
        seen.add(iso3)
        rows.append((iso3, str(rec[0]), None, None,
                     str(rec.iso2c) if pd.notna(rec.iso2c) else None,
                     str(rec.region) if pd.notna(rec.region) else None))
    out = pd.DataFrame(rows, columns=["iso3", "name", "ccode", "ewp_name", "iso2", "region"])
    out["ccode"] = out["ccode"].astype("Int64")
    return out.sort_values("iso3").reset_index(drop=True)


def build_aliases(crosswalk: pd.DataFrame, codelist: pd.DataFrame) -> pd.DataFrame:
    """Return ``(alias, iso3)`` pairs: every normalised name and code that resolves to a state."""
    pairs: dict[str, str] = {}
    known = set(crosswalk["iso3"])

    def add(alias: object, iso3: str) -> None:
        if alias is None or (isinstance(alias, float) and pd.isna(alias)) or iso3 not in known:
            return
        key = normalise_name(str(alias))
        if key:
            pairs.setdefault(key, iso3)

    for rec in crosswalk.itertuples(index=False):
        add(rec.iso3, rec.iso3)
        add(rec.name, rec.iso3)
        add(rec.ewp_name, rec.iso3)
        add(rec.iso2, rec.iso3)
        if pd.notna(rec.ccode):
            add(str(int(rec.ccode)), rec.iso3)
    for col in ("country.name.en", "iso.name.en", "un.name.en", "cow.name", "vdem.name"):
        for alias, iso3 in zip(codelist[col], codelist["iso3c"], strict=True):
            if pd.notna(iso3):
                add(alias, str(iso3))
    for alias, iso3 in EXTRA_ALIASES.items():
        pairs[normalise_name(alias)] = iso3
    return pd.DataFrame(sorted(pairs.items()), columns=["alias", "iso3"])


class CountryIndex:
    """Resolve names and codes to ``Country`` records (built from the warehouse tables)."""

    def __init__(self, crosswalk: pd.DataFrame, aliases: pd.DataFrame) -> None:
        self._by_iso3 = {
            r.iso3: Country(r.iso3, r.name, None if pd.isna(r.ccode) else int(r.ccode),
                            None if pd.isna(r.ewp_name) else r.ewp_name,
                            None if pd.isna(r.iso2) else r.iso2,
                            None if pd.isna(r.region) else r.region)
            for r in crosswalk.itertuples(index=False)
        }
        self._alias = dict(zip(aliases["alias"], aliases["iso3"], strict=True))

    def resolve(self, query: str | int) -> Country:
        """Return the ``Country`` for an ISO3/ISO2 code, COW code or name; raise ``R2PInputError``."""
        key = normalise_name(str(query))
        iso3 = self._alias.get(key)
        if iso3 is None:
            names = [c.name for c in self._by_iso3.values()] + list(self._by_iso3)
            raise R2PInputError(
                f"unknown country {query!r}: not an ISO3/ISO2/COW code or a known name."
                + suggest(str(query), names)
            )
        return self._by_iso3[iso3]

    def by_ccode(self, ccode: int) -> Country:
        """Return the ``Country`` with EWP COW code ``ccode``; raise ``R2PInputError`` if none."""
        for c in self._by_iso3.values():
            if c.ccode == ccode:
                return c
        raise R2PInputError(f"unknown COW country code {ccode}.")

    def all(self) -> list[Country]:
        """Return every state in the crosswalk, sorted by ISO3."""
        return sorted(self._by_iso3.values(), key=lambda c: c.iso3)
