"""Features of a (draft, member) pair, computed only from what was known before the vote.

Static features come from the draft and the world that year (GA alignment of the
member with the target and with the sponsors, manifest atrocities in the target,
region, the draft's form). *History* features summarise the Council's earlier
votes on the same target (exponentially decayed, half-life ``HALF_LIFE_YEARS``)
and are produced by :class:`History`, which is updated only after every draft
of a day has been featurised, so a draft never sees its own or a later vote.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from r2p.council._alignment import alignment_data
from r2p.data import read_table

HALF_LIFE_YEARS = 2.0  # decay of a topic's vote history (judgement; see docs/council.md)
MEMBER_HALF_LIFE_YEARS = 1.0  # decay of a member's overall dissent rate
#: Decay of the *recent* tallies (a member's vetoes and the failed drafts on a target): a veto
#: is often followed within weeks by a revised text on the same item (judgement, not tuned).
RECENT_HALF_LIFE_DAYS = 90.0
REGIONS = ("Africa", "Middle East", "Europe", "Asia", "Americas")

FEATURES: tuple[str, ...] = (
    "has_target", "agree_target", "ipd_target", "self_target",
    "is_sponsor", "presidential", "has_sponsors", "agree_sponsors", "ipd_sponsors", "amendment",
    "manifest",
    *(f"region_{r.split()[0].lower()}" for r in REGIONS),
    "log_n_sponsors",
    "h_no", "h_abstain", "h_vetoed_before", "h_contest", "h_failed", "h_log_n", "h_member_dissent",
    "h_veto_recent", "h_failed_recent",
    "h_no_x_agree", "side",
)


def _days(ts: pd.Timestamp) -> float:
    return float(ts.value) / 86_400e9


@dataclass
class _Decayed:
    value: float = 0.0
    t: float = 0.0

    def get(self, now: float, half_life_days: float) -> float:
        return self.value * 0.5 ** ((now - self.t) / half_life_days)

    def add(self, now: float, x: float, half_life_days: float) -> None:
        self.value = self.get(now, half_life_days) + x
        self.t = now


@dataclass
class History:
    """Decayed tallies of earlier votes, keyed by target (ISO3, or the topic label if no target)."""

    n_topic: dict[str, _Decayed] = field(default_factory=dict)
    contest_topic: dict[str, _Decayed] = field(default_factory=dict)
    failed_topic: dict[str, _Decayed] = field(default_factory=dict)
    no_mt: dict[tuple[str, str], _Decayed] = field(default_factory=dict)
    abstain_mt: dict[tuple[str, str], _Decayed] = field(default_factory=dict)
    vetoed_mt: set[tuple[str, str]] = field(default_factory=set)
    n_member: dict[str, _Decayed] = field(default_factory=dict)
    dissent_member: dict[str, _Decayed] = field(default_factory=dict)
    veto_recent_mt: dict[tuple[str, str], _Decayed] = field(default_factory=dict)
    failed_recent_topic: dict[str, _Decayed] = field(default_factory=dict)
    last_date: pd.Timestamp | None = None

    def features(self, key: str, member: str, when: pd.Timestamp) -> tuple[float, ...]:
        """Return (h_no, h_abstain, h_vetoed_before, h_contest, h_failed, h_log_n, h_member_dissent,
        h_veto_recent, h_failed_recent).

        The first five are decayed shares (0–1); ``h_log_n`` is log(1 + decayed number of drafts);
        the last two are decayed *counts* (half-life ``RECENT_HALF_LIFE_DAYS``) of the member's
        vetoes on the target and of the target's failed drafts.
        """
        now = _days(when)
        hl, hm, hr = HALF_LIFE_YEARS * 365.25, MEMBER_HALF_LIFE_YEARS * 365.25, RECENT_HALF_LIFE_DAYS
        n = self.n_topic[key].get(now, hl) if key in self.n_topic else 0.0
        denom = n + 1.0  # one pseudo-draft of unanimous yes (shrinks thin histories to zero)
        no = self.no_mt[(member, key)].get(now, hl) if (member, key) in self.no_mt else 0.0
        ab = self.abstain_mt[(member, key)].get(now, hl) if (member, key) in self.abstain_mt else 0.0
        con = self.contest_topic[key].get(now, hl) if key in self.contest_topic else 0.0
        fail = self.failed_topic[key].get(now, hl) if key in self.failed_topic else 0.0
        nm = self.n_member[member].get(now, hm) if member in self.n_member else 0.0
        dm = self.dissent_member[member].get(now, hm) if member in self.dissent_member else 0.0
        vr = self.veto_recent_mt[(member, key)].get(now, hr) if (member, key) in self.veto_recent_mt else 0.0
        fr = self.failed_recent_topic[key].get(now, hr) if key in self.failed_recent_topic else 0.0
        return (no / denom, ab / denom, float((member, key) in self.vetoed_mt), con / denom,
                fail / denom, math.log1p(n), dm / (nm + 5.0), vr, fr)

    def update(self, drafts: pd.DataFrame, votes: pd.DataFrame) -> None:
        """Add the outcomes of ``drafts`` (one row each) and their member ``votes`` to the tallies."""
        hl, hm, hr = HALF_LIFE_YEARS * 365.25, MEMBER_HALF_LIFE_YEARS * 365.25, RECENT_HALF_LIFE_DAYS
        for d in drafts.itertuples(index=False):
            now = _days(d.date)
            key = d.key
            self.n_topic.setdefault(key, _Decayed()).add(now, 1.0, hl)
            contested = float(d.no + d.abstain > 0)
            self.contest_topic.setdefault(key, _Decayed()).add(now, contested, hl)
            self.failed_topic.setdefault(key, _Decayed()).add(now, float(d.outcome != "adopted"), hl)
            if d.outcome != "adopted":
                self.failed_recent_topic.setdefault(key, _Decayed()).add(now, 1.0, hr)
        merged = votes.merge(drafts[["draft_id", "key"]], on="draft_id")
        for v in merged.itertuples(index=False):
            now = _days(v.date)
            mk = (v.member, v.key)
            self.no_mt.setdefault(mk, _Decayed()).add(now, float(v.vote == "no"), hl)
            self.abstain_mt.setdefault(mk, _Decayed()).add(now, float(v.vote == "abstain"), hl)
            if v.vetoed:
                self.vetoed_mt.add(mk)
                self.veto_recent_mt.setdefault(mk, _Decayed()).add(now, 1.0, hr)
            self.n_member.setdefault(v.member, _Decayed()).add(now, 1.0, hm)
            self.dissent_member.setdefault(v.member, _Decayed()).add(now, float(v.vote != "yes"), hm)
        if len(drafts):
            last = drafts["date"].max()
            self.last_date = last if self.last_date is None else max(self.last_date, last)


def draft_key(target: object, topic: object) -> str:
    """Return the history key of a draft: its target ISO3, else its topic label."""
    return str(target) if isinstance(target, str) and target else f"topic:{topic}"


@lru_cache(maxsize=1)
def _manifest_table() -> dict[tuple[str, int], int]:
    eb = read_table("ewp_basedata")[["ccode", "year", "mk_ongoing"]]
    cc = read_table("countries")[["iso3", "ccode"]].dropna()
    iso = dict(zip(cc["ccode"].astype(int), cc["iso3"], strict=True))
    out: dict[tuple[str, int], int] = {}
    for r in eb.itertuples(index=False):
        code = iso.get(int(r.ccode))
        if code:
            out[(code, int(r.year))] = max(out.get((code, int(r.year)), 0), int(r.mk_ongoing))
    return out


EWP_LAST_YEAR = 2024


def manifest_in(target: str | None, year: int) -> bool:
    """Return True if EWP codes a state-led mass killing ongoing in ``target`` in ``year`` (2025+ → 2024)."""
    if not target:
        return False
    return bool(_manifest_table().get((target, min(int(year), EWP_LAST_YEAR)), 0))


def pair_alignment(a: str, b: str, year: int) -> tuple[float, float]:
    """Return (agreement, ideal-point distance) of two ISO3 states in ``year`` (NaN if unknown)."""
    return _pair_alignment(a, b, min(int(year), 2019))


@lru_cache(maxsize=200_000)
def _pair_alignment(a: str, b: str, year: int) -> tuple[float, float]:
    from r2p.council._alignment import _lookup

    if a == b:
        return 1.0, 0.0
    ag, dist, _ = _lookup(alignment_data(), a, b, year)
    return ag, dist


# Fill values for missing alignment (a state without GA votes, e.g. Kosovo): the typical pair.
_FILL_AGREE, _FILL_IPD = 0.6, 1.0


def static_features(member: str, target: str | None, year: int, *, sponsors: tuple[str, ...],
                    presidential: bool, amendment: bool, region: str, manifest: bool) -> list[float]:
    """Return the static part of a feature row (order as in ``FEATURES`` up to the history block).

    The last static feature, ``log_n_sponsors``, is log(1 + number of sponsoring states): long
    co-sponsor lists mark texts pushed to a vote to put a position on record.

    GA alignment is taken from the *previous* calendar year: most of a year's GA roll calls are
    held in its last quarter, after many of that year's Council drafts, so the previous year is
    what was known at the time of a vote.
    """
    year = int(year) - 1
    if target:
        ag, ipd = pair_alignment(member, target, year)
        ag = _FILL_AGREE if math.isnan(ag) else ag
        ipd = _FILL_IPD if math.isnan(ipd) else ipd
    else:
        ag, ipd = _FILL_AGREE, _FILL_IPD
    others = [s for s in sponsors if s != member]
    if others:
        pairs = [pair_alignment(member, s, year) for s in others]
        sa = [p[0] for p in pairs if not math.isnan(p[0])]
        sd = [p[1] for p in pairs if not math.isnan(p[1])]
        s_ag = float(np.mean(sa)) if sa else _FILL_AGREE
        s_ipd = float(np.mean(sd)) if sd else _FILL_IPD
    elif presidential or member in sponsors:
        s_ag, s_ipd = 1.0, 0.0  # presidential text or own draft: as if aligned with the sponsors
    else:
        s_ag, s_ipd = _FILL_AGREE, _FILL_IPD  # sponsors not recorded
    regions = [float(region == r) for r in REGIONS]
    return [float(target is not None), ag, ipd, float(member == target), float(member in sponsors),
            float(presidential), float(bool(others)), s_ag, s_ipd, float(amendment), float(manifest),
            *regions, math.log1p(len(sponsors))]


def feature_row(static: list[float], hist: tuple[float, ...]) -> list[float]:
    """Return a full feature row from its static part and history features (adds interactions).

    ``side``: how much closer (GA agreement) the member stands to the target than to the
    draft's sponsors; 0 without a target or without known sponsors.
    """
    h_no_x_agree = hist[0] * static[1]
    side = (static[1] - static[7]) if static[0] and static[6] else 0.0
    return [*static, *hist, h_no_x_agree, side]
