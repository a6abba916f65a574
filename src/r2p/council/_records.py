"""The cleaned Security Council draft-vote record (1994–2025), one row per member and draft.

``unsc_draft_votes_raw`` has known defects (``data/SOURCES.md``). Each is fixed by
one named function here, applied in order by :func:`clean_draft_votes`, and each
has its own test in ``tests/council/test_council_records.py``:

* :func:`fix_resolution_field` – resolution symbols in a dozen formats, the
  resolution and draft columns swapped on some 2025 rows, ``425 (2002)`` that is
  really 1425;
* :func:`fix_member_names` – ``Ethipia`` and names the crosswalk does not know;
* :func:`fix_dates` – day and month swapped in ~330 dates: the date of an adopted
  draft is taken from the UN resolutions list, of a failed draft from the UN
  meetings list (by meeting number), and otherwise the day/month reading that
  fits the meeting-number sequence is chosen;
* :func:`drop_duplicate_member_rows` – drafts with a member listed twice: the
  row kept is the one that makes the tally match the UN's, else the first.

Drafts with fewer than 15 member rows are kept as they are (absent or not
recorded members); :func:`clean_draft_votes` reports how many.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from r2p.data import read_table, resolve_country
from r2p.errors import R2PInputError

#: Member names the crosswalk cannot resolve (or that are misspelt in the source) → ISO3.
MEMBER_NAME_FIXES: dict[str, str] = {
    "Ethipia": "ETH",
    "Slovak Republic": "SVK",
}

#: Resolution numbers recorded wrongly in the source: (recorded number, year) → true number.
RESOLUTION_NUMBER_FIXES: dict[tuple[int, int], int] = {(425, 2002): 1425}

OUTCOME_CODES = {
    "Adopted unanimously": "adopted",
    "Adopted by majority": "adopted",
    "Adopted by consensus": "adopted",
    "Adopted by acclamation": "adopted",
    "Not adopted - veto": "vetoed",
    "Not adopted - failed to receive required number of votes": "short_of_nine",
}

_RES_RE = re.compile(r"(\d{1,4})\s*[(/]\s*(\d{4})")
_DRAFT_RE = re.compile(r"^\s*S/\d{4}/\d+")


def parse_resolution(text: object) -> tuple[int, int] | None:
    """Return ``(number, year)`` parsed from a resolution symbol in any of the source's formats, or None."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    if _DRAFT_RE.match(s) and "RES" not in s.upper():
        return None  # a draft symbol, not a resolution
    m = _RES_RE.search(s)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2))


