"""The veto record as of a date: how often the Council's agenda states drew a veto.

``veto_24m`` happened once in the 19 library cases (Bangladesh 1971), so no model fitted on the
library can learn it. Its signal comes from outside the library: the Council's recorded vetoes
(``unsc_vetoes``, with the crisis each vetoed draft concerned) and meetings (``unsc_meetings``,
with their agenda item), dated before the case's onset.

``veto_record_model(as_of)`` fits a small penalised logistic regression on *state-years on the
Council's agenda* whose outcome window had closed before ``as_of``:

- unit: a state ``c`` and calendar year ``t`` in which at least one Council meeting's agenda item
  names ``c`` (``t`` ≤ onset year − 3, so that years ``t+1`` and ``t+2`` are over before onset);
- outcome: a veto cast on a draft about ``c`` in years ``t+1`` or ``t+2`` (the next 24 months);
- features (``VETO_FEATURES``): ``prior_veto`` — 1 if a draft about ``c`` was vetoed in the 15
  years up to the end of ``t`` (a permanent member has protected that state, or shielded the
  other side of its conflict, before); ``log_era_rate`` — the log of the Council's vetoes per
  draft put to the vote in the ten years up to ``t`` (Cold War and post-2011 Councils veto more).

``p_veto_record(target, as_of)`` applies it to a case: ``prior_veto`` over the 15 years before the
onset month and the era rate of the ten years before it. Nothing in the library enters the fit.

Which states a vetoed draft concerned is read from the record's ``crisis_topic`` (``VETO_TOPICS``,
a fixed table written from the agenda items); which states a meeting concerned is read from its
agenda item by name (``agenda_states``). Both are approximations: a topic such as "The situation
in the Middle East" is counted for Israel, Palestine, Lebanon and Syria.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.special import expit

#: Years of record that count as a state's "prior veto".
PRIOR_VETO_YEARS = 15
#: Years of record that set the era's veto rate (as ``_features.VETO_WINDOW_YEARS``).
ERA_YEARS = 10
#: Prior standard deviation of the slopes and of the intercept (around the logit of the base rate).
PRIOR_SD = 1.0
VETO_FEATURES = ("prior_veto", "log_era_rate")

#: The states each vetoed crisis topic concerned (the state acted against, and the other party
#: where the draft was about a conflict between two). Topics not listed (admission of members,
#: disarmament, terrorism, climate, US–USSR complaints) concern no crisis state.
VETO_TOPICS: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("AFG",), "Angola": ("AGO", "ZAF"), "Berlin Blockade": ("DEU",), "Bosnia": ("BIH",),
    "Cambodia": ("KHM", "VNM"), "Comoros": ("COM",), "Congo": ("COD",), "Cyprus": ("CYP",),
    "Czechoslovakia": ("CSK",), "Falklands-Malvinas": ("ARG", "GBR"), "Georgia": ("GEO",),
    "Greek Civil War": ("GRC",), "Grenada": ("GRD",), "Guatemala": ("GTM",), "Hungary": ("HUN",),
    "India-Pakistan": ("IND", "PAK"), "Iran": ("IRN",), "Israel-Lebanon": ("ISR", "LBN"),
    "Israel-Palestine": ("ISR", "PSE"), "Korean War": ("KOR", "PRK"), "Kuwait": ("KWT", "IRQ"),
    "Lebanon": ("LBN", "SYR"), "Macedonia": ("MKD",), "Malasyia": ("MYS", "IDN"), "Myanmar": ("MMR",),
    "Namibia": ("NAM", "ZAF"), "Nicaragua": ("NIC",), "North Korea": ("PRK",), "Panama": ("PAN",),
    "Panama Canal": ("PAN",), "Rhodesia": ("ZWE",), "South Africa": ("ZAF",), "Southern Africa": ("ZAF",),
    "Spain": ("ESP",), "Syria": ("SYR",), "Thailand": ("THA",), "US-Libya": ("LBY",), "Ukraine": ("UKR",),
    "Venezuela": ("VEN",), "Yemen": ("YEM",), "Zimbabwe": ("ZWE",),
}

#: Names under which agenda items refer to a state, besides its name in ``countries``.
AGENDA_ALIASES: dict[str, tuple[str, ...]] = {
    "COD": ("Democratic Republic of the Congo", "Zaire", "Congo"), "COG": ("Republic of Congo",),
    "CIV": ("Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"), "BIH": ("Bosnia",), "MMR": ("Myanmar", "Burma"),
    "TLS": ("East Timor", "Timor"), "KHM": ("Kampuchea",), "SRB": ("Yugoslavia", "Kosovo"),
    "ZWE": ("Rhodesia",), "NAM": ("South West Africa",), "PSE": ("Palestin", "occupied Arab territories",
                                                                "Middle East"),
    "ISR": ("Palestin", "occupied Arab territories", "Middle East"), "LBN": ("Middle East",),
    "SYR": ("Middle East",), "KOR": ("Korea",), "PRK": ("Korea",), "MKD": ("Macedonia",),
    "VNM": ("Viet Nam",), "LAO": ("Lao",), "IRN": ("Iran",), "SWZ": ("Swaziland",),
}


@functools.lru_cache(maxsize=1)
def _name_pattern() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One regular expression matching every state name (longest names first, so that "South
    Sudan" is matched as such, not as "Sudan") and the states each name stands for."""
    from r2p.data import query

    names: dict[str, set[str]] = {}
    for r in query("select iso3, name from countries").itertuples(index=False):
        name = re.sub(r"\s*\(.*\)", "", str(r.name)).replace("&", "and").replace("St.", "Saint")
        if " - " not in name:  # "Congo - Kinshasa" is matched through its aliases
            names.setdefault(name.lower(), set()).add(str(r.iso3))
    for iso, aliases in AGENDA_ALIASES.items():
        for a in aliases:
            names.setdefault(a.lower(), set()).add(iso)
    ordered = sorted(names, key=lambda n: (-len(n), n))
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in ordered) + ")")
    return pattern, {n: frozenset(v) for n, v in names.items()}


