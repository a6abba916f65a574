"""The response side compiled for one regime and scenario: Council packages and pass
probabilities, alternative authority paths, coordination and the perceived threat tables.

``compile_regime`` turns a ``Regime`` (rules as data, ``r2p.law``) and a ``Scenario`` into plain
arrays the vectorised engine (and the Mesa peer) use; nothing here loops over draws.

Coordination: a route's coordination index is its authority path's ``coordination``, reduced
by the target's strongest patron among the P5 (its veto propensity on sanctions): inside
the Council a patron that opposed a resolution still complies half-way (art. 25), outside
it the patron stays out entirely. An economic instrument's effect is multiplied by
c_k = 1 − leak_k · (1 − coordination) ("sanctions leak when a major partner opts out").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, logit

from r2p.crisis._council import pass_probability, perceived_council_threat, restrained_veto
from r2p.crisis._scenario import Scenario
from r2p.law import (
    BLOCS,
    COUNCIL_CLASSES,
    Regime,
    authority_path,
    crime,
    instrument,
    instruments,
    regional_organisations,
)

PATRON_COMPLIANCE_IN_COUNCIL = (
    0.5  # share of a patron's opposition that still leaks under art. 25 (assumption)
)
DEADLOCK_EROSION_PER_WEEK = (
    0.0025  # Council authority lost per week of deadlock on a manifest atrocity (assumption)
)
DETECTION_CV = 0.5
LAG_CV = 0.4
DELIBERATION_CV = 0.3
AGREED_CRITERIA_PRETEXT = 0.5  # criteria fixed in advance halve pretext claims (assumption)
CLOSED_STATE_DETECTION = 1.0  # detection lag × (1 + this × closed_state) (assumption)
RISK_ATTENTION = 0.3  # detection lag × (1 − this × risk percentile): watched countries are seen sooner


@dataclass(frozen=True)
class Ladder:
    """The instruments as arrays (index k = rung)."""

    names: tuple[str, ...]
    force: NDArray[np.bool_]
    coercive: NDArray[np.bool_]
    troops: NDArray[np.float64]
    lag: NDArray[np.float64]
    leak: NDArray[np.float64]
    council_class: NDArray[np.int64]
    logit_mu: NDArray[np.float64]
    logit_sd: NDArray[np.float64]

    @property
    def median_robustness(self) -> NDArray[np.float64]:
        return np.asarray(expit(self.logit_mu))


@functools.cache
def ladder() -> Ladder:
    """The shipped response ladder as arrays (read-only, built once); robustness is logit-normal
    with the 90 % interval of ``Instrument.robustness_90``."""
    lad = _ladder()
    for value in lad.__dict__.values():
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return lad


def _ladder() -> Ladder:
    items = instruments()
    lo = np.array([max(i.robustness_90[0], 1e-3) for i in items])
    hi = np.array([max(i.robustness_90[1], 2e-3) for i in items])
    mu = (logit(lo) + logit(hi)) / 2.0
    sd = (logit(hi) - logit(lo)) / (2.0 * 1.6448536269514722)
    return Ladder(
        names=tuple(i.name for i in items),
        force=np.array([i.force for i in items]),
        coercive=np.array([i.coercive for i in items]),
        troops=np.array([i.troops for i in items], dtype=np.float64),
        lag=np.array([i.lag_weeks for i in items], dtype=np.float64),
        leak=np.array([i.leak for i in items], dtype=np.float64),
        council_class=np.array([COUNCIL_CLASSES.index(i.council_class) for i in items]),
        logit_mu=np.asarray(mu),
        logit_sd=np.asarray(sd),
    )


@dataclass(frozen=True)
class Route:
    """One way a response can be decided: the Council (index 0) or an alternative path."""

    name: str
    authority: str
    package: NDArray[np.bool_]  # instruments it enacts (paths) — for the Council see Compiled.council_package
    capacity: float
    coordination: float
    acceptance: NDArray[np.float64]  # by bloc, BLOCS order
    erosion: float
    # alternative paths only
    applicable: bool = True
    political_will: float = 0.0
    signal: float = 0.0
    min_deadlocks: int = 0
    min_weeks_manifest: float = 0.0
    decision_weeks: float = 0.0
    pretext_p: float = 0.0
    ex_post_validation: float = 0.0
    perceived_cut: float = 0.0
    mean_lag: float = 0.0


@dataclass(frozen=True)
class Compiled:
    """Everything the engine needs for one (scenario, regime)."""

    regime: str
    ladder: Ladder
    p_pass: NDArray[np.float64]  # per Council class
    council_package: NDArray[np.bool_]  # (classes, instruments)
    council_top: int  # highest class with a non-empty package (-1: the Council can do nothing)
    force_class: int
    jump_first: int
    jump_next: int
    deliberation_weeks: float
    first_session_weeks: float
    detection_mean: float
    deployment_factor: float
    council_coordination: float
    council_acceptance: NDArray[np.float64]  # (3, blocs): chapter_vi, art41, art42
    council_authorities: tuple[str, str, str]
    ex_post_acceptance: NDArray[np.float64]
    ex_post_erosion: float
    theta_council: NDArray[np.float64]  # per Council state (rung + 1)
    paths: tuple[Route, ...]
    trigger_holds: bool
    manifest_applies_restraint: bool
    necessity_deaths: float


def _package_cut(mask: NDArray[np.bool_], lad: Ladder, capacity: float, coordination: float) -> float:
    cut = capacity * (1.0 - lad.leak * (1.0 - coordination)) * lad.median_robustness
    return float(1.0 - np.prod(np.where(mask, 1.0 - cut, 1.0)))


def _package_lag(mask: NDArray[np.bool_], lad: Ladder, factor: float) -> float:
    return float(lad.lag[mask].mean() * factor) if mask.any() else 0.0


@functools.cache
def _council_authorities() -> tuple[
    tuple[str, str, str], NDArray[np.float64], float, NDArray[np.float64], float
]:
    """Names, acceptance by bloc (3, blocs) and art. 41 coordination of the Council's authorities,
    and ex post validation's acceptance and erosion (catalogue data, read once)."""
    names = ("chapter_vi", "chapter_vii_art41", "chapter_vii_art42")
    auths = [authority_path(a) for a in names]
    acceptance = np.array([[getattr(a.acceptance, b) for b in BLOCS] for a in auths])
    ex_post = authority_path("ex_post_validation")
    ex_post_acc = np.array([getattr(ex_post.acceptance, b) for b in BLOCS])
    for arr in (acceptance, ex_post_acc):
        arr.setflags(write=False)
    return names, acceptance, auths[1].coordination, ex_post_acc, ex_post.erosion


