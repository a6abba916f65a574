"""What the pages and the API show, as JSON-ready dicts: one function per view.

Every function validates its input and raises ``NotFound`` (404) or ``R2PInputError``
(400) with a message a user can act on; the route handlers only translate. Results of
expensive calls into other parts are cached in-process (``_parts.cached``).
"""

from __future__ import annotations

import contextlib
import math
from functools import lru_cache
from typing import Any

import pandas as pd

from r2p.errors import R2PInputError, suggest
from r2p.web._parts import PartUnavailable, cached, part


class NotFound(Exception):
    """The thing asked for does not exist: served as 404 with this message."""


def _clean(value: Any) -> Any:
    """Return ``value`` with NaN/inf → None and numpy scalars → Python scalars, recursively."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return ``frame`` as a list of JSON-ready row dicts."""
    return [_clean(r) for r in frame.to_dict(orient="records")]


# ----------------------------------------------------------------------------- countries


@lru_cache(maxsize=1)
def _country_table() -> dict[str, Any]:
    from r2p.data import countries

    return {c.iso3: c for c in countries().all()}


def country(iso3: str) -> Any:
    """Return the ``r2p.data.Country`` with ISO3 code ``iso3`` (any case); ``NotFound`` otherwise."""
    table = _country_table()
    code = str(iso3).strip().upper()
    if code in table:
        return table[code]
    names = {c.name: c.iso3 for c in table.values()}
    hint = suggest(str(iso3), list(table) + list(names))
    raise NotFound(f"no country with ISO3 code {str(iso3)[:40]!r}; use a three-letter ISO 3166 code such as "
                   f"'SDN' or 'MMR'.{hint}")


def country_list() -> list[dict[str, Any]]:
    """Return every country of the crosswalk: iso3, name, region, ccode (None if not in EWP's panel)."""
    return [_clean({"iso3": c.iso3, "name": c.name, "region": c.region, "ccode": c.ccode})
            for c in sorted(_country_table().values(), key=lambda c: c.name)]


def country_summary(iso3: str, year: int | None = None) -> dict[str, Any]:
    """Return a country's identity, the cases about it, and which of risk/council views exist."""
    c = country(iso3)
    cases = [case_brief(k) for k in _library() if k.target_state == c.iso3]
    out: dict[str, Any] = {
        "iso3": c.iso3, "name": c.name, "region": c.region, "ccode": c.ccode, "ewp_name": c.ewp_name,
        "cases": cases,
        "links": {
            "risk": f"/api/countries/{c.iso3}/risk",
            "council": f"/api/countries/{c.iso3}/council",
            "page": f"/countries/{c.iso3}",
        },
    }
    try:
        out["risk"] = country_risk(c.iso3, year)
    except (PartUnavailable, R2PInputError, NotFound) as exc:
        out["risk"] = None
        out["risk_unavailable"] = str(exc)
    return _clean(out)


# ----------------------------------------------------------------------------- cases


def _library() -> list[Any]:
    from r2p.cases import library

    return cached(("cases", "library"), library)


def case_brief(case: Any) -> dict[str, Any]:
    """Return the list-view fields of one case."""
    return _clean({
        "id": case.id, "name": case.name, "target_state": case.target_state, "region": case.region,
        "years": case.years, "onset_date": case.onset_date, "crime_types": list(case.crime_types),
        "perpetrator": case.perpetrator, "deaths_best_estimate": case.deaths.best_estimate,
        "deaths_range": list(case.deaths.range) if case.deaths.range else None,
        "veto_count": case.veto_count, "confidence": case.confidence,
        "events": len(case.events),
    })


def case_list() -> list[dict[str, Any]]:
    """Return every case of the library, by onset date."""
    return [case_brief(c) for c in _library()]


def _case(case_id: str) -> Any:
    cases = {c.id: c for c in _library()}
    if case_id not in cases:
        raise NotFound(f"no case with id {case_id[:60]!r} in the case library." + suggest(case_id, cases))
    return cases[case_id]