def agenda_states(topic: str) -> set[str]:
    """ISO3 codes of the states an agenda item names ("South Sudan" is not also "Sudan")."""
    pattern, states = _name_pattern()
    text = str(topic).lower().replace("\u2019", "'")
    found: set[str] = set()
    for hit in pattern.finditer(text):
        found |= states[hit.group(0)]
    return found


@functools.lru_cache(maxsize=1)
def _records() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(vetoes: date, iso3 — one row per vetoed draft and state; meetings: year, iso3; drafts:
    date and 1 if vetoed) from the warehouse."""
    from r2p.data import query

    v = query("select date, crisis_topic from unsc_vetoes")
    vetoes = pd.DataFrame([(pd.Timestamp(d), iso) for d, t in zip(v["date"], v["crisis_topic"], strict=True)
                           for iso in VETO_TOPICS.get(str(t), ())], columns=["date", "iso3"])
    m = query("select distinct year, topic from unsc_meetings where topic is not null")
    meetings = pd.DataFrame([(int(y), iso) for y, t in zip(m["year"], m["topic"], strict=True)
                             for iso in agenda_states(t)], columns=["year", "iso3"]).drop_duplicates()
    r = query("select date from unsc_resolutions where date is not null")
    drafts = pd.concat([pd.DataFrame({"date": pd.to_datetime(v["date"]), "vetoed": 1}),
                        pd.DataFrame({"date": pd.to_datetime(r["date"]), "vetoed": 0})], ignore_index=True)
    return vetoes, meetings, drafts


def _era_rate(drafts: pd.DataFrame, end: pd.Timestamp) -> float:
    start = end - pd.DateOffset(years=ERA_YEARS)
    w = drafts[(drafts["date"] >= start) & (drafts["date"] < end)]
    return float((w["vetoed"].sum() + 0.5) / (len(w) + 1.0))


def _prior_feature(n_vetoes: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """``prior_veto`` from the number of vetoed drafts about the state in the window."""
    return np.log1p(np.asarray(n_vetoes, dtype=float))


@dataclass(frozen=True)
class VetoRecordModel:
    """The fitted veto-record model: ``coef_`` (intercept at the mean features, then one slope per
    ``VETO_FEATURES``), ``centre_`` (the mean features of the fit), the number of agenda
    state-years it was fitted on (``n_``), how many had a veto in the next two years
    (``positives_``), and ``as_of`` (ISO date; every record used is dated before it)."""

    coef_: NDArray[np.float64]
    centre_: NDArray[np.float64]
    n_: int
    positives_: int
    as_of: str

    def predict(self, prior_veto: float, log_era_rate: float) -> float:
        """P(a veto on a draft about the state within 24 months) (0–1)."""
        x = np.array([prior_veto, log_era_rate]) - self.centre_
        return float(expit(self.coef_[0] + self.coef_[1:] @ x))


def _features_at(iso3: str, end: pd.Timestamp, vetoes: pd.DataFrame,
                 drafts: pd.DataFrame) -> tuple[float, float]:
    start = end - pd.DateOffset(years=PRIOR_VETO_YEARS)
    own = vetoes[(vetoes["iso3"] == iso3) & (vetoes["date"] >= start) & (vetoes["date"] < end)]
    return float(_prior_feature(len(own))), float(np.log(_era_rate(drafts, end)))


@functools.lru_cache(maxsize=1)
def _all_units() -> pd.DataFrame:
    """Every agenda state-year of the record with its features and outcome (see ``training_units``)."""
    vetoes, meetings, drafts = _records()
    vy = vetoes.assign(year=vetoes["date"].dt.year).groupby(["iso3", "year"]).size()
    dy = drafts.assign(year=drafts["date"].dt.year).groupby("year")["vetoed"].agg(["sum", "size"])
    first = int(min(dy.index.min(), meetings["year"].min())) - PRIOR_VETO_YEARS
    years = np.arange(first, int(meetings["year"].max()) + 3)
    dy = dy.reindex(years, fill_value=0)
    roll = dy.rolling(ERA_YEARS, min_periods=1).sum()
    era = np.log((roll["sum"] + 0.5) / (roll["size"] + 1.0))
    # cumulative vetoes per state and year: a window's count is a difference of two cumsums
    isos = sorted(set(meetings["iso3"]) | set(vetoes["iso3"]))
    grid = vy.unstack("year", fill_value=0).reindex(index=isos, columns=years, fill_value=0)
    cum = np.concatenate([np.zeros((len(isos), 1)), grid.to_numpy(dtype=float).cumsum(axis=1)], axis=1)
    row = {iso: i for i, iso in enumerate(isos)}
    r = np.array([row[i] for i in meetings["iso3"]], dtype=int)
    t = meetings["year"].to_numpy(dtype=int) - first  # column of year t in ``grid``
    prior = cum[r, t + 1] - cum[r, np.maximum(t + 1 - PRIOR_VETO_YEARS, 0)]
    ahead = cum[r, t + 3] - cum[r, t + 1]
    return pd.DataFrame({"year": meetings["year"].to_numpy(dtype=int), "iso3": meetings["iso3"].to_numpy(),
                         "prior_veto": _prior_feature(prior),
                         "log_era_rate": era.loc[meetings["year"]].to_numpy(), "y": (ahead > 0).astype(int)})


def training_units(as_of: dt.date) -> pd.DataFrame:
    """The agenda state-years the model is fitted on as of ``as_of``: columns year, iso3,
    prior_veto, log_era_rate and y (a veto about the state in years t+1..t+2); only years
    t ≤ as_of.year − 3, whose outcome window ended before ``as_of``'s year."""
    units = _all_units()
    return units[units["year"] <= as_of.year - 3].reset_index(drop=True)