def compile_regime(regime: Regime, scenario: Scenario) -> Compiled:
    """Compile a regime for a scenario into arrays (vote pass probabilities, packages, paths,
    perceived-threat table). Pure function of its arguments."""
    return _compile(regime, scenario, {})


def compile_rows(rows: Sequence[tuple[Regime, Scenario]]) -> list[Compiled]:
    """``[compile_regime(regime, scenario) for regime, scenario in rows]``, sharing the work rows
    have in common (vote arithmetic for the same inputs and pledges, Council packages)."""
    memo: dict[Any, Any] = {}
    return [_compile(regime, scenario, memo) for regime, scenario in rows]


def _compile(regime: Regime, scenario: Scenario, memo: dict[Any, Any]) -> Compiled:
    lad = ladder()
    inputs = scenario.inputs
    the_crime = crime(scenario.crime)
    m = 1 if scenario.trigger_holds else 0
    applies = scenario.trigger_holds and the_crime.well_defined
    rules = regime.council
    # Keyed by the inputs' id: the memo entry keeps the object alive, so the id is not reused.
    restraint = tuple(sorted(rules.restraint.items()))
    key: tuple[Any, ...] = ("pass", id(inputs), m, restraint, rules.veto_threat_cost, applies)
    if key not in memo:
        p_veto = restrained_veto(inputs.p_veto[m], rules.restraint, rules.veto_threat_cost, applies)
        patron_ = float(inputs.p_veto[m, COUNCIL_CLASSES.index("targeted_sanctions")].max())
        memo[key] = (inputs, pass_probability(inputs.p_yes[m], p_veto), patron_)
    _, p_pass, patron = memo[key]

    n_classes = len(COUNCIL_CLASSES)
    auth_names, council_acc, art41_coordination, ex_post_acc, ex_post_erosion = _council_authorities()
    council_coord = art41_coordination * (1.0 - PATRON_COMPLIANCE_IN_COUNCIL * patron)
    deploy = regime.capacity.deployment_lag_factor
    rungs = np.arange(len(lad.names))
    key = ("council", rules.max_instrument, council_coord, deploy)
    if key not in memo:
        max_rung = instrument(rules.max_instrument).rung
        package = np.stack([(lad.council_class == c) & (rungs <= max_rung) for c in range(n_classes)])
        nonempty = np.flatnonzero(package.any(axis=1))
        cuts_ = np.array([_package_cut(package[c], lad, 1.0, council_coord) for c in range(n_classes)])
        lags_ = np.array([_package_lag(package[c], lad, deploy) for c in range(n_classes)])
        memo[key] = (package, int(nonempty.max()) if nonempty.size else -1, cuts_, lags_)
    council_package, top, cuts, lags = memo[key]

    deliberation = rules.deliberation_weeks * (1.0 + rules.extra_members * rules.slowdown_per_extra_member)
    pct = 0.5
    if inputs.risk_rank is not None and inputs.n_countries:
        pct = 1.0 - (inputs.risk_rank - 1) / max(inputs.n_countries - 1, 1)
    detection = (
        scenario.detection_weeks
        * regime.detection.lag_factor
        * the_crime.detection_factor
        * (1.0 + CLOSED_STATE_DETECTION * inputs.closed_state)
        * (1.0 - RISK_ATTENTION * pct)
    )

    theta = (
        perceived_council_threat(
            p_pass,
            cuts,
            lags,
            deliberation,
            rules.first_session_weeks,
            rules.first_step_jump,
            rules.max_jump,
            top,
            scenario.perpetrator.discount,
        )
        if top >= 0
        else np.zeros(1)
    )

    orgs = {o.name: o for o in regional_organisations()}
    target_org = orgs.get(inputs.regional_org)
    prop_rung = instrument(regime.criteria.proportional_max_instrument).rung
    paths = []
    for rule in regime.paths:
        auth = authority_path(rule.authority)
        pkg = np.zeros(len(lad.names), dtype=bool)
        for name in rule.instruments:
            pkg[instrument(name).rung] = True
        pkg &= rungs <= prop_rung
        if rule.capacity is not None:
            capacity = rule.capacity
        elif rule.regional_orgs and target_org is not None:
            capacity = target_org.capacity
        else:
            capacity = 1.0
        applicable = (
            (not rule.regional_orgs or inputs.regional_org in rule.regional_orgs)
            and (not rule.requires_well_defined_crime or the_crime.well_defined)
            and capacity >= regime.criteria.min_prospects
        )
        coordination = auth.coordination * (1.0 - patron)
        pretext = rule.pretext_use * scenario.intervener_interest * the_crime.pretext_factor
        if regime.criteria.mode == "agreed_in_advance":
            pretext *= AGREED_CRITERIA_PRETEXT
        paths.append(
            Route(
                name=rule.name,
                authority=rule.authority,
                package=pkg,
                capacity=capacity,
                coordination=coordination,
                acceptance=np.array([getattr(auth.acceptance, b) for b in BLOCS]),
                erosion=auth.erosion,
                applicable=applicable,
                political_will=rule.political_will,
                signal=rule.signal,
                min_deadlocks=rule.min_deadlocks,
                min_weeks_manifest=rule.min_weeks_manifest,
                decision_weeks=rule.decision_weeks + rule.extra_decision_weeks,
                pretext_p=min(pretext, 1.0),
                ex_post_validation=rule.ex_post_validation,
                perceived_cut=_package_cut(pkg, lad, capacity, coordination),
                mean_lag=_package_lag(pkg, lad, deploy),
            )
        )
    return Compiled(
        regime=regime.name,
        ladder=lad,
        p_pass=p_pass,
        council_package=council_package,
        council_top=top,
        force_class=COUNCIL_CLASSES.index("force_authorization"),
        jump_first=rules.first_step_jump,
        jump_next=rules.max_jump,
        deliberation_weeks=deliberation,
        first_session_weeks=rules.first_session_weeks,
        detection_mean=detection,
        deployment_factor=deploy,
        council_coordination=council_coord,
        council_acceptance=council_acc,
        council_authorities=auth_names,
        ex_post_acceptance=ex_post_acc,
        ex_post_erosion=ex_post_erosion,
        theta_council=theta,
        paths=tuple(paths),
        trigger_holds=scenario.trigger_holds,
        manifest_applies_restraint=applies,
        necessity_deaths=scenario.necessity_deaths,
    )