def case_detail(case_id: str) -> dict[str, Any]:
    """Return one case in full (deaths, P5 stances, outcome, sources) with its timeline of events."""
    from r2p.cases import first_steps, timeline

    c = _case(case_id)
    tl = timeline(c)
    events = records(tl) if not tl.empty else []
    steps = first_steps(c)
    out = case_brief(c)
    out.update({
        "crime_types_note": c.crime_types_note,
        "deaths": c.deaths.model_dump(),
        "p5_stance": {k: v.model_dump() for k, v in c.p5_stance.items()},
        "outcome": c.outcome.model_dump(),
        "legitimacy_notes": c.legitimacy_notes,
        "sources": list(c.sources),
        "verification_flags": list(c.verification_flags),
        "first_steps": {
            "first_unsc_action": steps.first_unsc_action,
            "first_unsc_coercive": steps.first_unsc_coercive,
            "first_force": steps.first_force,
            "first_veto": steps.first_veto,
        },
        "timeline": events,
    })
    return _clean(out)


# ----------------------------------------------------------------------------- parts status


def status() -> dict[str, Any]:
    """Return which parts of r2p the dashboard can use right now, with the reason for each missing one."""
    from r2p import __version__
    from r2p.web._parts import PARTS

    parts = {}
    for name, what in PARTS.items():
        try:
            part(name)
            parts[name] = {"available": True, "what": what}
        except PartUnavailable as exc:
            parts[name] = {"available": False, "what": what, "reason": str(exc)}
    return {"version": __version__, "parts": parts}


# ----------------------------------------------------------------------------- risk

VIEWS = {
    "top": "Top risks: highest estimated risk of a new state-led mass killing within two years",
    "movers": "Biggest movers: largest change in two-year risk since the previous year's forecast",
    "surprises": ("Surprises: onsets of mass killing (in the out-of-sample backtest) that the model "
                  "had ranked outside its top 30 the year before"),
    "persistent": "Persistent risk: countries in the top 20 in every one of the last five forecasts",
}
PERSISTENT_YEARS = 5
PERSISTENT_TOP = 20
SURPRISE_RANK = 30
#: First base year of EWP's fully-out-of-sample protocol (data/ewp/PROTOCOL.md), used when r2p.risk
#: does not say.
FIRST_BASE_YEAR = 1991


@lru_cache(maxsize=1)
def data_years() -> tuple[int, int]:
    """Return the first and last year of the EWP panel in the warehouse."""
    from r2p.data import query

    row = query("select min(year) as lo, max(year) as hi from ewp_panel").iloc[0]
    return int(row["lo"]), int(row["hi"])


def base_years() -> tuple[int, int]:
    """Return the first and last base year a risk forecast can be made from."""
    risk = part("risk")
    first = int(getattr(risk, "FIRST_BASE_YEAR", FIRST_BASE_YEAR))
    last = int(getattr(risk, "LAST_BASE_YEAR", data_years()[1]))
    return first, last


def _risk_models() -> tuple[list[str], str]:
    risk = part("risk")
    names = list(getattr(risk, "MODELS", {}))
    default = str(getattr(risk, "DEFAULT_MODEL", names[0] if names else ""))
    return names, default


def _check_model(model: str | None) -> str:
    names, default = _risk_models()
    if model is None or model == "":
        return default
    if model not in names:
        raise R2PInputError(f"model {model[:40]!r} is not one of {', '.join(names)}." + suggest(model, names))
    return model


def _check_year(year: int | None) -> int:
    first, last = base_years()
    if year is None:
        return last
    if not first <= year <= last:
        raise R2PInputError(f"year {year} is outside the data: risk forecasts exist for base years "
                            f"{first}–{last}.")
    return year


