"""As-of inputs of one case: everything the prediction of a case uses, dated before its onset.

``case_inputs(case)`` returns a ``CaseInputs`` holding the simulator's ``ScenarioInputs``
(Council vote and veto probabilities per draft class, P5 alignment, baseline risk, closed
state), the era's veto rate and ``flags`` naming every input that was missing for that date.

As-of rules (docs/cases.md, "As-of rules"), for a case whose onset month is ``Y-MM``:

- Council vote model: ``r2p.council.load_model(as_of=onset day 1)`` — fitted only on drafts
  dated strictly before the onset month. Its vote table is asked for ``year = Y − 1`` so that
  GA alignment, Council membership and the decayed vote history are those of the year
  before onset (the vote model would otherwise read GA roll calls of the onset year, most of
  which fall after a spring onset). Before February 1994 there are no recorded draft votes:
  the Council is then built from the veto record (``unsc_vetoes``) and resolutions
  (``unsc_resolutions``) dated before onset and GA alignment of ``Y − 1``
  (``veto_history_council``), flagged ``no_council_draft_votes``.
- Risk: ``r2p.risk.country_risk(target, Y − 1)`` (trained on data ≤ Y − 1, labels ≤ Y − 1);
  before the risk model's first base year it is missing (``no_risk_score``).
- GA alignment: roll calls of ``Y − 1`` (carried back to the latest earlier year with votes;
  after 2019 the 2019 votes are used, flagged ``ga_votes_carried_forward``).
- Closed state: EWP panel ``freediscussion`` of the latest year ≤ ``Y − 1``.

Computing these takes seconds to a minute per case (the vote history and the risk model
are refitted as of each date), so results are cached under
``r2p.data.home_dir()/"cache"/"cases"``, keyed by the warehouse fingerprint, ``FEATURES_VERSION``,
the council and risk model versions and the case's onset fields.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, logit

from r2p.cases._schema import OnsetCase
from r2p.data import cached_pickle, save_pickle
from r2p.errors import R2PDataError, R2PInputError

#: Bump when anything below changes the inputs (invalidates the cache).
FEATURES_VERSION = "cases-features-4"

#: First date the Council vote model can be fitted for (the draft-vote record starts in 1994).
COUNCIL_VOTES_FROM = dt.date(1994, 2, 1)
#: A vote model fitted on fewer recorded member-votes than this is flagged ``council_votes_thin``.
THIN_VOTES = 3000
GA_LAST_YEAR = 2019
#: Years of veto record that set the era's veto rate.
VETO_WINDOW_YEARS = 10

# Priors of the pre-1994 Council (veto_history_council); each is an ASSUMPTION (docs/cases.md).
#: log-odds of a veto per rung of robustness (the same prior as r2p.council's LOGIT_NO_PER_RUNG).
PRIOR_LOGIT_VETO_PER_RUNG = 0.45
#: log-odds of a veto per unit of GA agreement of the member with the target above 0.5.
PRIOR_LOGIT_VETO_PER_AGREEMENT = 4.0
#: P(abstain) of a permanent member that does not veto, and P(yes) of an elected member.
PRIOR_P5_ABSTAIN = 0.15
PRIOR_ELECTED_YES = 0.8
#: rung of the average draft (r2p.council REFERENCE_RUNG)
PRIOR_REFERENCE_RUNG = 2.5

FLAG_TEXT = {
    "no_council_draft_votes": "no recorded Council draft votes before Feb 1994: Council built from the veto "
                              "record and GA alignment",
    "council_vote_model_failed": "the Council vote model could not be fitted as of onset (too few votes): "
                                 "Council built from the veto record and GA alignment",
    "council_votes_thin": f"vote model fitted on fewer than {THIN_VOTES} member-votes",
    "no_risk_score": "r2p.risk has no forecast for the year before onset (base years 1991–2024)",
    "ga_votes_carried_forward": "no GA roll calls for the year before onset (after 2019): latest year used",
    "no_ga_alignment": "target has no GA votes in the year before onset: typical alignment used",
    "not_in_ewp_panel": "target not in the EWP panel: closed_state set to 0.5",
}


@dataclass(frozen=True)
class CaseInputs:
    """As-of inputs of one case (all dated before its onset).

    ``p_yes[m, c, j]`` / ``p_veto[m, c, i]``: as in ``r2p.crisis.ScenarioInputs`` (m = crime
    manifest no/yes; c = Council class; j = member, the P5 first). ``council_source`` is
    ``"vote_model"`` or ``"veto_history"``. ``risk_1y`` is the 1-year onset risk (0–1, NaN if
    missing); ``veto_rate`` the era's vetoes per draft put to the vote over the ten years before
    onset; ``alignment`` each P5 member's GA agreement (0–1) with the target in ``ga_year``.
    """

    id: str
    target: str
    country: str
    onset_date: str
    region: str
    regional_org: str
    p_yes: NDArray[np.float64]
    p_veto: NDArray[np.float64]
    members: tuple[str, ...]
    council_source: str
    council_as_of: str
    council_votes: int
    council_last_draft: str | None
    risk_1y: float
    risk_rank: int | None
    n_countries: int | None
    risk_base_year: int | None
    closed_state: float
    alignment: dict[str, float]
    ga_year: int | None
    veto_rate: float
    flags: tuple[str, ...] = field(default=())

    @property
    def onset_year(self) -> int:
        """Calendar year of onset."""
        return int(self.onset_date[:4])

    def scenario_inputs(self) -> Any:
        """Return these inputs as an ``r2p.crisis.ScenarioInputs`` (for ``Scenario``)."""
        from r2p.crisis import ScenarioInputs

        return ScenarioInputs(
            target=self.target, country=self.country, year=self.onset_year, region=self.region,
            regional_org=self.regional_org, p_yes=self.p_yes, p_veto=self.p_veto, members=self.members,
            baseline_risk=self.risk_1y, risk_rank=self.risk_rank, n_countries=self.n_countries,
            closed_state=self.closed_state, alignment=dict(self.alignment),
            source=f"r2p.cases:{self.council_source}",
        )

    def p_veto_any(self, manifest: bool = True) -> NDArray[np.float64]:
        """P(at least one P5 veto) on a draft of each Council class (0–1)."""
        pv = self.p_veto[int(manifest)]
        return np.asarray(1.0 - np.prod(1.0 - pv, axis=-1))


def onset_day(case: OnsetCase) -> dt.date:
    """The first day of the onset month: every input is dated strictly before it."""
    return dt.date(case.onset_year, case.onset_month, 1)


# ----------------------------------------------------------------------------- cache

def _fingerprint() -> str:
    from r2p.data._warehouse import fingerprint

    return fingerprint()


def cache_dir() -> Path:
    """The cases cache folder (created): ``r2p.data.home_dir()/"cache"/"cases"``."""
    from r2p.data import home_dir

    path = home_dir() / "cache" / "cases"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_path(name: str, *parts: object) -> Path:
    """A cache file for ``name`` keyed by fingerprint, code and input-model versions and ``parts``."""
    from r2p.council import MODEL_VERSION as COUNCIL_VERSION
    from r2p.risk import MODEL_VERSION as RISK_VERSION

    raw = "|".join([_fingerprint(), FEATURES_VERSION, COUNCIL_VERSION, RISK_VERSION, name, *map(repr, parts)])
    return cache_dir() / f"{name}-{hashlib.sha256(raw.encode()).hexdigest()[:16]}.pkl"


# ----------------------------------------------------------------------------- inputs

def inputs_cache_path(case: OnsetCase) -> Path:
    """The cache file holding ``case_inputs(case)`` (it may not exist yet)."""
    return cache_path("inputs", case.id, case.target_state, case.onset_date)


def case_inputs(case: OnsetCase, *, use_cache: bool = True) -> CaseInputs:
    """Return the as-of inputs of ``case`` (cached). ``R2PInputError`` names the case if its
    target is unknown or its onset is outside the data."""
    path = inputs_cache_path(case)
    if use_cache:
        return cached_pickle(path, lambda: _build_inputs(case))
    out = _build_inputs(case)
    save_pickle(path, out)
    return out


def _build_inputs(case: OnsetCase) -> CaseInputs:
    from r2p.data import resolve_country
    from r2p.law import regional_organisation

    try:
        country = resolve_country(case.target_state)
    except R2PInputError as exc:
        raise R2PInputError(f"case {case.id}: target_state {case.target_state!r} is unknown: {exc}") from None
    year = case.onset_year
    if year < 1947:
        raise R2PInputError(f"case {case.id}: onset_date {case.onset_date} is before the data (1947 on).")
    if case.onset_date > dt.date.today().strftime("%Y-%m"):
        raise R2PInputError(f"case {case.id}: onset_date {case.onset_date} is in the future.")
    flags: list[str] = []
    as_of = onset_day(case)
    alignment, ga_year = _alignments(country.iso3, year - 1, flags)
    veto_rate = era_veto_rate(as_of)
    vote_model: tuple[Any, ...] | None = None
    if as_of >= COUNCIL_VOTES_FROM:
        try:
            vote_model = _vote_model_council(country.iso3, year, as_of)
        except (R2PInputError, ValueError):
            # e.g. too few votes (one class only) to fit the model as of this date
            flags.append("council_vote_model_failed")
    if vote_model is not None:
        p_yes, p_veto, members, votes, last = vote_model
        source = "vote_model"
        if votes < THIN_VOTES:
            flags.append("council_votes_thin")
    else:
        p_yes, p_veto, members = veto_history_council(alignment, as_of)
        source, votes, last = "veto_history", 0, None
        if as_of < COUNCIL_VOTES_FROM:
            flags.append("no_council_draft_votes")
    risk_1y, rank, n, base = _risk(country.iso3, year - 1, flags)
    closed = _closed_state(country.ewp_name, year - 1, flags)
    org = regional_organisation(country.iso3, country.region or "")
    return CaseInputs(
        id=case.id, target=country.iso3, country=country.name, onset_date=case.onset_date,
        region=country.region or "", regional_org=org.name, p_yes=p_yes, p_veto=p_veto, members=members,
        council_source=source, council_as_of=as_of.isoformat(), council_votes=votes, council_last_draft=last,
        risk_1y=risk_1y, risk_rank=rank, n_countries=n, risk_base_year=base, closed_state=closed,
        alignment=alignment, ga_year=ga_year, veto_rate=veto_rate, flags=tuple(dict.fromkeys(flags)),
    )


def _alignments(target: str, year: int, flags: list[str]) -> tuple[dict[str, float], int | None]:
    from r2p.council import P5, alignment

    out: dict[str, float] = {}
    used: int | None = None
    for m in P5:
        al = alignment(m, target, min(year, GA_LAST_YEAR))
        used = int(al.data_year)
        out[m] = float(al.agreement) if math.isfinite(al.agreement) else float("nan")
    if year > GA_LAST_YEAR:
        flags.append("ga_votes_carried_forward")
    if any(math.isnan(v) for v in out.values()):
        flags.append("no_ga_alignment")
        out = {m: (0.6 if math.isnan(v) else v) for m, v in out.items()}
    return out, used


def _vote_model_council(target: str, year: int, as_of: dt.date) -> tuple[
        NDArray[np.float64], NDArray[np.float64], tuple[str, ...], int, str | None]:
    import r2p.council as council
    from r2p.crisis import vote_arrays
    from r2p.law import COUNCIL_CLASSES

    if tuple(council.INSTRUMENTS) != COUNCIL_CLASSES:
        raise R2PDataError(f"r2p.council classes {council.INSTRUMENTS} differ from r2p.law's "
                           f"{COUNCIL_CLASSES}")
    model = council.load_model(as_of=as_of)
    fitted = model.fitted
    p_yes, p_veto, members = vote_arrays(model, target, year - 1)
    return p_yes, p_veto, members, int(fitted.n_votes), str(fitted.last_date)


def era_veto_rate(as_of: dt.date, years: int = VETO_WINDOW_YEARS) -> float:
    """Vetoed drafts per draft put to the vote (adopted resolutions + vetoed drafts) in the
    ``years`` before ``as_of`` (from ``unsc_vetoes`` and ``unsc_resolutions``)."""
    return _veto_any_rate(as_of, years)


def _window(as_of: dt.date, years: int) -> tuple[str, str]:
    start = dt.date(as_of.year - years, as_of.month, 1)
    return start.isoformat(), as_of.isoformat()


def _veto_any_rate(as_of: dt.date, years: int) -> float:
    from r2p.data import query

    lo, hi = _window(as_of, years)
    v = query("select count(*) as n from unsc_vetoes where date >= ? and date < ?", [lo, hi])["n"].iloc[0]
    r = query("select count(*) as n from unsc_resolutions where date >= ? and date < ?",
              [lo, hi])["n"].iloc[0]
    return float((v + 0.5) / (v + r + 1.0))


_VETO_COLUMNS = {"USA": ("USA",), "GBR": ("UK",), "FRA": ("France",), "RUS": ("USSR", "Russia"),
                 "CHN": ("China",)}


def veto_rates(as_of: dt.date, years: int = VETO_WINDOW_YEARS) -> dict[str, float]:
    """Each P5 member's vetoes per draft put to the vote in the ``years`` before ``as_of``
    (add-half smoothed)."""
    from r2p.data import query

    lo, hi = _window(as_of, years)
    vetoes = query("select * from unsc_vetoes where date >= ? and date < ?", [lo, hi])
    r = int(query("select count(*) as n from unsc_resolutions where date >= ? and date < ?",
                  [lo, hi])["n"].iloc[0])
    drafts = len(vetoes) + r
    out = {}
    for m, cols in _VETO_COLUMNS.items():
        n = sum(float(vetoes[c].fillna(0).astype(float).sum()) for c in cols if c in vetoes)
        out[m] = (n + 0.5) / (drafts + 1.0)
    return out


def veto_history_council(alignment: dict[str, float], as_of: dt.date) -> tuple[
        NDArray[np.float64], NDArray[np.float64], tuple[str, ...]]:
    """A Council for dates without recorded draft votes (before 1994).

    Each permanent member's veto log-odds = log-odds of its own veto rate per draft over the
    ten years before ``as_of`` + ``PRIOR_LOGIT_VETO_PER_RUNG`` × (rung − 2.5) +
    ``PRIOR_LOGIT_VETO_PER_AGREEMENT`` × (GA agreement with the target − 0.5); it abstains with
    ``PRIOR_P5_ABSTAIN`` of the rest; ten typical elected members vote yes with
    ``PRIOR_ELECTED_YES``. The manifest and not-manifest slices are equal (no data say otherwise).
    """
    from r2p.law import COUNCIL_CLASSES, P5

    rates = veto_rates(as_of)
    n_c = len(COUNCIL_CLASSES)
    p_yes = np.zeros((2, n_c, 15))
    p_veto = np.zeros((2, n_c, 5))
    for i, m in enumerate(P5):
        base = float(logit(min(max(rates[m], 1e-4), 0.5)))
        for c in range(n_c):
            lg = base + PRIOR_LOGIT_VETO_PER_RUNG * (c - PRIOR_REFERENCE_RUNG) + \
                PRIOR_LOGIT_VETO_PER_AGREEMENT * (alignment.get(m, 0.6) - 0.5)
            pv = float(expit(lg))
            p_veto[:, c, i] = pv
            p_yes[:, c, i] = (1.0 - pv) * (1.0 - PRIOR_P5_ABSTAIN)
    p_yes[:, :, 5:] = PRIOR_ELECTED_YES
    members = (*P5, *(f"E{i:02d}" for i in range(1, 11)))
    return p_yes, p_veto, members


def _risk(target: str, base_year: int, flags: list[str]) -> tuple[float, int | None, int | None, int | None]:
    import r2p.risk as risk

    try:
        cr = risk.country_risk(target, base_year)
    except R2PInputError:
        flags.append("no_risk_score")
        return float("nan"), None, None, None
    return float(cr.risk_1y), int(cr.rank), int(cr.n_countries), base_year


def _closed_state(ewp_name: str | None, year: int, flags: list[str]) -> float:
    from r2p.data import query

    if not ewp_name:
        flags.append("not_in_ewp_panel")
        return 0.5
    df = query("select year, freediscussion from ewp_panel where ewp_name = ? and year <= ? "
               "order by year desc limit 1", [ewp_name, int(year)])
    if df.empty or not np.isfinite(df["freediscussion"].iloc[0]):
        return 0.5
    return float(np.clip(1.0 - float(df["freediscussion"].iloc[0]), 0.0, 1.0))
