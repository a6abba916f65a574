"""Put the parsed case library into the warehouse as two flat tables."""

from __future__ import annotations

import pandas as pd

from r2p.cases._library import library
from r2p.cases._timeline import first_steps, timeline


def library_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(cases, case_events)``: one row per case (with first-step months) and per event."""
    case_rows, event_rows = [], []
    for c in library():
        fs = first_steps(c)
        case_rows.append({
            "id": c.id, "name": c.name, "target_state": c.target_state, "region": c.region,
            "onset_date": c.onset_date, "perpetrator": c.perpetrator, "crime_types": ",".join(c.crime_types),
            "deaths_best": c.deaths.best_estimate,
            "deaths_low": c.deaths.range[0] if c.deaths.range else None,
            "deaths_high": c.deaths.range[1] if c.deaths.range else None,
            "confidence": c.confidence, "n_events": len(c.events),
            "first_unsc_action_month": fs.first_unsc_action,
            "first_unsc_coercive_month": fs.first_unsc_coercive,
            "first_force_month": fs.first_force, "first_veto_month": fs.first_veto,
            **{f"stance_{m}": s.stance for m, s in c.p5_stance.items()},
        })
        tl = timeline(c)
        tl.insert(0, "case_id", c.id)
        event_rows.append(tl)
    cases = pd.DataFrame(case_rows)
    for col in ("deaths_best", "deaths_low", "deaths_high", "first_unsc_action_month",
                "first_unsc_coercive_month", "first_force_month", "first_veto_month"):
        cases[col] = cases[col].astype("Int64")
    return cases, pd.concat(event_rows, ignore_index=True)


def store_library() -> int:
    """Write the ``cases`` and ``case_events`` warehouse tables; return the number of cases."""
    from r2p.data import write_table

    cases, events = library_tables()
    write_table("cases", cases)
    write_table("case_events", events)
    return len(cases)