def forecast_frame(year: int | None = None, model: str | None = None) -> tuple[pd.DataFrame, int, str]:
    """Return the cached forecast DataFrame for base ``year`` and ``model`` (defaults: latest, default)."""
    risk = part("risk")
    y, m = _check_year(year), _check_model(model)
    frame = cached(("risk", "forecast", y, m), lambda: risk.forecast(y, model=m))
    return frame, y, m


def backtest_result(model: str | None = None) -> tuple[Any, str]:
    """Return the cached backtest result of ``model``."""
    risk = part("risk")
    m = _check_model(model)
    return cached(("risk", "backtest", m), lambda: risk.backtest(model=m)), m


def risk_meta() -> dict[str, Any]:
    """Return the models, default model, base years and map views the risk endpoints accept."""
    names, default = _risk_models()
    first, last = base_years()
    return {"models": names, "default_model": default, "ewp_method": "elastic_net" if "elastic_net" in names
            else None, "first_year": first, "last_year": last, "default_year": last, "views": VIEWS}


_ROW_COLS = ("iso3", "country", "risk_1y", "risk_2y", "rank", "prev_risk_2y", "change", "drivers")


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    cols = [c for c in _ROW_COLS if c in frame.columns]
    return records(frame[cols])


def risk_view(view: str = "top", year: int | None = None, model: str | None = None,
              limit: int = 30) -> dict[str, Any]:
    """Return one map view: every country's value to colour the map by, and the ranked list beside it."""
    if view not in VIEWS:
        raise NotFound(f"no map view {view[:30]!r}: expected one of {', '.join(VIEWS)}."
                       + suggest(view, VIEWS))
    frame, y, m = forecast_frame(year, model)
    out: dict[str, Any] = {"view": view, "description": VIEWS[view], "year": y, "model": m,
                           "horizon": f"onset in {y + 1} or {y + 2}"}
    if view == "top":
        out["values"] = {r["iso3"]: r["risk_2y"] for r in _rows(frame)}
        out["value_label"] = "two-year risk"
        out["items"] = _rows(frame.sort_values("risk_2y", ascending=False).head(limit))
    elif view == "movers":
        moved = frame.dropna(subset=["change"])
        ranked = moved.reindex(moved["change"].abs().sort_values(ascending=False).index)
        out["values"] = {r["iso3"]: r["change"] for r in _rows(moved)}
        out["value_label"] = "change in two-year risk"
        out["items"] = _rows(ranked.head(limit))
    elif view == "persistent":
        out.update(_persistent(y, m, limit))
    else:
        out.update(_surprises(m, limit))
    return _clean(out)


def _persistent(year: int, model: str, limit: int) -> dict[str, Any]:
    """Countries ranked in the top ``PERSISTENT_TOP`` by each of the forecasts from the last five base years.

    Earlier years' ranks come from the backtest's windows (each made only with data up to that year,
    the same fit a forecast from that year uses); the base year's own from ``forecast``.
    """
    frame, _, _ = forecast_frame(year, model)
    result, _ = backtest_result(model)
    first = max(base_years()[0], int(result.risks["feature_year"].min()), year - PERSISTENT_YEARS + 1)
    years = list(range(min(first, year), year + 1))
    earlier = result.risks[result.risks["feature_year"].between(first, year - 1)]
    ranks: dict[int, dict[int, int]] = {}
    for y, cc, rk in zip(earlier["feature_year"], earlier["ccode"], earlier["rank"], strict=True):
        ranks.setdefault(int(cc), {})[int(y)] = int(rk)
    for cc, rk in zip(frame["ccode"], frame["rank"], strict=True):
        ranks.setdefault(int(cc), {})[year] = int(rk)
    by_ccode = {int(r["ccode"]): r for r in records(frame[["ccode", "iso3", "country", "risk_2y"]])}
    persistent = []
    for cc, per_year in ranks.items():
        got = [per_year[y] for y in years if y in per_year]
        if cc in by_ccode and len(got) == len(years) and max(got) <= PERSISTENT_TOP:
            row = by_ccode[cc]
            persistent.append({"iso3": row["iso3"], "country": row["country"], "years_in_top": len(got),
                               "best_rank": min(got), "mean_rank": round(sum(got) / len(got), 1),
                               "ranks": dict(zip(years, got, strict=True)), "risk_2y": row["risk_2y"]})
    persistent.sort(key=lambda r: float(r["mean_rank"]))
    return {"values": {r["iso3"]: r["years_in_top"] for r in persistent},
            "value_label": f"years in the top {PERSISTENT_TOP}", "years": years, "items": persistent[:limit]}


