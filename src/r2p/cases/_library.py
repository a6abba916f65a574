"""Load case files (the shipped library or a user's folder) with errors that name file and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from r2p.cases._schema import Case, OnsetCase
from r2p.errors import R2PInputError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CaseLoadFailure:
    """A case file that could not be loaded, and why."""

    source: str
    error: str


def _describe(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(file)"
        value = e.get("input")
        shown = "" if isinstance(value, (dict, list)) else f" (got {value!r})"
        parts.append(f"field '{loc}': {e['msg']}{shown}")
    return "; ".join(parts)


def parse_case_text(text: str, source: str, model: type[M]) -> M:
    """Return ``text`` (YAML) parsed as ``model``; ``R2PInputError`` names ``source`` and the field."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise R2PInputError(f"case file {source}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise R2PInputError(f"case file {source}: expected a mapping of fields, got {type(raw).__name__}.")
    try:
        case = model.model_validate(raw)
    except ValidationError as exc:
        raise R2PInputError(f"case file {source}: {_describe(exc)}") from exc
    stem = Path(source).stem
    case_id = getattr(case, "id", stem)
    if source.endswith((".yaml", ".yml")) and stem != case_id:
        raise R2PInputError(f"case file {source}: field 'id' is {case_id!r} but the file is named {stem!r}.")
    return case


def load_case_file(path: Path, model: type[M] = Case) -> M:  # type: ignore[assignment]
    """Return the case in ``path`` parsed as ``model`` (``Case`` or ``OnsetCase``)."""
    path = Path(path)
    if not path.is_file():
        raise R2PInputError(f"case file {path} does not exist.")
    return parse_case_text(path.read_text(encoding="utf-8"), str(path), model)


def load_case_dir(folder: Path, model: type[M] = OnsetCase) -> tuple[list[M], list[CaseLoadFailure]]:  # type: ignore[assignment]
    """Return ``(cases, failures)`` for every ``*.yaml`` in ``folder``; one bad file never stops the rest."""
    folder = Path(folder)
    if not folder.is_dir():
        raise R2PInputError(f"case folder {folder} does not exist or is not a folder.")
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise R2PInputError(f"case folder {folder} holds no .yaml files.")
    cases: list[M] = []
    failures: list[CaseLoadFailure] = []
    for f in files:
        try:
            cases.append(load_case_file(f, model))
        except R2PInputError as exc:
            failures.append(CaseLoadFailure(str(f), str(exc)))
    return cases, failures


def library() -> list[Case]:
    """Return every case of the shipped library (from the warehouse), sorted by onset date."""
    from r2p.data import read_table

    docs = read_table("case_documents")
    cases = [parse_case_text(t, p, Case) for t, p in zip(docs["yaml_text"], docs["rel_path"], strict=True)]
    return sorted(cases, key=lambda c: (c.onset_date, c.id))


def get_case(case_id: str) -> Case:
    """Return the library case with id ``case_id``; ``R2PInputError`` with close matches if unknown."""
    from r2p.errors import suggest

    cases = {c.id: c for c in library()}
    if case_id not in cases:
        raise R2PInputError(f"unknown case {case_id!r}." + suggest(case_id, cases))
    return cases[case_id]


def truth() -> pd.DataFrame:
    """Return the validation outcomes (``truth.csv``): id and four 0/1 outcome columns."""
    from r2p.data import read_table

    return read_table("cases_truth").sort_values("id").reset_index(drop=True)