def fix_resolution_field(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with integer ``resolution_no`` (NA for failed drafts) and a clean ``draft`` symbol.

    Fixes rows where the resolution and draft symbols are swapped between the two
    columns, and the mis-numbered resolutions in ``RESOLUTION_NUMBER_FIXES``.
    """
    out = df.copy()
    res, draft = out["Resolution"].astype(object), out["Draft"].astype(object)
    swapped = res.map(lambda s: isinstance(s, str) and bool(_DRAFT_RE.match(s)) and "RES" not in s) & \
        draft.map(lambda s: isinstance(s, str) and "RES" in s.upper())
    res2 = res.where(~swapped, draft)
    draft2 = draft.where(~swapped, res)
    parsed = res2.map(parse_resolution)
    nums = []
    for p in parsed:
        if p is None:
            nums.append(pd.NA)
        else:
            nums.append(RESOLUTION_NUMBER_FIXES.get(p, p[0]))
    out["resolution_no"] = pd.array(nums, dtype="Int64")
    out["draft"] = draft2.map(lambda s: s.strip() if isinstance(s, str) else None)
    return out


def fix_member_names(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with a ``member`` ISO3 column resolved from ``Member State`` (misspellings fixed)."""
    out = df.copy()
    names = out["Member State"].astype(str).str.strip()
    mapping: dict[str, str] = {}
    for name in names.unique():
        if name in MEMBER_NAME_FIXES:
            mapping[name] = MEMBER_NAME_FIXES[name]
        else:
            mapping[name] = resolve_country(name).iso3
    out["member"] = names.map(mapping)
    return out


def _swap_day_month(ts: pd.Timestamp) -> pd.Timestamp | None:
    if ts.day > 12 or ts.day == ts.month:
        return None
    return pd.Timestamp(year=ts.year, month=ts.day, day=ts.month)


def _meeting_number(text: object) -> float:
    if not isinstance(text, str):
        return np.nan
    m = re.search(r"(\d{3,5})", text)
    return float(m.group(1)) if m and not text.strip().startswith("V") else np.nan


def fix_dates(df: pd.DataFrame, resolutions: pd.DataFrame, meetings: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with a corrected ``date`` column and ``date_source`` saying where it came from.

    ``date_source`` is ``resolutions`` (date of the adopted resolution in the UN list),
    ``meetings`` (date of the meeting, by S/PV number), ``swapped`` (day and month
    exchanged because only that reading fits the meeting-number sequence) or ``raw``.
    """
    out = df.copy()
    res = resolutions.dropna(subset=["date"]).copy()
    # The UN list has three duplicated numbers (SOURCES.md); keep the first per number.
    res_date = res.drop_duplicates("resolution_no").set_index("resolution_no")["date"]
    mt = meetings.dropna(subset=["date"]).copy()
    mt["num"] = mt["meeting_record"].map(_meeting_number)
    meet_date = mt.dropna(subset=["num"]).drop_duplicates("num").set_index("num")["date"]
    out["meeting_no"] = out["Meeting"].map(_meeting_number)
    raw = pd.to_datetime(out["Date"])
    date = pd.Series(pd.NaT, index=out.index, dtype="datetime64[us]")
    source = pd.Series("raw", index=out.index, dtype=object)
    from_res = out["resolution_no"].map(lambda n: res_date.get(int(n)) if pd.notna(n) else None)
    ok = from_res.notna()
    date[ok] = pd.to_datetime(from_res[ok])
    source[ok] = "resolutions"
    from_meet = out["meeting_no"].map(lambda n: meet_date.get(n) if pd.notna(n) else None)
    ok2 = ~ok & from_meet.notna()
    date[ok2] = pd.to_datetime(from_meet[ok2])
    source[ok2] = "meetings"
    # Remaining rows: choose between the raw and the day/month-swapped reading using
    # the dates of the nearest meetings already dated (meeting numbers increase in time).
    anchors = pd.DataFrame({"num": out["meeting_no"], "date": date}).dropna().drop_duplicates("num")
    anchors = anchors.sort_values("num")
    rest = date.isna()
    for idx in out.index[rest]:
        ts = raw[idx]
        alt = _swap_day_month(ts)
        num = out.at[idx, "meeting_no"]
        if alt is None or pd.isna(num) or anchors.empty:
            date[idx] = ts
            continue
        before = anchors[anchors["num"] <= num]["date"]
        after = anchors[anchors["num"] >= num]["date"]
        lo = before.iloc[-1] if len(before) else pd.Timestamp.min
        hi = after.iloc[0] if len(after) else pd.Timestamp.max
        raw_fits = lo <= ts <= hi
        alt_fits = lo <= alt <= hi
        if alt_fits and not raw_fits:
            date[idx] = alt
            source[idx] = "swapped"
        else:
            date[idx] = ts
    # Drafts without a meeting number (2020 written procedure): the same test on the
    # draft symbol's serial number S/YYYY/n, which also increases in time within a year.
    serial = out["Draft"].astype(object).map(_draft_serial)
    dated = pd.DataFrame({"key": serial, "date": date, "src": source})
    dated = dated[dated["src"].isin(["resolutions", "meetings"]) & dated["key"].notna()]
    for idx in out.index[(source == "raw") & out["meeting_no"].isna() & serial.notna()]:
        ts = raw[idx]
        alt = _swap_day_month(ts)
        key = serial[idx]
        if alt is None:
            continue
        same_year = dated[dated["key"].map(lambda k, y=key[0]: k[0] == y)]
        before = same_year[same_year["key"].map(lambda k, n=key[1]: k[1] < n)]["date"]
        after = same_year[same_year["key"].map(lambda k, n=key[1]: k[1] > n)]["date"]
        lo = before.max() if len(before) else pd.Timestamp.min
        hi = after.min() if len(after) else pd.Timestamp.max
        if not lo <= ts <= hi and lo <= alt <= hi:
            date[idx] = alt
            source[idx] = "swapped"
    out["date"] = date.astype("datetime64[us]")
    out["date_source"] = source
    return out


def _draft_serial(text: object) -> tuple[int, int] | None:
    if not isinstance(text, str):
        return None
    m = re.match(r"\s*S/(\d{4})/(\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def drop_duplicate_member_rows(df: pd.DataFrame, resolutions: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with at most one row per (draft ID, member).

    Where the UN tally of the adopted resolution is known, the duplicate kept is
    the one that makes the draft's yes/no/abstain counts match it; otherwise the first.
    """
    dup_mask = df.duplicated(["ID", "member"], keep=False)
    if not dup_mask.any():
        return df
    tallies = resolutions.drop_duplicates("resolution_no").set_index("resolution_no")
    tallies = tallies[["yes", "no", "abstain"]]
    drop: list[int] = []
    for draft_id, grp in df[dup_mask].groupby("ID"):
        full = df[df["ID"] == draft_id]
        rno = full["resolution_no"].iloc[0]
        target = None
        if pd.notna(rno) and int(rno) in tallies.index:
            t = tallies.loc[int(rno)]
            if t.notna().all():
                target = (int(t["yes"]), int(t["no"]), int(t["abstain"]))
        choices = [list(g.index) for _, g in grp.groupby("member")]
        # Try every combination of one kept row per duplicated member (at most 2×2 here).
        import itertools

        best: tuple[int, ...] | None = None
        for combo in itertools.product(*choices):
            if target is None:
                best = tuple(c[0] for c in choices)
                break
            dropped = set(grp.index) - set(combo)
            votes = full.drop(index=list(dropped))["Vote"]
            counts = tuple(int((votes == v).sum()) for v in ("Yes", "No", "Abstain"))
            if counts == target:
                best = combo
                break
        if best is None:
            best = tuple(c[0] for c in choices)
        drop.extend(sorted(set(grp.index) - set(best)))
    return df.drop(index=drop)


def clean_draft_votes(raw: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the cleaned draft-vote table, one row per (draft, member).

    Columns: ``draft_id`` (int, the source ID), ``date`` (corrected), ``year``,
    ``draft``, ``resolution_no`` (Int64, NA if not adopted), ``meeting_no``,
    ``agenda_item``, ``topic``, ``category``, ``region``, ``sponsors`` (tuple of ISO3,
    empty for presidential texts), ``presidential`` (bool), ``amendment`` (bool),
    ``outcome`` (adopted | vetoed | short_of_nine), ``member`` (ISO3), ``vote``
    (yes | abstain | no), ``permanent`` (bool), ``vetoed`` (1 if this member's "no"
    defeated a draft coded as vetoed), ``target`` (ISO3 or None) and ``date_source``.
    """
    from r2p.council._targets import target_of

    if raw is None:
        raw = read_table("unsc_draft_votes_raw")
    resolutions = read_table("unsc_resolutions")
    meetings = read_table("unsc_meetings")
    df = fix_resolution_field(raw)
    df = fix_member_names(df)
    df = fix_dates(df, resolutions, meetings)
    df = drop_duplicate_member_rows(df, resolutions)
    # One date per draft: the most authoritative among its rows.
    rank = df["date_source"].map({"resolutions": 0, "meetings": 1, "swapped": 2, "raw": 3})
    first = df.assign(_r=rank).sort_values(["ID", "_r"]).drop_duplicates("ID").set_index("ID")
    df["date"] = df["ID"].map(first["date"])
    df["date_source"] = df["ID"].map(first["date_source"])
    sponsors_cache: dict[str, tuple[str, ...]] = {}
    out = pd.DataFrame({
        "draft_id": df["ID"].astype(int),
        "date": df["date"],
        "year": df["date"].dt.year.astype(int),
        "draft": df["draft"],
        "resolution_no": df["resolution_no"],
        "meeting_no": df["meeting_no"],
        "agenda_item": df["Agenda item"].astype(str),
        "topic": df["Topic"].astype(str).str.strip(),
        "category": df["Category"].astype(str),
        "region": df["Region"].astype(str),
        "sponsors": df["Submitted by"].map(lambda s: parse_sponsors(s, sponsors_cache)),
        "presidential": df["Submitted by"].astype(str).str.strip().isin(["President", "President?"]),
        "amendment": df["draft"].fillna("").str.contains("amend", case=False),
        "outcome": df["Outcome results"].map(OUTCOME_CODES),
        "member": df["member"],
        "vote": df["Vote"].str.strip().str.lower(),
        "date_source": df["date_source"],
    })
    if out["outcome"].isna().any():
        bad = sorted(df.loc[out["outcome"].isna(), "Outcome results"].astype(str).unique())
        raise R2PInputError(f"unknown outcome codes in the draft-vote file: {bad}")
    from r2p.council._composition import P5

    out["permanent"] = out["member"].isin(P5)
    # "E10" (all ten elected members) as sponsor: the draft's elected members
    e10 = df["Submitted by"].astype(str).str.contains(r"\bE10\b", regex=True)
    if e10.any():
        elected = out[~out["permanent"]].groupby("draft_id")["member"].agg(tuple)
        out.loc[e10, "sponsors"] = [
            tuple(dict.fromkeys((*sp, *elected.get(d, ()))))
            for sp, d in zip(out.loc[e10, "sponsors"], out.loc[e10, "draft_id"], strict=True)]
    out["vetoed"] = ((out["outcome"] == "vetoed") & out["permanent"] & (out["vote"] == "no")).astype(int)
    out["target"] = [target_of(t, a) for t, a in zip(out["topic"], out["agenda_item"], strict=True)]
    return out.sort_values(["date", "draft_id", "member"]).reset_index(drop=True)


_SPLIT_RE = re.compile(r"[,;]")

#: Sponsor names the crosswalk does not know (lower case) → a name or code it does.
SPONSOR_ALIASES: dict[str, str] = {
    "former yugoslav republic of macedonia": "MKD",
    "micronesia": "FSM",
    "united kindgom": "GBR",
    "uae": "ARE",
    "kingdom of the netherlands": "NLD",
    "bolivarian republic of venezuela": "VEN",
    "syrian arab republic": "SYR",
    "the bahamas": "BHS",
    "bahamas": "BHS",
    "solomon islands": "SLB",
}


def parse_sponsors(text: object, cache: dict[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """Return the ISO3 codes of the states named in a ``Submitted by`` cell (unknown names skipped).

    "President" (a presidential text agreed by all), "-none-", committees and
    group labels such as "E10" give an empty tuple.
    """
    if not isinstance(text, str):
        return ()
    if cache is not None and text in cache:
        return cache[text]
    found: list[str] = []
    clean = " ".join(text.replace("_x000D_", " ").split())
    clean = re.sub(r"\(\d+\)", " ", clean)  # footnote numbers such as "United States (64)"
    for part in _SPLIT_RE.split(clean):
        name = re.sub(r"^(the|and)\s+", "", part.strip().strip("."), flags=re.I).strip()
        name = SPONSOR_ALIASES.get(name.lower(), name)
        if not name or name in ("President", "President?", "-none-", "E10") or name.startswith("Committee"):
            continue
        iso = _sponsor_iso3(name)
        parts = [iso] if iso else [_sponsor_iso3(SPONSOR_ALIASES.get(p.strip().lower(), p.strip()))
                                   for p in re.split(r"\band\b", name)]
        for code in parts:
            if code and code not in found:
                found.append(code)
    result = tuple(found)
    if cache is not None:
        cache[text] = result
    return result


@lru_cache(maxsize=4096)
def _sponsor_iso3(name: str) -> str | None:
    if name in MEMBER_NAME_FIXES:
        return MEMBER_NAME_FIXES[name]
    try:
        return resolve_country(name).iso3
    except R2PInputError:
        return None


_VOTES: pd.DataFrame | None = None


def load_votes() -> pd.DataFrame:
    """Return the cleaned draft-vote table (see :func:`clean_draft_votes`), cached on disk and in memory."""
    global _VOTES
    if _VOTES is None:
        from r2p.council._cache import cached

        _VOTES = cached("draft_votes", clean_draft_votes)
    return _VOTES


def draft_table(votes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return one row per draft: id, date, year, topic, target, region, category, sponsors,
    presidential, amendment, outcome, and the yes/no/abstain counts."""
    v = load_votes() if votes is None else votes
    g = v.groupby("draft_id", sort=False)
    first = g.first()[["date", "year", "draft", "resolution_no", "meeting_no", "agenda_item", "topic",
                       "category", "region", "sponsors", "presidential", "amendment", "outcome", "target",
                       "date_source"]]
    counts = pd.crosstab(v["draft_id"], v["vote"]).reindex(columns=["yes", "abstain", "no"], fill_value=0)
    return first.join(counts).reset_index().sort_values(["date", "draft_id"]).reset_index(drop=True)