def _surprises(model: str, limit: int) -> dict[str, Any]:
    result, _ = backtest_result(model)
    table = result.table
    onsets = table[table["mk_onset"] == 1]
    missed = onsets[onsets["rank_prev"] > SURPRISE_RANK].sort_values("year", ascending=False)
    items = [{"iso3": r["iso3"], "country": r["country"], "year": r["year"], "rank": r["rank_prev"],
              "risk_prev": r["risk_prev"]} for r in records(missed)]
    values: dict[str, Any] = {}
    for r in items:
        values.setdefault(str(r["iso3"]), r["year"])
    return {"values": values, "value_label": "year of the surprise onset", "items": items[:limit],
            "onsets": len(onsets), "caught_in_top30": int((onsets["rank_prev"] <= SURPRISE_RANK).sum()),
            "years": [int(table["year"].min()), int(table["year"].max())]}


def country_risk(iso3: str, year: int | None = None, model: str | None = None) -> dict[str, Any]:
    """Return a country's risk: 1- and 2-year risk, rank, drivers and history of two-year risk."""
    c = country(iso3)
    risk = part("risk")
    if c.ccode is None:
        raise NotFound(f"{c.name} ({c.iso3}) is not in the Early Warning Project panel, so r2p has no risk "
                       "estimate for it.")
    y, m = _check_year(year), _check_model(model)
    cr = cached(("risk", "country", c.iso3, y, m), lambda: risk.country_risk(c.iso3, y, model=m))
    frame, _, _ = forecast_frame(y, m)
    row = frame[frame["iso3"] == c.iso3]
    out = {
        "iso3": cr.iso3, "country": cr.country, "base_year": cr.base_year, "model": m,
        "risk_1y": cr.risk_1y, "risk_2y": cr.risk_2y, "rank": cr.rank, "n_countries": cr.n_countries,
        "prev_risk_2y": row["prev_risk_2y"].iloc[0] if len(row) else None,
        "change": row["change"].iloc[0] if len(row) else None,
        "drivers": [{"feature": d.feature, "label": d.label, "value": d.value, "contribution": d.contribution}
                    for d in cr.drivers],
        "history": [{"base_year": int(h[0]), "risk_2y": h[1]} for h in cr.history]
        + [{"base_year": cr.base_year, "risk_2y": cr.risk_2y}],
    }
    return _clean(out)


#: The named baselines every model is reported next to (STYLE.md): EWP's method and two naive ones.
BASELINES = ("elastic_net", "onset_last_year", "base_rate")


def track_record(model: str | None = None) -> dict[str, Any]:
    """Return the backtest scores and reliability bins of ``model`` next to the named baselines.

    Scores are r2p.risk's own (AUC, Brier, log loss, onsets caught in the top 10/20/30, pooled and by
    year); ``ewp_method`` names the model that re-implements EWP's published elastic net; the
    baselines are EWP's method, "onset last year" and the base rate.
    """
    names, _ = _risk_models()
    first = _check_model(model)
    out: dict[str, Any] = {"model": first, "ewp_method": "elastic_net" if "elastic_net" in names else None,
                           "models": []}
    for name in [first] + [n for n in BASELINES if n in names and n != first]:
        result, _ = backtest_result(name)
        metrics = {k: v for k, v in result.metrics.items() if k not in ("by_year", "maxrisk2")}
        out["models"].append({"model": name, "metrics": metrics, "by_year": result.metrics.get("by_year", []),
                              "reliability": reliability(result.table)})
    return _clean(out)


