"""Predictors for the early-warning models: EWP's 39 columns, plain-word labels, and derived features.

Every derived feature for country c in year t uses only that country's rows with year ≤ t,
so it is known at the end of year t (the panel's own lags, such as ``mk_onset_prev_year``,
follow the same rule).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from r2p.data import countries, read_table
from r2p.data._warehouse import fingerprint

#: EWP's ``predictornames.fullest``, in their order (PROTOCOL.md).
EWP_PREDICTORS: tuple[str, ...] = (
    "widetargeting", "narrowtargeting", "v2csgender_binary", "v2mecenefm_binary", "partyban.new.0",
    "partyban.new.1", "partyban.new.2", "minorityrule", "judicialreform", "religiousfreedom",
    "pol_killing_approved", "freediscussion", "social_inequality", "even_civilrights", "repress_civilsoc",
    "social_power_dist", "ses_power_dist", "popsize.log2", "gdppcgrowth", "un_imr_sqrt", "efindex",
    "discrimpop", "reg.na", "reg.eap", "reg.sca", "reg.mna", "reg.eur", "ios.iccpr1", "battledeaths.log2",
    "coup.try.5yr", "mk_ongoing_count_log2", "mean_mk_onset_interaction", "mk_onset_prev_year",
    "newcountry", "mk_ever", "year_sq", "year", "countryage.new.log2", "includesnonstate",
)

#: Outcome and id columns that must be present for a row to be a training row (EWP's complete cases).
OUTCOMES: tuple[str, ...] = ("mk_onset", "mk_onset_1", "mk_onset_2", "mk_onset_1or2")
TARGET = "mk_onset_1or2"
TARGET_1Y = "mk_onset_1"

#: Columns built here from the panel (causal: each uses the country's rows up to the same year).
DERIVED: tuple[str, ...] = (
    "battledeaths_change", "battledeaths_max3", "freediscussion_change3", "years_since_onset_log2",
    "mk_ongoing_any", "coup_recent_lag_max", "conflict_years5",
)

#: Plain-word meaning of every predictor (from CODEBOOK.md), used to explain drivers.
LABELS: dict[str, str] = {
    "widetargeting": "an ongoing mass killing with wide targeting",
    "narrowtargeting": "an ongoing mass killing targeting a specific group",
    "v2csgender_binary": "women excluded from civil society",
    "v2mecenefm_binary": "government censorship of the media",
    "partyban.new.0": "political parties banned (all or most)",
    "partyban.new.1": "some political parties banned",
    "partyban.new.2": "no party bans",
    "minorityrule": "power concentrated in one social group (minority rule)",
    "judicialreform": "judicial reform (V-Dem ordinal; higher = attacks on courts less likely)",
    "religiousfreedom": "freedom of religion (V-Dem ordinal)",
    "pol_killing_approved": "systematic political killings",
    "freediscussion": "freedom of discussion (0-1 index)",
    "social_inequality": "civil liberties unequal across social groups",
    "even_civilrights": "civil liberties equal across regions",
    "repress_civilsoc": "repression of civil society",
    "social_power_dist": "political power unequal across social groups",
    "ses_power_dist": "political power spread across socio-economic positions",
    "popsize.log2": "population size (log2)",
    "gdppcgrowth": "GDP per capita growth (%)",
    "un_imr_sqrt": "infant mortality (square root)",
    "efindex": "ethnic fractionalisation",
    "discrimpop": "share of population in politically discriminated ethnic groups",
    "reg.na": "located in the Americas",
    "reg.eap": "located in East Asia & Pacific",
    "reg.sca": "located in South & Central Asia",
    "reg.mna": "located in the Middle East & North Africa",
    "reg.eur": "located in Europe",
    "ios.iccpr1": "ratified the ICCPR first optional protocol",
    "battledeaths.log2": "battle deaths in internal armed conflict (log2)",
    "coup.try.5yr": "a coup attempt in the last five years",
    "mk_ongoing_count_log2": "number of ongoing mass killings (log2)",
    "mean_mk_onset_interaction": "past mass-killing onsets (cumulative)",
    "mk_onset_prev_year": "a mass-killing onset last year",
    "newcountry": "a newly independent country",
    "mk_ever": "a mass killing at some time in the past",
    "year_sq": "calendar year (squared trend)",
    "year": "calendar year (trend)",
    "countryage.new.log2": "years since independence (log2)",
    "includesnonstate": "period in which non-state perpetrators count (1989 on)",
    "battledeaths_change": "change in battle deaths since last year (log2 scale)",
    "battledeaths_max3": "highest battle deaths in the last three years (log2)",
    "freediscussion_change3": "change in freedom of discussion over three years",
    "years_since_onset_log2": "years since the last mass-killing onset (log2; 7 = none since 1960)",
    "mk_ongoing_any": "any mass killing ongoing",
    "coup_recent_lag_max": "a coup attempt in the last five years, in this or last year's count",
    "conflict_years5": "years with battle deaths in the last five",
}

#: Context columns: the country's region and the world in the same year, and recent changes in
#: V-Dem repression indicators (each uses rows of year ≤ t only).
CONTEXT: tuple[str, ...] = (
    "region_mk_ongoing_share", "region_conflict_share", "world_mk_ongoing_log2", "polkill_change",
    "repress_civilsoc_change", "ses_power_dist_change3",
)

LABELS.update({
    "region_mk_ongoing_share": "share of other countries in the region with a mass killing ongoing",
    "region_conflict_share": "share of other countries in the region with battle deaths",
    "world_mk_ongoing_log2": "countries with a mass killing ongoing worldwide (log2)",
    "polkill_change": "political killings became (+1) or ceased to be (−1) systematic since last year",
    "repress_civilsoc_change": "change in civil-society repression since last year",
    "ses_power_dist_change3": "change in power spread across socio-economic positions over three years",
})

FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "ewp": EWP_PREDICTORS,
    "ewp+derived": EWP_PREDICTORS + DERIVED,
    "ewp+derived+context": EWP_PREDICTORS + DERIVED + CONTEXT,
    "onset_last_year": ("mk_onset_prev_year",),
    "none": (),
}


def _add_derived(panel: pd.DataFrame) -> pd.DataFrame:
    """Return ``panel`` (sorted by country, year) with the ``DERIVED`` columns added (no NaN)."""
    df = panel.sort_values(["ccode", "year"]).reset_index(drop=True)
    g = df.groupby("ccode", sort=False)
    bd = df["battledeaths.log2"].fillna(0.0)
    df["battledeaths_change"] = (bd - g["battledeaths.log2"].shift(1).fillna(bd)).astype(float)
    df["battledeaths_max3"] = bd.groupby(df["ccode"]).transform(lambda s: s.rolling(3, min_periods=1).max())
    fd = df["freediscussion"]
    df["freediscussion_change3"] = (fd - g["freediscussion"].shift(3).fillna(fd)).fillna(0.0)
    # Years since the last onset in this country (onset year itself counts as 0), capped at 2^7 - 1.
    years_since = np.full(len(df), 127.0)
    last: dict[int, int] = {}
    for i, (cc, yr, onset) in enumerate(zip(df["ccode"], df["year"], df["mk_onset"], strict=True)):
        if onset == 1:
            last[cc] = yr
        if cc in last:
            years_since[i] = min(127.0, yr - last[cc])
    df["years_since_onset_log2"] = np.log2(years_since + 1.0)
    df["mk_ongoing_any"] = (df["mk_ongoing_count_log2"] > 0).astype(float)
    df["coup_recent_lag_max"] = np.maximum(df["coup.try.5yr"],
                                           g["coup.try.5yr"].shift(1).fillna(df["coup.try.5yr"]))
    conflict = (bd > 0).astype(float)
    df["conflict_years5"] = conflict.groupby(df["ccode"]).transform(
        lambda s: s.rolling(5, min_periods=1).sum())
    _add_context(df, g, conflict)
    return df


def _add_context(df: pd.DataFrame, g: Any, conflict: pd.Series) -> None:
    """Add the ``CONTEXT`` columns to ``df`` (sorted by country, year) in place, without NaN.

    Region shares leave the country itself out; countries without data count as without the event.
    """
    regions = ["reg.na", "reg.eap", "reg.sca", "reg.mna", "reg.eur"]
    flags = df[regions].fillna(0.0).to_numpy()
    region = np.where(flags.max(axis=1) > 0, flags.argmax(axis=1) + 1, 0)  # 0 = Africa (reference)
    ongoing = (df["mk_ongoing_count_log2"].fillna(0.0) > 0).astype(float)
    keys = [df["year"], pd.Series(region, index=df.index)]
    for col, flag in (("region_mk_ongoing_share", ongoing), ("region_conflict_share", conflict)):
        total = flag.groupby(keys).transform("sum")
        count = flag.groupby(keys).transform("size")
        df[col] = ((total - flag) / np.maximum(count - 1, 1)).astype(float)
    df["world_mk_ongoing_log2"] = np.log2(1.0 + ongoing.groupby(df["year"]).transform("sum"))
    for col, new, lag in (("polkill_change", "pol_killing_approved", 1),
                          ("repress_civilsoc_change", "repress_civilsoc", 1),
                          ("ses_power_dist_change3", "ses_power_dist", 3)):
        now = df[new]
        df[col] = (now - g[new].shift(lag).fillna(now)).fillna(0.0)


@lru_cache(maxsize=2)
def _panel_cached(key: str) -> pd.DataFrame:
    panel = read_table("ewp_panel")
    df = _add_derived(panel)
    index = countries()
    iso = {int(cc): index.by_ccode(int(cc)).iso3 for cc in df["ccode"].unique()}
    names = {int(cc): index.by_ccode(int(cc)).name for cc in df["ccode"].unique()}
    df["iso3"] = df["ccode"].map(iso)
    df["country"] = df["ccode"].map(names)
    return df.sort_values(["year", "ccode"]).reset_index(drop=True)


def load_panel() -> pd.DataFrame:
    """Return the EWP panel (one row per country-year) with derived features, ``iso3`` and ``country``.

    Sorted by year then COW code. Cached per warehouse fingerprint; do not modify the result.
    """
    return _panel_cached(fingerprint())


def training_mask(panel: pd.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    """Return a boolean array: rows usable for training (no NaN in ``features``, outcomes or ids)."""
    cols = list(features) + list(OUTCOMES) + ["ewp_name", "ccode", "year"]
    return np.asarray(panel[cols].notna().all(axis=1))


def scoring_mask(panel: pd.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    """Return a boolean array: rows that can be scored (no NaN in ``features``)."""
    if not features:
        return np.ones(len(panel), dtype=bool)
    return np.asarray(panel[list(features)].notna().all(axis=1))
