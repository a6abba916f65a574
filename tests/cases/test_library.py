"""The case library loads through one schema; malformed files are named with their field."""

from __future__ import annotations

from pathlib import Path

import pytest

from r2p.cases import (
    Case,
    OnsetCase,
    first_steps,
    get_case,
    library,
    library_tables,
    load_case_dir,
    load_case_file,
    months_between,
    truth,
)
from r2p.errors import R2PInputError


def test_library_loads_every_case(warehouse: Path) -> None:
    cases = library()
    assert len(cases) == 19
    assert {c.id for c in cases} == set(truth()["id"])
    assert all(isinstance(c, Case) for c in cases)


def test_months_between() -> None:
    assert months_between("1994-04", "1994-04-21") == 0
    assert months_between("1994-04", "1995-03") == 11
    assert months_between("1992-04", "1991-09-25") == -7


def test_first_steps_match_the_recorded_outcome(warehouse: Path) -> None:
    # The library records months to the first coercive measure; our timeline must agree
    # wherever the first coercive step is a Council art. 41 measure taken after onset.
    rwanda = first_steps(get_case("rwanda-1994"))
    assert rwanda.first_unsc_coercive == 1  # arms embargo, res. 918, May 1994
    assert rwanda.first_force == 2  # Operation Turquoise, June 1994
    bosnia = first_steps(get_case("bosnia-1992"))
    assert bosnia.first_unsc_coercive == 1  # sanctions, res. 757
    assert bosnia.first_veto == 32  # Russia, Dec 1994
    assert first_steps(get_case("darfur-2003")).first_force is None


def test_tables_have_one_row_per_case_and_event(warehouse: Path) -> None:
    cases, events = library_tables()
    assert len(cases) == 19
    assert len(events) == sum(len(c.events) for c in library())
    assert cases.set_index("id").loc["rwanda-1994", "deaths_best"] == 800000


def test_unknown_case_suggests(warehouse: Path) -> None:
    with pytest.raises(R2PInputError, match="'rwanda-1994'"):
        get_case("rwanda-199")


def test_malformed_files_name_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "good-2020.yaml").write_text(
        "id: good-2020\ntarget_state: SDN\nonset_date: '2020-01'\ncrime_types: [genocide]\n"
        "perpetrator: state\n")
    (tmp_path / "bad-date.yaml").write_text(
        "id: bad-date\ntarget_state: SDN\nonset_date: '2020-13'\ncrime_types: [genocide]\n"
        "perpetrator: state\n")
    (tmp_path / "bad-crime.yaml").write_text(
        "id: bad-crime\ntarget_state: SDN\nonset_date: '2020-01'\ncrime_types: [piracy]\n"
        "perpetrator: state\n")
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    cases, failures = load_case_dir(tmp_path, OnsetCase)
    assert [c.id for c in cases] == ["good-2020"]
    messages = {Path(f.source).name: f.error for f in failures}
    assert "onset_date" in messages["bad-date.yaml"] and "2020-13" in messages["bad-date.yaml"]
    assert "crime_types" in messages["bad-crime.yaml"] and "piracy" in messages["bad-crime.yaml"]
    assert "not valid YAML" in messages["broken.yaml"]


def test_full_schema_rejects_unknown_instrument(tmp_path: Path, warehouse: Path) -> None:
    text = (Path(__file__).parents[2] / "data/cases/cases/kenya-2007.yaml").read_text()
    bad = tmp_path / "kenya-2007.yaml"
    bad.write_text(text.replace("instrument: mediation", "instrument: prayer", 1))
    with pytest.raises(R2PInputError, match=r"kenya-2007.yaml: field 'events\.\d+\.instrument'.*prayer"):
        load_case_file(bad, Case)


def test_id_must_match_file_name(tmp_path: Path) -> None:
    f = tmp_path / "other.yaml"
    f.write_text("id: good-2020\ntarget_state: SDN\nonset_date: '2020-01'\ncrime_types: []\n"
                 "perpetrator: state\n")
    with pytest.raises(R2PInputError, match="named 'other'"):
        load_case_file(f, OnsetCase)