def reliability(table: pd.DataFrame, bins: int = 10) -> list[dict[str, Any]]:
    """Return reliability bins: per quantile bin of ``risk_prev``, mean predicted risk vs observed onset rate.

    The predicted value is the probability of an onset in the next two years; observed is the share
    of those country-years with an onset (``mk_onset``), as the backtest scores them.
    """
    frame = table[["risk_prev", "mk_onset"]].dropna()
    if frame.empty:
        return []
    edges = sorted(set(frame["risk_prev"].quantile([i / bins for i in range(bins + 1)]).tolist()))
    if len(edges) < 2:
        return [{"predicted": float(frame["risk_prev"].mean()), "observed": float(frame["mk_onset"].mean()),
                 "n": len(frame), "onsets": int(frame["mk_onset"].sum())}]
    cut = pd.cut(frame["risk_prev"], edges, include_lowest=True, duplicates="drop")
    grouped = frame.groupby(cut, observed=True).agg(predicted=("risk_prev", "mean"),
                                                    observed=("mk_onset", "mean"),
                                                    n=("mk_onset", "size"), onsets=("mk_onset", "sum"))
    return records(grouped.reset_index(drop=True))


# ----------------------------------------------------------------------------- council


def council_outlook(iso3: str, year: int | None = None) -> dict[str, Any]:
    """Return the Council outlook on ``iso3`` in ``year``: each draft's pass/veto chances and members' votes.

    Probabilities are 0–1: ``p_pass`` (nine yes votes and no veto), ``p_veto`` (at least one P5
    veto), ``p_short_of_nine`` (no veto but fewer than nine yes votes); ``votes`` has one row per
    (instrument, member) with p_yes, p_abstain, p_no and, for the P5, p_veto.
    """
    c = country(iso3)
    council = part("council")
    y = year if year is not None else data_years()[1]
    model = cached(("council", "model"), council.load_model)
    outlook = cached(("council", "outlook", c.iso3, y), lambda: model.outlook(c.iso3, y))
    votes = outlook.votes
    return _clean({
        "iso3": c.iso3, "country": c.name, "year": y, "manifest": bool(outlook.manifest),
        "drafts": [{"instrument": d.instrument, "p_pass": d.p_pass, "p_veto": d.p_veto,
                    "p_short_of_nine": d.p_short_of_nine} for d in outlook.drafts],
        "strongest_passable": outlook.strongest_passable,
        "expected_rounds": outlook.expected_rounds,
        "p5": list(council.P5),
        "votes": records(votes) if isinstance(votes, pd.DataFrame) else [],
    })


#: Default first training window of the veto backtest: the one docs/council.md ("Backtest") reports.
VETO_TRAIN_UNTIL = 2010
#: The Brier skill over the base rate the veto model was asked to reach (docs/council.md, "Backtest").
VETO_SKILL_GOAL = 0.20
#: Years in each block of the by-period scores.
VETO_PERIOD_YEARS = 5
#: Edges of the reliability bins of ``p_veto``. Fixed rather than deciles: nearly every prediction is
#: below 2 %, so deciles would put nine of the ten bins in that corner and hide the vetoes.
VETO_BINS = (0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 1.0)


def veto_backtest_result(train_until: int = VETO_TRAIN_UNTIL) -> Any:
    """Return ``r2p.council.veto_backtest(train_until)`` (disk-cached by the council; kept in memory here)."""
    council = part("council")
    if not hasattr(council, "veto_backtest"):
        raise PartUnavailable("council", "it does not export veto_backtest yet")
    if not 1994 <= train_until <= 2024:
        raise R2PInputError(f"train_until {train_until} is out of range: the veto model's first training "
                            "window ends in a year from 1994 to 2024 (the vote record covers 1994–2025).")
    return cached(("council", "veto_backtest", train_until), lambda: council.veto_backtest(train_until))


