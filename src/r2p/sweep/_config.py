"""The sweep file: one validated YAML document naming regimes × scenarios × parameter ranges.

A sweep file looks like::

    name: quick                 # names the sweep and its warehouse table (sweep_quick)
    seed: 7
    regimes: [status_quo, recommended]          # or {name: fast_sq, base: status_quo, set: {param: value}}
    scenarios: [{target: SDN, year: 2004}]      # real target-years
    parameters:                                 # each a distribution over the simulator's parameter
      perpetrator_growth: {dist: uniform, low: 0.02, high: 0.2}
    sampling: {method: saltelli, n: 16}         # rows per regime × scenario = n · (parameters + 2)
    mc_draws: 200
    weeks: 104

Validation fails loudly with the field, the value and what was expected (a close match when
it looks like a typo); the parameter ranges are checked against the simulator's allowed domains.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from r2p.errors import R2PInputError, suggest

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegimeSpec(_Strict):
    """A regime in the sweep: a shipped or user regime, optionally with fixed parameter values.

    ``name`` labels the arm in results and claims; ``base`` is the regime it starts from
    (defaults to ``name``); ``set`` fixes simulator parameters for this arm (after the draws).
    """

    name: str
    base: str | None = None
    set: dict[str, float] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name_ok(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError("must be lower-case letters, digits and underscores, starting with a letter")
        return v

    @property
    def regime(self) -> str:
        """The regime this arm starts from."""
        return self.base or self.name


class ScenarioSpec(_Strict):
    """A real target-year: ISO3 code (or a name the crosswalk knows) and the crisis onset year."""

    target: str
    year: int = Field(ge=1946, le=2100)

    @property
    def label(self) -> str:
        """``ISO3-YEAR`` label used in results (the target as given, upper-cased)."""
        return f"{self.target.upper()}-{self.year}"


class _Range:
    """The ``low < high`` check and ``bounds()`` shared by distributions with a plain range.

    A mixin without fields: each distribution declares ``low`` and ``high`` itself, so its
    fields keep their file order (the order enters ``SweepConfig.config_hash``).
    """

    if TYPE_CHECKING:
        low: float
        high: float

    @model_validator(mode="after")
    def _order(self) -> Self:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def bounds(self) -> tuple[float, float]:
        return self.low, self.high


class Uniform(_Range, _Strict):
    dist: Literal["uniform"]
    low: float
    high: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + u * (self.high - self.low)


class LogUniform(Uniform):
    dist: Literal["loguniform"]  # type: ignore[assignment]

    @model_validator(mode="after")
    def _positive(self) -> LogUniform:
        if self.low <= 0:
            raise ValueError(f"low ({self.low}) must be > 0 for a log-uniform range")
        return self

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))


class Triangular(_Strict):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(
                f"need low <= mode <= high and low < high (got {self.low}, {self.mode}, {self.high})"
            )
        return self

    def bounds(self) -> tuple[float, float]:
        return self.low, self.high

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.stats import triang

        c = (self.mode - self.low) / (self.high - self.low)
        return np.asarray(triang.ppf(u, c, loc=self.low, scale=self.high - self.low), dtype=float)


class TruncNormal(_Range, _Strict):
    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float
    high: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy.stats import truncnorm

        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        return np.asarray(truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd), dtype=float)


Distribution = Annotated[Uniform | LogUniform | Triangular | TruncNormal, Field(discriminator="dist")]


class Sampling(_Strict):
    """How parameter rows are drawn: Saltelli (enables Sobol indices) or plain random."""

    method: Literal["saltelli", "random"] = "saltelli"
    n: int = Field(16, ge=2, description="Saltelli base sample (rows = n·(D+2)) or random rows")


class SweepConfig(_Strict):
    """A validated sweep: regimes × scenarios × parameter distributions, with run sizes and seed."""

    name: str
    description: str = ""
    seed: int = Field(0, ge=0)
    regimes: list[RegimeSpec] = Field(min_length=1)
    scenarios: list[ScenarioSpec] = Field(min_length=1)
    parameters: dict[str, Distribution] = Field(min_length=1)
    sampling: Sampling = Field(default_factory=lambda: Sampling(method="saltelli", n=16))
    mc_draws: int = Field(200, ge=1, le=1_000_000)
    weeks: int = Field(104, ge=1, le=520)
    chunk_rows: int | None = Field(None, ge=1, description="parameter rows per task (auto if omitted)")

    @field_validator("name")
    @classmethod
    def _name_ok(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError(
                "must be lower-case letters, digits and underscores, starting with a letter "
                "(at most 48 characters)"
            )
        return v

    @field_validator("regimes", mode="before")
    @classmethod
    def _regime_strings(cls, v: Any) -> Any:
        if isinstance(v, list):
            return [{"name": r} if isinstance(r, str) else r for r in v]
        return v

    @model_validator(mode="after")
    def _unique(self) -> SweepConfig:
        names = [r.name for r in self.regimes]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"regime names must be unique; repeated: {', '.join(dup)}")
        labels = [s.label for s in self.scenarios]
        dup = sorted({n for n in labels if labels.count(n) > 1})
        if dup:
            raise ValueError(f"scenarios must be unique; repeated: {', '.join(dup)}")
        return self

    # ----- derived sizes ---------------------------------------------------------------
    @property
    def parameter_names(self) -> list[str]:
        """Swept parameter names, in file order (the Sobol problem's order)."""
        return list(self.parameters)

    @property
    def rows_per_cell(self) -> int:
        """Parameter rows per regime × scenario."""
        d = len(self.parameters)
        return self.sampling.n * (d + 2) if self.sampling.method == "saltelli" else self.sampling.n

    @property
    def total_rows(self) -> int:
        """Result rows the sweep stores: regimes × scenarios × parameter rows."""
        return len(self.regimes) * len(self.scenarios) * self.rows_per_cell

    def canonical_json(self) -> str:
        """The config as JSON in file order (what the hash is taken over: the order of the
        parameters is the order of the Sobol design, so it is part of the sweep)."""
        return self.model_dump_json()

    def config_hash(self) -> str:
        """SHA-256 of the canonical config (hex, first 16 characters)."""
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()[:16]

    @property
    def table(self) -> str:
        """The warehouse table holding this sweep's results."""
        return f"sweep_{self.name}"


def _describe(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"] if not str(x).startswith(("function-", "tagged-union")))
        value = e.get("input")
        shown = "" if isinstance(value, (dict, list)) else f" (got {value!r})"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            field = str(e["loc"][-1])
            known = _known_fields(e["loc"][:-1])
            msg = "unknown field" + suggest(field, known)
        parts.append(f"field '{loc or '(file)'}': {msg}{shown}")
    return "; ".join(parts)


def _known_fields(loc: tuple[Any, ...]) -> list[str]:
    if not loc:
        return list(SweepConfig.model_fields)
    head = str(loc[0])
    table: dict[str, Any] = {
        "sampling": Sampling,
        "regimes": RegimeSpec,
        "scenarios": ScenarioSpec,
    }
    if head == "parameters" and len(loc) >= 3:
        model: Any = {
            "uniform": Uniform,
            "loguniform": LogUniform,
            "triangular": Triangular,
            "normal": TruncNormal,
        }.get(str(loc[2]))
        return list(model.model_fields) if model else []
    return list(table[head].model_fields) if head in table else []


def parse_sweep_config(text: str, source: str = "<sweep>") -> SweepConfig:
    """Return the sweep in YAML ``text`` validated (schema only); ``R2PInputError`` names the field."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise R2PInputError(f"sweep file {source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise R2PInputError(
            f"sweep file {source}: expected a mapping with 'name', 'regimes', 'scenarios' "
            f"and 'parameters', got {type(raw).__name__}."
        )
    try:
        return SweepConfig.model_validate(raw)
    except ValidationError as exc:
        raise R2PInputError(f"sweep file {source}: {_describe(exc)}") from exc


def load_sweep_config(path: Path | str) -> SweepConfig:
    """Return the sweep file at ``path`` parsed and validated against the schema and the model.

    Checks, before any work: the schema, that every regime and parameter exists, that every
    parameter range lies inside its allowed domain, and that every target resolves to a country.
    """
    path = Path(path)
    if not path.is_file():
        raise R2PInputError(f"sweep file {path} does not exist.")
    cfg = parse_sweep_config(path.read_text(encoding="utf-8"), str(path))
    check_against_model(cfg, source=str(path))
    return cfg


def check_against_model(cfg: SweepConfig, source: str = "<sweep>") -> None:
    """Raise ``R2PInputError`` unless regimes, parameters and their ranges fit the simulator."""
    from r2p.sweep import _model, _params

    known_regimes = _model.regime_names()
    domains = _params.domains()
    for i, r in enumerate(cfg.regimes):
        if r.regime not in known_regimes:
            raise R2PInputError(
                f"sweep file {source}: field 'regimes.{i}': unknown regime {r.regime!r}; "
                f"known: {', '.join(known_regimes)}." + suggest(r.regime, known_regimes)
            )
        for p, value in r.set.items():
            _check_domain(source, f"regimes.{i}.set.{p}", p, domains, value, value)
    for p, dist in cfg.parameters.items():
        lo, hi = dist.bounds()
        _check_domain(source, f"parameters.{p}", p, domains, lo, hi)
    for i, s in enumerate(cfg.scenarios):
        try:
            _model.resolve_target(s.target)
        except R2PInputError as exc:
            raise R2PInputError(f"sweep file {source}: field 'scenarios.{i}.target': {exc}") from exc


def _check_domain(source: str, field: str, name: str, domains: dict[str, Any], lo: float, hi: float) -> None:
    if name not in domains:
        raise R2PInputError(
            f"sweep file {source}: field '{field}': unknown parameter {name!r}."
            + suggest(name, domains)
            + " List them with `r2p sweep --parameters`."
        )
    if not domains[name].contains(lo, hi):
        raise R2PInputError(
            f"sweep file {source}: field '{field}': range [{lo:g}, {hi:g}] lies outside the "
            f"allowed domain of {name} {domains[name]}."
        )


def sample_parameters(cfg: SweepConfig) -> pd.DataFrame:
    """Return the parameter rows of the sweep (one column per parameter, physical units).

    Rows are the same for every regime and scenario (common random numbers), indexed
    ``draw_id`` 0..rows-1; Saltelli rows are in SALib's order so Sobol analysis can use them.
    """
    names = cfg.parameter_names
    d = len(names)
    if cfg.sampling.method == "saltelli":
        from SALib.sample import sobol as sobol_sample

        problem = {"num_vars": d, "names": names, "bounds": [[0.0, 1.0]] * d}
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SALib warns when n is not a power of two
            unit = sobol_sample.sample(problem, cfg.sampling.n, calc_second_order=False, seed=cfg.seed)
    else:
        unit = np.random.default_rng(cfg.seed).random((cfg.sampling.n, d))
    unit = np.clip(unit, 1e-12, 1 - 1e-12)
    cols = {p: cfg.parameters[p].ppf(unit[:, j]) for j, p in enumerate(names)}
    df = pd.DataFrame(cols)
    df.index.name = "draw_id"
    return df
