"""r2p.law: the shipped rules validate, and bad regime files are rejected with field, problem
and allowed values."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import r2p.law as law
from r2p.errors import R2PInputError

REGIME_DIR = Path(law.__file__).parent / "regimes"


def _shipped(name: str) -> dict:
    return yaml.safe_load((REGIME_DIR / f"{name}.yaml").read_text())


def test_public_names() -> None:
    assert set(law.__all__) == {
        "BLOCS",
        "COUNCIL_CLASSES",
        "P5",
        "REGIME_NAMES",
        "AuthorityPath",
        "Crime",
        "Instrument",
        "PathRule",
        "RegionalOrganisation",
        "Regime",
        "authority_path",
        "authority_paths",
        "crime",
        "crimes",
        "criteria",
        "instrument",
        "instruments",
        "load_regime",
        "manifest_failing",
        "parse_regime",
        "regimes",
        "regional_organisation",
        "regional_organisations",
    }


def test_six_regimes_ship_and_match_their_files() -> None:
    regimes = law.regimes()
    assert list(regimes) == [
        "status_quo",
        "break_the_law",
        "un_reform",
        "hi_doctrine",
        "democracies",
        "recommended",
    ]
    assert sorted(p.stem for p in REGIME_DIR.glob("*.yaml")) == sorted(regimes)
    for name, regime in regimes.items():
        assert regime.name == name
    # The report's distinctions are in the data, not in code.
    assert regimes["status_quo"].paths == [] and not regimes["status_quo"].force_outside_council
    assert regimes["un_reform"].council.restraint["RUS"] < regimes["un_reform"].council.restraint["GBR"]
    assert regimes["hi_doctrine"].paths[0].min_deadlocks == 0
    assert regimes["recommended"].council.veto_threat_cost > 0


def test_ladder_is_ordered_and_force_needs_art42() -> None:
    items = law.instruments()
    assert [i.rung for i in items] == list(range(14))
    assert items[0].name == "statement" and items[-1].name == "full_intervention"
    for i in items:
        if i.force:
            assert i.council_class == "force_authorization"
    assert {i.council_class for i in items} == set(law.COUNCIL_CLASSES)
    assert law.instrument("no_fly_zone").council_class == "force_authorization"
    assert law.instrument("mediation").council_class == "statement"
    with pytest.raises(R2PInputError, match="no_fly_zone"):
        law.instrument("no_fly_zon")


def test_crimes_two_well_defined_two_open_to_politicised_use() -> None:
    defined = {c.name: c.well_defined for c in law.crimes()}
    assert defined == {
        "genocide": True,
        "crimes_against_humanity": True,
        "ethnic_cleansing": False,
        "war_crimes": False,
    }
    assert {c.name for c in law.criteria()} == {
        "necessity",
        "last_resort",
        "proportionality",
        "reasonable_prospects",
    }
    assert "manifest" in law.manifest_failing().operationalised_as


def test_authority_paths_council_accepted_by_all_blocs() -> None:
    paths = {a.name: a for a in law.authority_paths()}
    for name in (
        "self_defence_art51",
        "chapter_vii_art41",
        "chapter_vii_art42",
        "chapter_viii_art53",
        "au_art4h",
        "uniting_for_peace",
        "host_consent",
        "ex_post_validation",
        "claimed_necessity",
    ):
        assert name in paths
    assert not paths["uniting_for_peace"].confers_force
    art41 = paths["chapter_vii_art41"].acceptance
    assert min(art41.western, art41.russia_china, art41.nam_g77, art41.regional) == 1.0
    assert (
        paths["humanitarian_doctrine"].acceptance.russia_china
        < paths["chapter_vii_art42"].acceptance.russia_china
    )


def test_every_warehouse_region_has_a_regional_organisation(warehouse: Path) -> None:
    from r2p.data import read_table

    countries = read_table("countries")
    for row in countries.itertuples(index=False):
        if isinstance(row.region, str):
            org = law.regional_organisation(row.iso3, row.region)
            assert org.name in {o.name for o in law.regional_organisations()}
    assert law.regional_organisation("SDN", "Sub-Saharan Africa").intervention_right
    assert law.regional_organisation("LBY", "Middle East & North Africa").name == "AU"


@pytest.mark.parametrize(
    ("mutate", "field", "allowed"),
    [
        (lambda d: d.update(colour="red"), "colour", "Allowed fields"),
        (
            lambda d: d["council"].update(deliberation_weeks=float("nan")),
            "council.deliberation_weeks",
            "finite",
        ),
        (
            lambda d: d["council"].update(restraint={"IND": 0.5}),
            "council.restraint",
            "USA, GBR, FRA, RUS, CHN",
        ),
        (lambda d: d["council"].update(max_instrument="no_fly_zon"), "council.max_instrument", "no_fly_zone"),
        (lambda d: d["council"].update(first_step_jump=1, max_jump=2), "council.first_step_jump", ">= 2"),
        (lambda d: d.update(category="sideways"), "category", "baseline"),
        (lambda d: d["paths"][0].update(authority="nato"), "paths[0].authority", "Allowed"),
        (
            lambda d: d["paths"][0].update(political_will=1.5),
            "paths[0].political_will",
            "less than or equal to 1",
        ),
        (lambda d: d.update(force_outside_council=False), "paths[0].instruments[0]", "force_outside_council"),
        (lambda d: d["paths"].append(copy.deepcopy(d["paths"][0])), "paths[1].name", "unique"),
        (
            lambda d: d["paths"][0].update(authority="uniting_for_peace"),
            "paths[0].instruments[0]",
            "confers no authority",
        ),
        (
            lambda d: d["paths"][0].update(authority="chapter_vii_art42"),
            "paths[0].authority",
            "outside the Council",
        ),
        (
            lambda d: d.update(criteria={"proportional_max_instrument": "safe_havens"}),
            "paths[0].instruments[1]",
            "proportionality",
        ),
        (lambda d: d.pop("title"), "title", "missing"),
    ],
)
def test_bad_regimes_are_rejected_with_field_and_allowed_values(mutate, field: str, allowed: str) -> None:
    data = _shipped("break_the_law")
    mutate(data)
    with pytest.raises(R2PInputError) as err:
        law.parse_regime(data, "mine.yaml")
    message = str(err.value)
    assert "mine.yaml" in message and field in message and allowed in message, message


def test_user_regime_file_round_trip(tmp_path: Path) -> None:
    data = _shipped("recommended")
    data.update(name="recommended_enlarged", category="user")
    data["council"]["extra_members"] = 10
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data))
    regime = law.load_regime(path)
    assert regime.name == "recommended_enlarged" and regime.council.extra_members == 10
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n")
    with pytest.raises(R2PInputError, match="not valid YAML"):
        law.load_regime(tmp_path / "broken.yaml")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    with pytest.raises(R2PInputError, match="mapping"):
        law.load_regime(tmp_path / "list.yaml")
    with pytest.raises(R2PInputError, match="does not exist"):
        law.load_regime(tmp_path / "missing.yaml")
    with pytest.raises(R2PInputError, match="Did you mean 'hi_doctrine'"):
        law.load_regime("hi_doctrin")


def test_cli_validate_and_show(tmp_path: Path) -> None:
    exe = [sys.executable, "-m", "r2p.cli"]
    data = _shipped("democracies")
    data["paths"][0]["instruments"] = ["carpet_bombing"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    run = subprocess.run([*exe, "law", "validate", str(bad)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "paths[0].instruments[0]" in run.stderr and "carpet_bombing" in run.stderr
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(_shipped("democracies")))
    run = subprocess.run(
        [*exe, "law", "validate", str(good), "--json"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0 and '"valid": true' in run.stdout
    run = subprocess.run([*exe, "law", "show", "un_reform"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "restraint" in run.stdout


def test_docs_list_every_parameter_as_in_the_data() -> None:
    from r2p.law._docs import BEGIN, END, render

    docs = (Path(__file__).parents[2] / "docs" / "law.md").read_text(encoding="utf-8")
    generated = docs.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert generated == render().strip(), "docs/law.md is stale: run python -m r2p.law._docs docs/law.md"
    for name in law.REGIME_NAMES:
        assert f"`{name}`" in generated