def _skill(brier: float, reference: float) -> float | None:
    return 1 - brier / reference if reference > 0 else None


def veto_track_record(train_until: int = VETO_TRAIN_UNTIL) -> dict[str, Any]:
    """Return the P5 veto backtest of ``r2p.council`` with drafts after ``train_until`` scored.

    ``metrics``: the council's pooled metrics as it computes them (Brier scores, log losses in nats,
    AUCs, Brier skills, counts); ``scores``: the model next to its two baselines (base rate, repeat
    veto); ``by_member``: P5 votes, expected vetoes (sum of ``p_veto``) and observed vetoes per
    member; ``by_period``: the same scores per block of ``VETO_PERIOD_YEARS`` years; ``reliability``:
    per fixed bin of ``p_veto`` (``VETO_BINS``) the mean prediction, the observed veto rate and n.
    """
    result = veto_backtest_result(train_until)
    rows = result.rows
    m = dict(result.metrics)
    for k in ("train_until", "drafts", "p5_votes", "vetoes"):
        m[k] = int(m[k])
    years = pd.to_datetime(rows["date"]).dt.year
    scores = [
        {"name": "model", "label": "veto model", "brier": m["brier_model"],
         "skill_vs_base_rate": m["brier_skill_vs_base_rate"], "log_loss": m["logloss_model"],
         "auc": m.get("auc_model")},
        {"name": "repeat_veto", "label": "repeat veto", "brier": m["brier_repeat_veto"],
         "skill_vs_base_rate": _skill(m["brier_repeat_veto"], m["brier_base_rate"]),
         "log_loss": m["logloss_repeat_veto"], "auc": m.get("auc_repeat_veto")},
        {"name": "base_rate", "label": "base rate", "brier": m["brier_base_rate"], "skill_vs_base_rate": None,
         "log_loss": m["logloss_base_rate"], "auc": None},
    ]
    members = rows.groupby("member").agg(p5_votes=("vetoed", "size"), expected_vetoes=("p_veto", "sum"),
                                         observed_vetoes=("vetoed", "sum"))
    members = members.sort_values("expected_vetoes", ascending=False).reset_index()
    by_period = []
    first, last = int(years.min()), int(years.max())
    for lo in range(train_until + 1, last + 1, VETO_PERIOD_YEARS):
        hi = min(lo + VETO_PERIOD_YEARS - 1, last)
        block = rows[years.between(lo, hi).to_numpy()]
        if block.empty:
            continue
        y = block["vetoed"].to_numpy(dtype=float)
        columns = {"model": "p_veto", "base_rate": "p_base_rate", "repeat_veto": "p_repeat_veto"}
        briers = {k: float(((block[c].to_numpy() - y) ** 2).mean()) for k, c in columns.items()}
        by_period.append({
            "period": f"{lo}–{hi}" if hi > lo else str(lo), "first_year": lo, "last_year": hi,
            "drafts": int(block["draft_id"].nunique()), "p5_votes": len(block), "vetoes": int(y.sum()),
            "expected_vetoes": float(block["p_veto"].sum()), "brier_model": briers["model"],
            "brier_base_rate": briers["base_rate"], "brier_repeat_veto": briers["repeat_veto"],
            "skill_vs_base_rate": _skill(briers["model"], briers["base_rate"]),
            "repeat_veto_skill_vs_base_rate": _skill(briers["repeat_veto"], briers["base_rate"]),
        })
    return _clean({
        "train_until": train_until, "first_year": first, "last_year": last,
        "skill_goal": VETO_SKILL_GOAL, "skill_goal_met": m["brier_skill_vs_base_rate"] >= VETO_SKILL_GOAL,
        "metrics": m, "scores": scores, "by_member": records(members), "by_period": by_period,
        "reliability": veto_reliability(rows),
    })


