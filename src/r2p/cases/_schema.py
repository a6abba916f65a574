"""The case-library schema: one pydantic model per part of a case file.

The schema follows ``data/cases/README.md``. ``OnsetCase`` holds only what is
known when a crisis begins (the input of as-of predictions); ``Case`` is a full
library entry with its events and recorded outcome.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CRIME_TYPES = ("genocide", "crimes_against_humanity", "ethnic_cleansing", "war_crimes")
PERPETRATORS = ("state", "non-state", "both")
P5_KEYS = ("USA", "GBR", "FRA", "RUS", "CHN")
STANCES = ("supportive", "neutral", "opposed", "ally-of-target")
EVENT_INSTRUMENTS = (
    "statement", "fact_finding", "mediation", "targeted_sanctions", "arms_embargo", "icc_referral",
    "peacekeeping_mandate", "peace_operation_reinforcement", "humanitarian_corridor", "jamming",
    "demonstration_of_presence", "no_fly_zone", "safe_haven", "precision_strikes", "full_intervention",
    "veto", "failed_draft", "withdrawal", "ex_post_validation",
)
COERCIVE_ART41 = ("targeted_sanctions", "arms_embargo", "icc_referral")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")

CrimeType = Literal["genocide", "crimes_against_humanity", "ethnic_cleansing", "war_crimes"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vote(_Strict):
    """A recorded Council (or other body) vote on an event."""

    in_favour: int | None = Field(None, ge=0, le=193)
    against: int | None = Field(None, ge=0, le=193)
    abstentions: int | None = Field(None, ge=0, le=193)
    adopted: bool | None = None
    vetoed_by: list[str] = Field(default_factory=list)
    against_members: list[str] = Field(default_factory=list)
    abstaining: list[str] = Field(default_factory=list)
    absent: list[str] = Field(default_factory=list)
    supporting: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("vetoed_by", "against_members", "abstaining", "absent", "supporting", mode="before")
    @classmethod
    def _listify(cls, v: object) -> object:
        if v is None:
            return []
        return [v] if isinstance(v, str) else v


class Event(_Strict):
    """One dated step of the international response."""

    date: str
    actor: str
    instrument: str
    legal_basis: str
    description: str
    source: str
    vote: Vote | None = None
    uncertain: bool = False

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: object) -> str:
        text = str(v)
        if not _DATE.match(text):
            raise ValueError(f"date {text!r} must be YYYY-MM-DD or YYYY-MM")
        return text

    @field_validator("instrument")
    @classmethod
    def _instrument(cls, v: str) -> str:
        if v not in EVENT_INSTRUMENTS:
            raise ValueError(f"instrument {v!r} is not one of {', '.join(EVENT_INSTRUMENTS)}")
        return v


class Deaths(_Strict):
    """Civilian deaths of the episode (persons)."""

    best_estimate: int | None = Field(None, ge=0)
    range: tuple[int | None, int | None] | None = None
    note: str | None = None
    source: str | None = None


class P5Stance(_Strict):
    """A permanent member's position on international action against the perpetrator."""

    stance: Literal["supportive", "neutral", "opposed", "ally-of-target"]
    reason: str = ""


class Outcome(_Strict):
    """The recorded outcome; month counts are whole months from onset (None if it never happened)."""

    atrocities_stopped: bool | Literal["partial"] | None = None
    stopped_when: str | None = None
    stopped_by: str | None = None
    months_onset_to_first_unsc_resolution: int | None = None
    months_to_first_coercive_measure: int | None = None
    months_to_any_use_of_force: int | None = None
    force_without_unsc_authorization: bool | None = None
    ex_post_validation: str | None = None


class OnsetCase(BaseModel):
    """What is known when a crisis begins: the input of an as-of prediction."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    target_state: str = Field(pattern=r"^[A-Z]{3}$")
    onset_date: str
    crime_types: list[CrimeType] = Field(default_factory=list)
    perpetrator: Literal["state", "non-state", "both"]

    @field_validator("onset_date", mode="before")
    @classmethod
    def _onset(cls, v: object) -> str:
        text = str(v)
        if not _MONTH.match(text):
            raise ValueError(f"onset_date {text!r} must be YYYY-MM")
        return text

    @property
    def onset_year(self) -> int:
        """Calendar year of onset."""
        return int(self.onset_date[:4])

    @property
    def onset_month(self) -> int:
        """Calendar month of onset (1-12)."""
        return int(self.onset_date[5:7])


class Case(OnsetCase):
    """A full case-library entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    region: str
    years: str
    crime_types_note: str = ""
    conflict_onset_date: str | None = None
    deaths: Deaths
    p5_stance: dict[Literal["USA", "GBR", "FRA", "RUS", "CHN"], P5Stance]
    events: list[Event]
    outcome: Outcome
    veto_count: int | None = None
    legitimacy_notes: str = ""
    sources: list[str] = Field(default_factory=list)
    confidence: Literal["high", "medium-high", "medium", "low"]
    verification_flags: list[str] = Field(default_factory=list)

    @field_validator("years", mode="before")
    @classmethod
    def _years(cls, v: object) -> str:
        return str(v)

    @field_validator("p5_stance")
    @classmethod
    def _all_p5(cls, v: dict[str, P5Stance]) -> dict[str, P5Stance]:
        missing = [m for m in P5_KEYS if m not in v]
        if missing:
            raise ValueError(f"p5_stance lacks {', '.join(missing)} (need all of {', '.join(P5_KEYS)})")
        return v
