"""The registry of shipped datasets: where each file lives, how it is read, and where it came from.

Each entry becomes one typed warehouse table. Provenance (source repository and
commit, sha256, rows) goes to the warehouse's ``provenance`` table. The full
descriptions, licences and known defects are in ``data/SOURCES.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

EWP = "EarlyWarningProject/2025-Statistical-Risk-Assessment@548cad77147d54cb59e529e7d390a6a7bdfe83b5"
UNVOTES = "dgrtwo/unvotes@7eb7034314ff79c49c9e0785fcd9d216fa04cf14"
VETOES = "world-politics-datalab/vetoes-un-security-council@661c5246872143cf16e500e4e7f2f70a45df5ac8"
COUNTRYCODE = "vincentarelbundock/countrycode@284d6a2f7e49d826e10894227a05d4c857e21540"
MADORE = "fmadore/genocide-at-the-security-council@752ef667de072517a7e2b0148941448e2330edda"
VOTING_AGENT = "oliverunv/Voting-Agent@b4aa6cb1ae64c2c8e2799fd22278bbd72a9a2ceb"
UNSC_DATASET = "intreleng-research/unsc-dataset@80fede2ed7fb17b2f976999fa4dc7a73462789f1"
UNSC_FOR_US = "emilytong123/unsc_for_us@6346d1c963be416b1ffe358b7c5b193a7bc201fe"
CR_UNSC = "SeanFobbe/cr-unsc@ba7a562cd5daf59b43ca555578696c1992d9d695"
R2P_CASES = "r2p case library (shared/cases, cited YAML)"


def _drop_r_index(df: pd.DataFrame) -> pd.DataFrame:
    first = df.columns[0]
    if first in ("", "Unnamed: 0"):
        df = df.drop(columns=first)
    return df


def _read_plain(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, low_memory=False)


def _read_r_export(path: Path) -> pd.DataFrame:
    return _drop_r_index(pd.read_csv(path, low_memory=False))


def _read_coefficients(path: Path) -> pd.DataFrame:
    df = _drop_r_index(pd.read_csv(path, dtype={"coef.full": str}))
    df["coef.full"] = pd.to_numeric(df["coef.full"], errors="raise")
    return df


def _read_membership(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#")


def _read_vetoes(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path)
    df["date"] = pd.to_datetime(df["date"], format="%m/%d/%Y").dt.date
    return df


def _read_dated(column: str) -> Callable[[Path], pd.DataFrame]:
    def read(path: Path) -> pd.DataFrame:
        df = pd.read_csv(path, low_memory=False)
        df[column] = pd.to_datetime(df[column], format="%Y-%m-%d", errors="coerce").dt.date
        return df

    return read


def _read_draft_votes(path: Path) -> pd.DataFrame:
    # Raw as shipped: the known defects (swapped day/month, a mis-numbered
    # resolution, duplicated member rows) are corrected by r2p.council, not here.
    df = pd.read_csv(path, low_memory=False, dtype={"Resolution": str})
    df["Date"] = pd.to_datetime(df["Date"], format="%Y-%m-%d").dt.date
    return df


@dataclass(frozen=True)
class Dataset:
    """One shipped file and the warehouse table it becomes."""

    table: str
    rel_path: str
    source: str
    reader: Callable[[Path], pd.DataFrame] = field(default=_read_plain, repr=False)
    description: str = ""


DATASETS: tuple[Dataset, ...] = (
    Dataset("ewp_panel", "ewp/prepared2024predictors-2025-09-03.csv", EWP, _read_plain,
            "EWP modelling panel: country-year predictors and mk_onset outcomes, 1960-2024"),
    Dataset("ewp_basedata", "ewp/basedata2025_4august2025.csv", EWP, _read_r_export,
            "EWP country-year mass-killing base table, 1934-2024"),
    Dataset("ewp_published_forecasts", "ewp/final_forecasts_data_3Sep2025.csv", EWP, _read_r_export,
            "EWP's published 2025 forecasts (comparison only; never a model input)"),
    Dataset("ewp_published_coefficients", "ewp/coefficients_3Sep2025.csv", EWP, _read_coefficients,
            "EWP's 2025 elastic-net coefficients (comparison only)"),
    Dataset("ucdp_battledeaths", "ucdp/BattleDeaths_v25_1.csv", EWP, _read_plain,
            "UCDP Battle-Related Deaths v25.1, dyadic"),
    Dataset("ga_votes", "un/ga_votes.csv.gz", UNVOTES, _read_plain,
            "UN General Assembly roll-call votes by country, 1946-2019"),
    Dataset("ga_roll_calls", "un/ga_roll_calls.csv", UNVOTES, _read_dated("date"),
            "UN General Assembly roll calls"),
    Dataset("ga_roll_call_issues", "un/ga_roll_call_issues.csv", UNVOTES, _read_plain,
            "Issue tags of GA roll calls"),
    Dataset("unsc_vetoes", "un/unsc_vetoes_1946_2022.csv", VETOES, _read_vetoes,
            "Every vetoed Security Council draft, 1946-2022-09"),
    Dataset("unsc_membership", "un/unsc_membership_1992_2023.csv", MADORE, _read_membership,
            "Security Council membership terms (elected 1991-2024)"),
    Dataset("unsc_draft_votes_raw", "un/unsc_draft_votes_1994_2025.csv.gz", VOTING_AGENT,
            _read_draft_votes, "Per-member votes on Council drafts 1994-2025, raw with known defects"),
    Dataset("unsc_resolutions", "un/unsc_resolutions_1946_2022.csv", UNSC_DATASET,
            _read_dated("date"), "Adopted Council resolutions 1946-2022 with date, topic and tally"),
    Dataset("unsc_meetings", "un/unsc_meetings_1946_2022.csv", UNSC_DATASET, _read_dated("date"),
            "Council meetings 1946-2022 with outcome text"),
    Dataset("unsc_failed_drafts_sample", "un/unsc_failed_drafts_votes_sample_1947_2022.csv",
            UNSC_FOR_US, _read_plain, "Hand-entered sample of failed/vetoed draft votes"),
    Dataset("unsc_resolution_urls", "un/unsc_resolution_voting_record_urls.csv", CR_UNSC, _read_plain,
            "Resolution number to UN Digital Library voting record URL"),
    Dataset("codes_codelist", "codes/countrycode_codelist.csv", COUNTRYCODE, _read_plain,
            "countrycode: one row per country with its codes"),
    Dataset("codes_panel", "codes/countrycode_codelist_panel.csv.gz", COUNTRYCODE, _read_plain,
            "countrycode: country-year panel of codes"),
    Dataset("ewp_country_names", "codes/ewp_countrynamesheet_complete.csv", EWP, _read_r_export,
            "EWP crosswalk: country name, COW code, ewp_name"),
    Dataset("cases_truth", "cases/truth.csv", R2P_CASES, _read_plain,
            "Case-library outcomes used for validation"),
)


def dataset(table: str) -> Dataset:
    """Return the registry entry for warehouse table ``table``."""
    for ds in DATASETS:
        if ds.table == table:
            return ds
    raise KeyError(table)
