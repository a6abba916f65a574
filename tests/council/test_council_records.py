"""One test per known defect of the draft-vote file (data/SOURCES.md), on the real data."""

from __future__ import annotations

import pandas as pd
import pytest

from r2p.council._records import draft_table, load_votes, parse_resolution, parse_sponsors
from r2p.data import read_table


@pytest.fixture(scope="module")
def votes(warehouse: object) -> pd.DataFrame:
    return load_votes()


@pytest.fixture(scope="module")
def drafts(votes: pd.DataFrame) -> pd.DataFrame:
    return draft_table(votes)


def test_swapped_day_and_month_taken_from_the_resolutions_list(drafts: pd.DataFrame) -> None:
    raw = read_table("unsc_draft_votes_raw").drop_duplicates("ID").set_index("ID")["Date"]
    r893 = drafts[drafts["resolution_no"] == 893].iloc[0]
    assert raw[r893["draft_id"]] == pd.Timestamp("1994-06-01")  # the defect is in the source …
    assert r893["date"] == pd.Timestamp("1994-01-06")  # … and fixed here
    fixed = drafts.set_index("draft_id")["date"]
    swapped = [(i, raw[i]) for i in fixed.index
               if raw[i] != fixed[i] and raw[i].day == fixed[i].month and raw[i].month == fixed[i].day]
    assert 320 <= len(swapped) <= 360  # SOURCES.md: about 330
    # every adopted draft whose resolution is in the UN list carries the UN list's date
    res = read_table("unsc_resolutions").drop_duplicates("resolution_no").set_index("resolution_no")["date"]
    matched = drafts[drafts["resolution_no"].notna() & drafts["resolution_no"].isin(res.index)]
    un_dates = matched["resolution_no"].astype(int).map(res)
    ok = un_dates.notna()
    assert (matched.loc[ok, "date"].to_numpy() == un_dates[ok].to_numpy()).all()


def test_misnumbered_resolution_425_is_1425(drafts: pd.DataFrame) -> None:
    assert parse_resolution("425 (2002)") == (425, 2002)
    row = drafts[drafts["draft"] == "S/2002/799"].iloc[0]
    assert row["resolution_no"] == 1425
    res = read_table("unsc_resolutions").set_index("resolution_no")
    assert row["date"] == res.loc[1425, "date"]  # the date of the real res. 1425, not of res. 425 (1978)
    assert not (drafts["resolution_no"] == 425).any()


def test_resolution_and_draft_columns_swapped_in_2025(drafts: pd.DataFrame) -> None:
    row = drafts[drafts["draft_id"] == 2012].iloc[0]
    assert row["resolution_no"] == 2781
    assert row["draft"] == "S/2025/270"


def test_misspelt_member_name_resolves(votes: pd.DataFrame) -> None:
    raw = read_table("unsc_draft_votes_raw")
    ids = set(raw.loc[raw["Member State"] == "Ethipia", "ID"])
    assert ids, "the source no longer has the misspelling; drop this fix"
    assert (votes.loc[votes["draft_id"].isin(ids) & (votes["member"] == "ETH")]).shape[0] == len(ids)
    assert votes["member"].str.fullmatch(r"[A-Z]{3}").all()


def test_duplicated_member_rows_removed_keeping_the_un_tally(votes: pd.DataFrame) -> None:
    assert not votes.duplicated(["draft_id", "member"]).any()
    raw = read_table("unsc_draft_votes_raw")
    assert raw.duplicated(["ID", "Member State"]).sum() == 5
    # draft 1610 (res. 2441 (2018)): the UN tally is 12-0-3, which only one of the two
    # recorded Russian votes reproduces
    res = read_table("unsc_resolutions").set_index("resolution_no")
    d = votes[votes["draft_id"] == 1610]
    rno = int(d["resolution_no"].iloc[0])
    tally = res.loc[rno, ["yes", "no", "abstain"]].astype(int).tolist()
    counts = [(d["vote"] == v).sum() for v in ("yes", "no", "abstain")]
    assert counts == tally


def test_fewer_than_15_members_kept_as_recorded(votes: pd.DataFrame) -> None:
    sizes = votes.groupby("draft_id").size()
    assert (sizes == 15).sum() >= 1976
    assert sizes.max() == 15


def test_outcomes_and_vetoes_match_the_source_counts(drafts: pd.DataFrame, votes: pd.DataFrame) -> None:
    assert drafts["outcome"].value_counts().to_dict() == {"adopted": 1885, "vetoed": 67, "short_of_nine": 45}
    late = votes[votes["date"] >= "2011-01-01"]
    assert late["vetoed"].sum() == 60  # the 60 vetoes 2011–2025
    # every vetoed draft has at least one permanent member voting no
    vetoed_ids = set(drafts.loc[drafts["outcome"] == "vetoed", "draft_id"])
    assert vetoed_ids == set(votes.loc[votes["vetoed"] == 1, "draft_id"])


def test_sponsors_parsed_without_splitting_country_names() -> None:
    assert parse_sponsors("United Kingdom and Sierra Leone") == ("GBR", "SLE")
    assert parse_sponsors("Bosnia and Herzegovina, France") == ("BIH", "FRA")
    assert parse_sponsors("President") == ()
    assert parse_sponsors("E10") == ()