def veto_reliability(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Return per fixed bin of ``p_veto`` (``VETO_BINS``, empty bins left out): its edges ``lo``–``hi``,
    the mean prediction, the observed veto rate, the P5 votes ``n`` and the ``vetoes`` in it."""
    frame = rows[["p_veto", "vetoed"]]
    cut = pd.cut(frame["p_veto"], list(VETO_BINS), include_lowest=True)
    grouped = frame.groupby(cut, observed=True).agg(predicted=("p_veto", "mean"), observed=("vetoed", "mean"),
                                                    n=("vetoed", "size"), vetoes=("vetoed", "sum"))
    grouped.insert(0, "hi", [float(iv.right) for iv in grouped.index])
    grouped.insert(0, "lo", [max(0.0, float(iv.left)) for iv in grouped.index])
    return records(grouped.reset_index(drop=True))


# ----------------------------------------------------------------------------- briefs

BRIEF_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
BRIEF_DRAWS = 2000  # draws per regime in a dashboard brief (r2p brief's default)
BRIEF_SEED = 1


def _brief_key(iso3: str, year: int, draws: int, seed: int) -> tuple[Any, ...]:
    return ("report", "brief", iso3, year, draws, seed)


def brief_request(iso3: str, year: int | None, draws: int, seed: int) -> tuple[str, str, int]:
    """Validate a brief request; return (iso3, country name, year). ``NotFound``/``R2PInputError``."""
    c = country(iso3)
    part("report")
    y = year if year is not None else data_years()[1]
    if not 1 <= draws <= 20_000:
        raise R2PInputError(f"draws {draws} is out of range: a dashboard brief uses 1–20000 draws per "
                            "regime.")
    return c.iso3, c.name, y


def write_brief(iso3: str, year: int, draws: int = BRIEF_DRAWS, seed: int = BRIEF_SEED,
                step: Any = None) -> dict[str, tuple[bytes, str]]:
    """Write the HTML and PDF brief with ``r2p.report`` into a temporary folder (nothing the user owns
    changes); return {format: (bytes, file name)}, cached for the life of the process."""
    import tempfile
    from pathlib import Path

    report = part("report")

    def write() -> dict[str, tuple[bytes, str]]:
        with tempfile.TemporaryDirectory(prefix="r2p-web-brief-") as tmp:
            result = report.write_brief(iso3, year, formats=tuple(BRIEF_TYPES), out_dir=Path(tmp),
                                        draws=draws, seed=seed, step=step)
            return {f: (Path(result.paths[f]).read_bytes(), Path(result.paths[f]).name) for f in BRIEF_TYPES}

    return cached(_brief_key(iso3, year, draws, seed), write)


def brief_ready(iso3: str, year: int, draws: int = BRIEF_DRAWS, seed: int = BRIEF_SEED) -> bool:
    """Return True when that brief has been written in this process."""
    from r2p.web._parts import is_cached

    return is_cached(_brief_key(iso3, year, draws, seed))


def brief(iso3: str, year: int | None = None, fmt: str = "pdf", draws: int = BRIEF_DRAWS,
          seed: int = BRIEF_SEED) -> tuple[bytes, str, str]:
    """Return (bytes, media type, file name) of the policy brief on ``iso3`` for ``year`` (r2p.report)."""
    if fmt not in BRIEF_TYPES:
        raise R2PInputError(f"format {fmt[:20]!r} is not one of {', '.join(BRIEF_TYPES)}."
                            + suggest(fmt, BRIEF_TYPES))
    code, _, y = brief_request(iso3, year, draws, seed)
    data, name = write_brief(code, y, draws, seed)[fmt]
    return data, BRIEF_TYPES[fmt], name
