"""Pydantic models of the API's requests and its stable responses (they make ``/openapi.json``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_DRAWS = 20_000  # Monte Carlo draws per regime per simulation request
MAX_REGIMES = 8  # regimes compared in one request
MAX_YAML_CHARS = 50_000  # a pasted regime


class ErrorBody(BaseModel):
    """Every error response: a message a person can act on, and the HTTP status."""

    error: str
    status: int
    detail: Any | None = None
    part: str | None = None


class CountryItem(BaseModel):
    """One state of the country crosswalk."""

    iso3: str
    name: str
    region: str | None = None
    ccode: int | None = Field(None, description="Correlates of War code as EWP uses it (None if not in EWP)")


class CaseItem(BaseModel):
    """One case of the historical library (list view)."""

    id: str
    name: str
    target_state: str
    region: str
    years: str
    onset_date: str
    crime_types: list[str]
    perpetrator: str
    deaths_best_estimate: int | None = None
    deaths_range: list[int | None] | None = None
    veto_count: int | None = None
    confidence: str
    events: int


class TimelineEvent(BaseModel):
    """One event of a case timeline; ``month`` counts whole months from the case's onset."""

    date: str
    month: int
    actor: str
    instrument: str
    legal_basis: str
    vote: str
    vetoed: bool
    uncertain: bool
    description: str


class CaseDetail(CaseItem):
    """A case in full, with its timeline."""

    model_config = ConfigDict(extra="allow")

    timeline: list[TimelineEvent]
    first_steps: dict[str, int | None]


class MapShape(BaseModel):
    """One country outline as SVG path data in the map's viewBox."""

    iso3: str | None
    name: str
    d: str


class MapShapes(BaseModel):
    """The world map: viewBox size and one path per country (Natural Earth 1:110m, Equal Earth)."""

    width: float
    height: float
    attribution: str
    shapes: list[MapShape]


class RegimeValidation(BaseModel):
    """The result of validating a regime: ``valid``, the parsed regime's name, and each problem found."""

    valid: bool
    name: str | None = None
    errors: list[dict[str, Any]] = Field(default_factory=list)


class RegimeText(BaseModel):
    """A regime as YAML text, e.g. pasted into the scenario editor."""

    yaml: str = Field(..., max_length=MAX_YAML_CHARS, description="The regime as YAML")


class SimulationRequest(BaseModel):
    """A request to simulate a crisis under one or more regimes."""

    model_config = ConfigDict(extra="forbid")

    country: str | None = Field(None, max_length=60, description="ISO3 of the target state (country page)")
    scenario: str | None = Field(None, max_length=80, description="Name of a shipped scenario (editor)")
    regimes: list[str] = Field(default_factory=lambda: ["status_quo"], max_length=MAX_REGIMES,
                               description="Names of shipped regimes to compare")
    custom_regime_yaml: str | None = Field(None, max_length=MAX_YAML_CHARS,
                                           description="A user-written regime (YAML) to compare as well")
    draws: int = Field(1000, description=f"Monte Carlo draws per regime, 1..{MAX_DRAWS}")
    seed: int = Field(20090101, ge=0, le=2**32 - 1, description="Random seed (same seed, same result)")
    year: int | None = Field(None, ge=1900, le=2100, description="Year of the crisis (default: latest data)")

    @field_validator("draws")
    @classmethod
    def _draws(cls, v: int) -> int:
        if v < 1:
            raise ValueError(f"draws must be at least 1, got {v}")
        if v > MAX_DRAWS:
            raise ValueError(f"draws {v} is too many: at most {MAX_DRAWS} per regime in the dashboard "
                             "(use `r2p simulate` or `r2p sweep` for larger runs)")
        return v


class JobStatus(BaseModel):
    """A simulation job: its state, progress (0–1) and, when done, its result."""

    model_config = ConfigDict(extra="allow")

    id: str
    state: str = Field(..., description="queued | running | done | failed")
    progress: float
    message: str = ""
    result: dict[str, Any] | None = None