def _fit(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """MAP logistic regression of ``y`` on centred ``x`` (intercept first), Gaussian priors of sd
    ``PRIOR_SD``: the intercept around the logit of the smoothed base rate, slopes around 0."""
    from r2p.cases._outcome import map_logistic

    base = (y.sum() + 0.5) / (len(y) + 1.0)
    mu = np.zeros(x.shape[1] + 1)
    mu[0] = np.log(base / (1 - base))
    xx = np.column_stack([np.ones(len(x)), x])
    return map_logistic(xx, y, mu, np.full(len(mu), PRIOR_SD**2))


@functools.lru_cache(maxsize=64)
def veto_record_model(as_of: dt.date) -> VetoRecordModel:
    """Fit the veto-record model on the agenda state-years closed before ``as_of`` (see module)."""
    units = training_units(as_of)
    x = units[list(VETO_FEATURES)].to_numpy(dtype=float)
    y = units["y"].to_numpy(dtype=float)
    if len(units) == 0:
        return VetoRecordModel(np.zeros(len(VETO_FEATURES) + 1), np.zeros(len(VETO_FEATURES)), 0, 0,
                               as_of.isoformat())
    centre = x.mean(axis=0)
    return VetoRecordModel(_fit(x - centre, y), centre, len(units), int(y.sum()), as_of.isoformat())


def veto_record_features(iso3: str, as_of: dt.date) -> dict[str, float]:
    """The case's ``VETO_FEATURES`` as of ``as_of``: the 15 years and ten years before it."""
    vetoes, _, drafts = _records()
    prior, era = _features_at(iso3, pd.Timestamp(as_of), vetoes, drafts)
    return {"prior_veto": prior, "log_era_rate": era}


def p_veto_record(iso3: str, as_of: dt.date) -> float:
    """P(a veto on a draft about ``iso3`` within 24 months of ``as_of``) from the veto record
    before ``as_of`` (0–1)."""
    f = veto_record_features(iso3, as_of)
    return veto_record_model(as_of).predict(f["prior_veto"], f["log_era_rate"])
