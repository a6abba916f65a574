"""Load the shipped rules (package data) and regimes, and users' regime files.

Everything is validated by the models in ``_schema``; a bad file raises
``R2PInputError`` naming the file, the field, the problem and the allowed values.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from r2p.errors import R2PDataError, R2PInputError, suggest
from r2p.law._schema import (
    AuthorityPath,
    Crime,
    Criterion,
    Instrument,
    ManifestFailing,
    Regime,
    RegionalOrganisation,
)

_PKG = "r2p.law"


def _read_yaml_text(text: str, origin: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise R2PInputError(f"{origin}: not valid YAML: {exc}") from None


def _shipped(name: str) -> Any:
    return _read_yaml_text(resources.files(_PKG).joinpath("data", name).read_text("utf-8"), name)


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at ``loc`` (best effort, for 'extra field' messages)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        candidates = [a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)]
        current = candidates[0] if candidates else None
    return sorted(getattr(current, "model_fields", {})) if current is not None else []


def format_validation_error(exc: ValidationError, origin: str, model: type[BaseModel]) -> str:
    """Return one line per problem: ``origin: field: problem (allowed …)``."""
    lines = []
    for err in exc.errors():
        loc = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"]).replace(".[", "[")
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            allowed = _allowed_fields(model, tuple(err["loc"]))
            msg = (
                f"unknown field.{suggest(str(err['loc'][-1]), allowed)} Allowed fields: {', '.join(allowed)}"
            )
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif "input" in err and err["type"] not in ("value_error",):
            msg = f"{msg} (got {err['input']!r})"
        lines.append(f"{loc or '(top level)'}: {msg}")
    return f"{origin}: invalid {model.__name__.lower()}:\n  " + "\n  ".join(lines)


@functools.cache
def instruments() -> tuple[Instrument, ...]:
    """The response ladder, ordered by rung (lowest first)."""
    raw = _shipped("instruments.yaml")["instruments"]
    items = tuple(sorted((Instrument(**x) for x in raw), key=lambda i: i.rung))
    if [i.rung for i in items] != list(range(len(items))):
        raise R2PDataError("instruments.yaml: rungs must be 0..n-1 without gaps")
    return items


def instrument(name: str) -> Instrument:
    """Return the instrument called ``name`` (``R2PInputError`` with suggestions if unknown)."""
    by = {i.name: i for i in instruments()}
    if name not in by:
        raise R2PInputError(f"instrument: unknown name {name!r}.{suggest(name, by)} Allowed: {', '.join(by)}")
    return by[name]


@functools.cache
def authority_paths() -> tuple[AuthorityPath, ...]:
    """Every authority path an action can go by."""
    return tuple(AuthorityPath(**x) for x in _shipped("authority_paths.yaml")["authority_paths"])


def authority_path(name: str) -> AuthorityPath:
    """Return the authority path called ``name`` (``R2PInputError`` if unknown)."""
    by = {a.name: a for a in authority_paths()}
    if name not in by:
        raise R2PInputError(
            f"authority path: unknown name {name!r}.{suggest(name, by)} Allowed: {', '.join(by)}"
        )
    return by[name]


@functools.cache
def _triggers() -> dict[str, Any]:
    return _shipped("triggers.yaml")


def crimes() -> tuple[Crime, ...]:
    """The four R2P crimes (genocide, crimes against humanity, ethnic cleansing, war crimes)."""
    return tuple(Crime(**x) for x in _triggers()["crimes"])


def crime(name: str) -> Crime:
    """Return the crime called ``name`` (``R2PInputError`` if unknown)."""
    by = {c.name: c for c in crimes()}
    if name not in by:
        raise R2PInputError(f"crime: unknown name {name!r}.{suggest(name, by)} Allowed: {', '.join(by)}")
    return by[name]


def criteria() -> tuple[Criterion, ...]:
    """The criteria for action: necessity, last resort, proportionality, reasonable prospects."""
    return tuple(Criterion(**x) for x in _triggers()["criteria"])


def manifest_failing() -> ManifestFailing:
    """How 'manifestly failing to protect' is operationalised."""
    return ManifestFailing(**_triggers()["manifest_failing"])


@functools.cache
def _regional() -> dict[str, Any]:
    return _shipped("regional_organisations.yaml")


@functools.cache
def regional_organisations() -> tuple[RegionalOrganisation, ...]:
    """Every regional organisation in the mapping."""
    return tuple(RegionalOrganisation(**x) for x in _regional()["organisations"])


def regional_organisation(iso3: str, region: str) -> RegionalOrganisation:
    """The regional organisation relevant to a target (country override, else its region)."""
    data = _regional()
    name = data["by_country"].get(iso3.upper()) or data["by_region"].get(region)
    if name is None:
        raise R2PInputError(
            f"region: no regional organisation mapped for {iso3} in region {region!r}; "
            f"known regions: {', '.join(data['by_region'])}"
        )
    return {o.name: o for o in regional_organisations()}[name]


# --------------------------------------------------------------------------- regimes

REGIME_NAMES = ("status_quo", "break_the_law", "un_reform", "hi_doctrine", "democracies", "recommended")


def parse_regime(data: Any, origin: str = "<regime>") -> Regime:
    """Validate a mapping (as read from YAML) as a ``Regime``; ``R2PInputError`` on any problem."""
    if not isinstance(data, dict):
        raise R2PInputError(f"{origin}: a regime must be a mapping of fields, got {type(data).__name__}")
    try:
        return Regime(**data)
    except ValidationError as exc:
        raise R2PInputError(format_validation_error(exc, origin, Regime)) from None


@functools.cache
def _shipped_regime(name: str) -> Regime:
    text = resources.files(_PKG).joinpath("regimes", f"{name}.yaml").read_text("utf-8")
    return parse_regime(_read_yaml_text(text, f"{name}.yaml"), f"{name}.yaml")


def regimes() -> dict[str, Regime]:
    """The six shipped regimes, by name, in the report's order."""
    return {n: _shipped_regime(n) for n in REGIME_NAMES}


def load_regime(name_or_path: str | Path) -> Regime:
    """Return a shipped regime by name, or a user's regime from a YAML file path.

    Raises ``R2PInputError`` for an unknown name (with the closest names) or a malformed or
    contradictory file (with the field, problem and allowed values).
    """
    text = str(name_or_path)
    if text in REGIME_NAMES:
        return _shipped_regime(text)
    path = Path(text).expanduser()
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise R2PInputError(f"regime file {path} does not exist")
        return parse_regime(_read_yaml_text(path.read_text("utf-8"), str(path)), str(path))
    raise R2PInputError(
        f"regime: unknown name {text!r}.{suggest(text, REGIME_NAMES)} "
        f"Allowed: {', '.join(REGIME_NAMES)}, or a path to a .yaml file"
    )
