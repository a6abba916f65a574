"""Scenario and Perpetrator: what is simulated (the target, its year, the crime, the
perpetrator, the horizon). Parameters are means; each draw varies them (see Perpetrator)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from r2p.crisis._inputs import ScenarioInputs, scenario_inputs
from r2p.errors import R2PInputError

MAX_WEEKS = 520
CRIMES = ("genocide", "crimes_against_humanity", "ethnic_cleansing", "war_crimes")


def _format(exc: ValidationError, what: str) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{what}.{loc}: {err['msg']} (got {err.get('input')!r})")
    return "; ".join(parts)


class Perpetrator(BaseModel):
    """The perpetrator: a state (or state-backed force) whose intended atrocity intensity grows
    from ``initial_intensity`` at weekly rate ``growth`` towards its ``capacity``, unless deterred.

    - ``initial_intensity``: civilian deaths per week at onset (mean; lognormal across draws).
    - ``growth``: logistic growth rate of intended intensity per week (mean; lognormal).
    - ``capacity``: the most civilian deaths per week it can inflict (mean; lognormal).
    - ``resolve``: perceived threat (θ, see docs/crisis.md) at which it is half deterred (mean; lognormal).
    - ``steepness``: β in D = θ^β / (θ^β + resolve^β).
    - ``discount``: weekly factor by which it discounts a threat one week further off (δ).
    - ``gaming``: φ, extra escalation while the threat is weak ("gaming the ladder", fait accompli).
    - ``target_population``: people in the targeted group (cumulative deaths cannot exceed it).
    - ``uncertainty``: coefficient of variation of the four lognormal parameters across draws.
    - ``deterrable``: False switches deterrence off (for comparisons; a deterred perpetrator
      never kills more than the same one undeterred).

    Defaults are ASSUMPTIONS for a mid-sized state-led campaign (docs/crisis.md).
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)

    initial_intensity: float = Field(default=25.0, gt=0, le=1e6)
    growth: float = Field(default=0.12, ge=0, le=1.0)
    capacity: float = Field(default=1500.0, gt=0, le=1e7)
    resolve: float = Field(default=0.35, gt=0, le=10)
    steepness: float = Field(default=2.0, gt=0, le=10)
    discount: float = Field(default=0.93, gt=0, le=1)
    gaming: float = Field(default=0.5, ge=0, le=5)
    target_population: float = Field(default=500_000.0, gt=0, le=1e10)
    uncertainty: float = Field(default=0.5, ge=0, le=3)
    deterrable: bool = True


@dataclass(frozen=True)
class Scenario:
    """A crisis to simulate: a target and year (``inputs``), the crime, the perpetrator, the horizon.

    - ``crime``: one of the four R2P crimes; genocide and crimes against humanity are the
      well-defined ones that veto-restraint pledges cover.
    - ``trigger_holds``: False makes it a *pretext* scenario: no atrocity crime is under way
      (``perpetrator`` is then ordinary political violence) and any force used is abuse.
    - ``intervener_interest``: (0..1) how much an outside power wants to intervene for its
      own reasons; scales the chance a path is invoked on a pretext.
    - ``detection_weeks``: mean weeks until the crime is manifest (lognormal, cv 0.5), before
      the regime's early-warning factor, the crime's factor and how closed the state is.
    - ``necessity_deaths``: deaths past which withholding force counts as "force withheld"
      (default 1,000: EWP's mass-killing threshold).
    - ``horizon_weeks``: weeks simulated (1..520).
    """

    inputs: ScenarioInputs
    perpetrator: Perpetrator = field(default_factory=Perpetrator)
    crime: str = "genocide"
    trigger_holds: bool = True
    intervener_interest: float = 1.0
    detection_weeks: float = 6.0
    necessity_deaths: float = 1000.0
    horizon_weeks: int = 52

    def __post_init__(self) -> None:
        if not isinstance(self.inputs, ScenarioInputs):
            raise R2PInputError(f"scenario.inputs: expected ScenarioInputs, got {type(self.inputs).__name__}")
        if isinstance(self.perpetrator, dict):
            object.__setattr__(self, "perpetrator", make_perpetrator(**self.perpetrator))
        if self.crime not in CRIMES:
            from r2p.errors import suggest

            raise R2PInputError(
                f"scenario.crime: {self.crime!r} is not an R2P crime.{suggest(self.crime, CRIMES)} "
                f"Allowed: {', '.join(CRIMES)}"
            )
        _check_number("scenario.intervener_interest", self.intervener_interest, 0.0, 1.0)
        _check_number("scenario.detection_weeks", self.detection_weeks, 0.0, 260.0)
        _check_number("scenario.necessity_deaths", self.necessity_deaths, 0.0, 1e10)
        check_weeks(self.horizon_weeks)

    @classmethod
    def for_country(cls, target: str, year: int, **kwargs: Any) -> Scenario:
        """Build a scenario for ``target`` (ISO3 or name) in ``year`` from real inputs
        (``r2p.council``, ``r2p.risk``, warehouse); ``kwargs`` set any other field."""
        return cls(inputs=scenario_inputs(target, year), **kwargs)

    def with_(self, **changes: Any) -> Scenario:
        """Return a copy with some fields changed (``perpetrator`` may be a dict of overrides)."""
        if isinstance(changes.get("perpetrator"), dict):
            changes["perpetrator"] = make_perpetrator(
                **{**self.perpetrator.model_dump(), **changes["perpetrator"]}
            )
        return replace(self, **changes)


def make_perpetrator(**kwargs: Any) -> Perpetrator:
    """Build a ``Perpetrator``, turning validation problems into ``R2PInputError``."""
    try:
        return Perpetrator(**kwargs)
    except ValidationError as exc:
        raise R2PInputError(_format(exc, "perpetrator")) from None


def _check_number(name: str, value: float, lo: float, hi: float) -> None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise R2PInputError(f"{name}: {value!r} is not a number; expected {lo}..{hi}") from None
    if math.isnan(v) or not (lo <= v <= hi):
        raise R2PInputError(f"{name}: {value!r} is out of range; expected a number in [{lo}, {hi}]")


def check_weeks(weeks: int) -> int:
    """Return ``weeks`` if it is an integer horizon in 1..520, else raise ``R2PInputError``."""
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not (1 <= weeks <= MAX_WEEKS):
        raise R2PInputError(
            f"weeks: {weeks!r} is not a valid horizon; expected an integer from 1 to {MAX_WEEKS}"
        )
    return weeks
