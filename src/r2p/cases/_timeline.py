"""Timelines: events placed in whole months from a case's onset, and first steps by kind."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from r2p.cases._schema import COERCIVE_ART41, Case

FORCE_INSTRUMENTS = ("no_fly_zone", "safe_haven", "precision_strikes", "full_intervention",
                     "humanitarian_corridor", "demonstration_of_presence")


def months_between(onset: str, date: str) -> int:
    """Return whole calendar months from ``onset`` (YYYY-MM) to ``date`` (YYYY-MM[-DD])."""
    return (int(date[:4]) - int(onset[:4])) * 12 + int(date[5:7]) - int(onset[5:7])


def timeline(case: Case) -> pd.DataFrame:
    """Return one row per event: date, month (from onset), actor, instrument, legal_basis, vote summary."""
    rows = []
    for e in case.events:
        vote = ""
        if e.vote is not None:
            v = e.vote
            if v.in_favour is not None:
                vote = f"{v.in_favour}-{v.against or 0}-{v.abstentions or 0}"
            if v.vetoed_by:
                vote += f" vetoed by {', '.join(v.vetoed_by)}"
        rows.append({"date": e.date, "month": months_between(case.onset_date, e.date), "actor": e.actor,
                     "instrument": e.instrument, "legal_basis": e.legal_basis, "vote": vote.strip(),
                     "vetoed": bool(e.vote and e.vote.vetoed_by), "uncertain": e.uncertain,
                     "description": e.description})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class FirstSteps:
    """Months from onset to each first step (None if it never came)."""

    first_unsc_action: int | None
    first_unsc_coercive: int | None
    first_force: int | None
    first_veto: int | None


def first_steps(case: Case) -> FirstSteps:
    """Return months from onset to the first Council action, art. 41 measure, use of force and veto."""
    tl = timeline(case)
    after = tl[tl["month"] >= 0]
    unsc = after[after["actor"] == "UNSC"]

    def first(frame: pd.DataFrame) -> int | None:
        return None if frame.empty else int(frame["month"].min())

    return FirstSteps(
        first_unsc_action=first(unsc[~unsc["instrument"].isin(["veto", "failed_draft"])]),
        first_unsc_coercive=first(unsc[unsc["instrument"].isin(COERCIVE_ART41)]),
        first_force=first(after[after["instrument"].isin(FORCE_INSTRUMENTS) & (after["actor"] != "UNSC")]),
        first_veto=first(after[after["vetoed"]]),
    )
