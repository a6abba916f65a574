"""The schema of the rules as data: instruments, authority paths, crimes, criteria, regional
organisations and regimes (pydantic models, frozen, unknown fields and NaN rejected).

A regime is checked in two steps: field by field (types, ranges, allowed names) and
then as a whole against the shipped catalogue (instruments and authority paths exist,
no path carries force the regime forbids, proportionality respected…). Every problem is
reported with its field, what is wrong and the allowed values.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

P5 = ("USA", "GBR", "FRA", "RUS", "CHN")
COUNCIL_CLASSES = (
    "statement",
    "targeted_sanctions",
    "arms_embargo",
    "icc_referral",
    "peace_operation",
    "force_authorization",
)
BLOCS = ("western", "russia_china", "nam_g77", "regional")

Probability = float  # documented in Field(ge=0, le=1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class Instrument(_Strict):
    """One rung of the response ladder.

    ``robustness_90`` is the 90 % interval of the share (0..1) by which the instrument,
    fully in force and coordinated, cuts atrocity intensity; ``troops`` personnel while in
    force; ``lag_weeks`` mean weeks from decision to effect; ``leak`` share of the effect lost
    when every relevant partner stays out.
    """

    name: str
    title: str
    rung: int = Field(ge=0)
    kind: Literal["diplomatic", "economic", "legal", "military"]
    council_class: Literal[
        "statement",
        "targeted_sanctions",
        "arms_embargo",
        "icc_referral",
        "peace_operation",
        "force_authorization",
    ]
    coercive: bool
    force: bool
    robustness_90: tuple[float, float]
    troops: float = Field(ge=0)
    lag_weeks: float = Field(gt=0)
    leak: float = Field(ge=0, le=1)
    source: str

    @field_validator("robustness_90")
    @classmethod
    def _interval(cls, v: tuple[float, float]) -> tuple[float, float]:
        lo, hi = v
        if not (0 <= lo <= hi < 1):
            raise ValueError(f"must be [low, high] with 0 <= low <= high < 1, got {list(v)}")
        return v


class Acceptance(_Strict):
    """Share (0..1) of each bloc accepting an action: Western, Russia–China, NAM/G77, regional org."""

    western: float = Field(ge=0, le=1)
    russia_china: float = Field(ge=0, le=1)
    nam_g77: float = Field(ge=0, le=1)
    regional: float = Field(ge=0, le=1)


class AuthorityPath(_Strict):
    """A legal basis an action can go by, with its acceptance by bloc, coordination and erosion."""

    name: str
    title: str
    legal: bool
    confers_force: bool
    requires_council: bool
    acceptance: Acceptance
    coordination: float = Field(ge=0, le=1)
    erosion: float = Field(ge=0, le=1)
    source: str


class Crime(_Strict):
    """One of the four R2P crimes; ``well_defined`` is False for the two open to politicised use."""

    name: Literal["genocide", "crimes_against_humanity", "ethnic_cleansing", "war_crimes"]
    title: str
    well_defined: bool
    detection_factor: float = Field(gt=0)
    pretext_factor: float = Field(ge=0)
    source: str


class Criterion(_Strict):
    """A criterion for action (necessity, last resort, proportionality, reasonable prospects)."""

    name: Literal["necessity", "last_resort", "proportionality", "reasonable_prospects"]
    title: str
    operationalised_as: str
    source: str


class ManifestFailing(_Strict):
    """How "national authorities manifestly failing" is operationalised."""

    title: str
    operationalised_as: str
    source: str


class RegionalOrganisation(_Strict):
    """A regional organisation; ``capacity`` is the share (0..1) of full robustness it delivers alone."""

    name: str
    title: str
    intervention_right: bool
    capacity: float = Field(ge=0, le=1)
    source: str


# --------------------------------------------------------------------------- regimes


class DetectionRules(_Strict):
    """Early warning: ``lag_factor`` multiplies the weeks until a crime is manifest (standing UN
    early warning < 1)."""

    lag_factor: float = Field(default=1.0, gt=0, le=5)


class CouncilRules(_Strict):
    """How the Security Council deliberates under the regime.

    - ``deliberation_weeks``: mean weeks between sessions on a draft (lognormal, cv 0.3).
    - ``first_session_weeks``: mean weeks from the crime becoming manifest to the first session.
    - ``max_jump``: rungs (Council draft classes) a draft may climb above what is in force
      (1 = the incremental ladder); ``first_step_jump``: the same for the first draft
      ("timely and decisive" rules allow a stronger first step).
    - ``max_instrument``: the strongest ladder instrument a Council authorisation delivers.
    - ``restraint``: P5 member → compliance (0..1) with a pledge not to veto when a well-defined
      crime (genocide, crimes against humanity) is manifest; cuts that member's veto propensity
      by that share.
    - ``veto_threat_cost``: share (0..1) by which declarations that the veto should not block
      action raise the cost of veto threats (cut every P5 veto propensity, same condition).
    - ``extra_members`` / ``slowdown_per_extra_member``: Council enlargement lengthens
      deliberation by this share per added seat (CFR 2009 p. 21).
    """

    deliberation_weeks: float = Field(default=4.0, ge=1, le=52)
    first_session_weeks: float = Field(default=2.0, ge=0, le=52)
    max_jump: int = Field(default=1, ge=1, le=5)
    first_step_jump: int = Field(default=1, ge=1, le=5)
    max_instrument: str = "precision_strikes"
    restraint: dict[str, float] = Field(default_factory=dict)
    veto_threat_cost: float = Field(default=0.0, ge=0, le=1)
    extra_members: int = Field(default=0, ge=0, le=20)
    slowdown_per_extra_member: float = Field(default=0.04, ge=0, le=1)

    @field_validator("restraint")
    @classmethod
    def _restraint(cls, v: dict[str, float]) -> dict[str, float]:
        for member, compliance in v.items():
            if member not in P5:
                raise ValueError(f"member {member!r} is not a permanent member; allowed: {', '.join(P5)}")
            if not (0.0 <= float(compliance) <= 1.0) or compliance != compliance:
                raise ValueError(f"compliance of {member} must be in [0, 1], got {compliance!r}")
        return v


class CapacityRules(_Strict):
    """Standing capacity: ``deployment_lag_factor`` multiplies every instrument's deployment lag
    (a standing rapid-reaction capacity < 1)."""

    deployment_lag_factor: float = Field(default=1.0, gt=0, le=5)


class CriteriaRules(_Strict):
    """Substantive criteria for action outside the Council.

    - ``mode``: ``agreed_in_advance`` (criteria fixed before crises: pretext claims halved) or
      ``case_by_case`` (judged as crises arise: pretext claims as given).
    - ``proportional_max_instrument``: no path may use an instrument above this rung.
    - ``min_prospects``: a path whose capacity is below this does not act (reasonable prospects).
    """

    mode: Literal["agreed_in_advance", "case_by_case"] = "case_by_case"
    proportional_max_instrument: str = "full_intervention"
    min_prospects: float = Field(default=0.0, ge=0, le=1)


class PathRule(_Strict):
    """An alternative authority path the regime opens (action without, or after, the Council).

    Opens for a draw once the crime is manifest (or falsely claimed, in a pretext scenario),
    the Council has had ``min_deadlocks`` failed sessions (necessity), ``min_weeks_manifest``
    weeks have passed (last resort) and the Council has not authorised force; the actor acts
    with probability ``political_will`` (drawn once per crisis) ``decision_weeks`` later.

    - ``instruments``: ladder instruments the actor uses when it acts.
    - ``signal``: how visible its readiness is to the perpetrator (0 hidden … 1 declared).
    - ``capacity``: share (0..1) of the instruments' full robustness it delivers; ``None`` uses
      the target's regional organisation's capacity (for regional paths) or 1.
    - ``regional_orgs``: organisations whose members it applies to (empty = any target).
    - ``requires_well_defined_crime``: only for genocide / crimes against humanity.
    - ``pretext_use``: chance (0..1) an interested state invokes it when no trigger holds.
    - ``ex_post_validation``: chance (0..1) the Council validates the action afterwards, scaled by
      its success.
    - ``extra_decision_weeks``: added delay (e.g. liability for a crime of aggression).
    """

    name: str
    authority: str
    instruments: list[str] = Field(min_length=1)
    min_deadlocks: int = Field(default=1, ge=0, le=50)
    min_weeks_manifest: float = Field(default=0.0, ge=0, le=520)
    political_will: float = Field(ge=0, le=1)
    decision_weeks: float = Field(default=2.0, ge=0, le=520)
    extra_decision_weeks: float = Field(default=0.0, ge=0, le=520)
    signal: float = Field(default=0.5, ge=0, le=1)
    capacity: float | None = Field(default=None, ge=0, le=1)
    regional_orgs: list[str] = Field(default_factory=list)
    requires_well_defined_crime: bool = False
    pretext_use: float = Field(default=0.0, ge=0, le=1)
    ex_post_validation: float = Field(default=0.0, ge=0, le=1)


class Regime(_Strict):
    """A regime: the rules under which the international response to a crisis runs.

    One value of this type per option in the report (CFR 2009 pp. 9-12, 19-22); users write
    their own as YAML (``r2p.law.load_regime``). ``force_outside_council`` False means no
    path may carry military force.
    """

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    category: Literal["baseline", "evolutionary", "radical", "recommended", "user"]
    summary: str
    source: str = ""
    detection: DetectionRules = Field(default_factory=DetectionRules)
    council: CouncilRules = Field(default_factory=CouncilRules)
    capacity: CapacityRules = Field(default_factory=CapacityRules)
    criteria: CriteriaRules = Field(default_factory=CriteriaRules)
    force_outside_council: bool = False
    paths: list[PathRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _against_catalogue(self) -> Regime:
        from r2p.law._catalog import authority_paths, instruments, regional_organisations

        inst = {i.name: i for i in instruments()}
        auth = {a.name: a for a in authority_paths()}
        orgs = {o.name for o in regional_organisations()}
        problems: list[str] = []

        def need(field: str, value: str, allowed: dict | set) -> bool:
            if value not in allowed:
                from r2p.errors import suggest

                problems.append(
                    f"{field}: unknown name {value!r}.{suggest(value, allowed)} "
                    f"Allowed: {', '.join(sorted(allowed))}"
                )
                return False
            return True

        need("council.max_instrument", self.council.max_instrument, inst)
        ok_prop = need(
            "criteria.proportional_max_instrument", self.criteria.proportional_max_instrument, inst
        )
        if self.council.first_step_jump < self.council.max_jump:
            problems.append(
                f"council.first_step_jump: {self.council.first_step_jump} is below "
                f"council.max_jump {self.council.max_jump}; the first draft may climb at least "
                f"as far as later ones (allowed: >= {self.council.max_jump})"
            )
        seen: set[str] = set()
        for i, path in enumerate(self.paths):
            where = f"paths[{i}]"
            if path.name in seen:
                problems.append(f"{where}.name: duplicate path name {path.name!r}; names must be unique")
            seen.add(path.name)
            if need(f"{where}.authority", path.authority, auth):
                a = auth[path.authority]
                if a.requires_council and path.authority != "ex_post_validation":
                    problems.append(
                        f"{where}.authority: {path.authority!r} is a Council path; alternative paths "
                        f"must be outside the Council (allowed: "
                        f"{', '.join(sorted(n for n, x in auth.items() if not x.requires_council))})"
                    )
                if path.authority == "ex_post_validation":
                    problems.append(
                        f"{where}.authority: 'ex_post_validation' is an outcome, not a path to act by; "
                        f"set ex_post_validation on the path instead"
                    )
                for k, name in enumerate(path.instruments):
                    if not need(f"{where}.instruments[{k}]", name, inst):
                        continue
                    if inst[name].force and not a.confers_force:
                        problems.append(
                            f"{where}.instruments[{k}]: {name!r} is military force but authority "
                            f"{path.authority!r} confers no authority to use force; allowed: "
                            f"non-force instruments"
                        )
                    if inst[name].force and not self.force_outside_council:
                        problems.append(
                            f"{where}.instruments[{k}]: {name!r} is military force but "
                            f"force_outside_council is false (contradiction); allowed: non-force "
                            f"instruments ({', '.join(n for n, x in inst.items() if not x.force)}) "
                            f"or set force_outside_council: true"
                        )
                    if ok_prop and inst[name].rung > inst[self.criteria.proportional_max_instrument].rung:
                        problems.append(
                            f"{where}.instruments[{k}]: {name!r} exceeds "
                            f"criteria.proportional_max_instrument "
                            f"{self.criteria.proportional_max_instrument!r} (proportionality)"
                        )
            for k, org in enumerate(path.regional_orgs):
                need(f"{where}.regional_orgs[{k}]", org, orgs)
            if path.capacity is not None and path.capacity < self.criteria.min_prospects:
                problems.append(
                    f"{where}.capacity: {path.capacity} is below criteria.min_prospects "
                    f"{self.criteria.min_prospects}; this path could never act (reasonable prospects)"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self
