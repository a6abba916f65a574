"""The policy brief as a user gets it: files, pages, numbers traceable to the parts, reproducible, safe.

One brief (Sudan with data through 2003, looking at 2004: the Darfur crisis, which the case library
holds) is written once per module and checked against the parts that computed it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shlex
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from r2p.errors import R2PInputError

COUNTRY, YEAR, DRAWS, SEED = "SDN", 2003, 300, 3  # brief year = forecast base year; crisis in 2004


class _Spans(HTMLParser):
    """Collect ``<span class="n" data-key data-value>`` numbers and the reproduce command."""

    def __init__(self) -> None:
        super().__init__()
        self.numbers: list[tuple[str, str, str]] = []
        self._open: tuple[str, str] | None = None
        self._text = ""
        self._in_pre = False
        self.reproduce = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "span" and a.get("class") == "n":
            self._open = (a["data-key"] or "", a["data-value"] or "")
            self._text = ""
        if tag == "pre" and a.get("id") == "reproduce":
            self._in_pre = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._open:
            self.numbers.append((*self._open, self._text))
            self._open = None
        if tag == "pre":
            self._in_pre = False

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data
        if self._in_pre:
            self.reproduce += data


def _parse(html: str) -> _Spans:
    p = _Spans()
    p.feed(html)
    return p


_ID_FIELDS = ("instrument", "regime", "member", "id")


def resolve(numbers: Any, key: str) -> Any:
    """Follow a dotted data-key through the numbers: list items are picked by index or by their
    instrument / regime / member / id (one segment per identifying field)."""
    node = numbers
    parts = key.split(".")
    i = 0
    while i < len(parts):
        seg = parts[i]
        if isinstance(node, dict):
            node = node[seg]
            i += 1
        elif isinstance(node, list):
            if seg.isdigit():
                node = node[int(seg)]
                i += 1
                continue
            items = node
            while True:
                items = [x for x in items if any(x.get(f) == parts[i] for f in _ID_FIELDS)]
                i += 1
                assert items, f"{key}: no element matches {parts[i - 1]!r}"
                if len(items) == 1:
                    break
            node = items[0]
        else:
            raise AssertionError(f"{key}: cannot descend into {node!r}")
    return node


def _pdf_text(data: bytes) -> bytes:
    """Return the PDF with every Flate stream inflated (WeasyPrint packs objects into streams)."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


@pytest.fixture(scope="module")
def brief(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from r2p.report import write_brief

    out = tmp_path_factory.mktemp("brief")
    with pytest.MonkeyPatch.context() as mp:
        # A cold risk-backtest cache refits in forked workers, which can hang in a process that already
        # holds native (DuckDB) threads; results do not depend on the number of jobs.
        mp.setenv("R2P_JOBS", "1")
        return write_brief(COUNTRY, YEAR, formats=("html", "pdf"), out_dir=out, draws=DRAWS, seed=SEED)


@pytest.fixture(scope="module")
def html(brief: Any) -> str:
    return str(brief.paths["html"].read_text(encoding="utf-8"))


def test_public_surface() -> None:
    import r2p.report

    assert sorted(r2p.report.__all__) == ["BriefResult", "FORMATS", "write_brief"]


def test_files_written_and_pdf_has_two_to_four_pages(brief: Any) -> None:
    assert set(brief.paths) == {"html", "pdf", "json"}
    assert all(p.is_file() and p.parent == brief.paths["html"].parent for p in brief.paths.values())
    assert sorted(p.name for p in brief.paths["html"].parent.iterdir()) == [
        "brief-SDN-2003.html", "brief-SDN-2003.json", "brief-SDN-2003.pdf"]  # no temporary left
    pdf = brief.paths["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", _pdf_text(pdf)))
    assert pages == brief.numbers["pdf_pages"]
    assert 2 <= pages <= 4
    assert json.loads(brief.paths["json"].read_text()) == brief.numbers


def test_pdf_embeds_only_the_bundled_fonts(brief: Any) -> None:
    text = _pdf_text(brief.paths["pdf"].read_bytes())
    names = {n.split(b"+")[-1] for n in re.findall(rb"/FontName\s*/([^\s/>\]]+)", text)}
    assert names, "no embedded font found"
    # the @font-face families of the bundled DejaVu files; a system font would appear under its own name
    assert names <= {b"R2P-Serif", b"R2P-Serif-Bold", b"R2P-Serif-Italic", b"R2P-Mono"}


def test_every_number_in_the_html_comes_from_the_numbers(brief: Any, html: str) -> None:
    spans = _parse(html).numbers
    assert len(spans) > 100
    for key, raw, _shown in spans:
        value = resolve(brief.numbers, key)
        if raw == "":
            assert value is None, key
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            assert str(value) == raw, key
        else:
            assert float(raw) == pytest.approx(float(value), rel=1e-12, abs=1e-15), key


def test_risk_figure_equals_country_risk(brief: Any, html: str) -> None:
    from r2p.risk import country_risk

    cr = country_risk(COUNTRY, YEAR)
    shown = {k: (v, t) for k, v, t in _parse(html).numbers}
    assert float(shown["risk.risk_2y"][0]) == pytest.approx(cr.risk_2y, rel=1e-12)
    assert shown["risk.risk_2y"][1] == f"{100 * cr.risk_2y:.1f}%"
    assert int(shown["risk.rank"][0]) == cr.rank
    assert [d["feature"] for d in brief.numbers["risk"]["drivers"]] == [d.feature for d in cr.drivers]


def test_council_outlook_equals_the_council_model(brief: Any) -> None:
    from r2p.council import load_model

    out = load_model(as_of=dt.date(YEAR + 1, 12, 31)).outlook(COUNTRY, YEAR + 1)
    got = brief.numbers["council"]
    assert [d["instrument"] for d in got["drafts"]] == [d.instrument for d in out.drafts]
    assert [d["p_pass"] for d in got["drafts"]] == pytest.approx([d.p_pass for d in out.drafts], rel=1e-12)
    assert got["strongest_passable"] == out.strongest_passable
    assert len(got["p5_votes"]) == 5 * len(out.drafts)


def test_options_name_an_authority_path_for_every_rung(brief: Any) -> None:
    from r2p.law import authority_path, instruments

    opts = {o["instrument"]: o for o in brief.numbers["options"]}
    assert list(opts) == [i.name for i in instruments()]
    for ins in instruments():
        path = authority_path(opts[ins.name]["council_path"])
        assert path.confers_force == ins.force or not ins.force  # force only by a path that confers it
    assert opts["full_intervention"]["council_path"] == "chapter_vii_art42"
    assert opts["statement"]["council_path"] == "chapter_vi"
    # break_the_law opens claimed necessity for force, which has no established legal basis
    strikes = [x for x in opts["precision_strikes"]["outside"] if x["regime"] == "break_the_law"]
    assert strikes and all(not x["legal"] for x in strikes)


def test_regime_comparison_is_the_seeded_simulation(brief: Any) -> None:
    from r2p.crisis import Scenario, simulate

    sim = brief.numbers["simulation"]
    assert sim["seed"] == SEED and sim["draws"] == DRAWS
    again = simulate(Scenario.for_country(COUNTRY, YEAR + 1), "status_quo", DRAWS, sim["weeks"], seed=SEED)
    s = again.summary.set_index(["regime", "metric"])
    row = resolve(brief.numbers, "simulation.table.status_quo")
    expected = s.loc[("status_quo", "deaths_civilian"), "mean"]
    assert row["deaths_civilian_mean"] == pytest.approx(expected, rel=1e-12)


def test_nearest_analogue_of_sudan_2004_is_darfur(brief: Any) -> None:
    from r2p.report._analogues import WEIGHTS, similarity

    top = brief.numbers["analogues"][0]
    assert top["id"] == "darfur-2003"
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)
    scores = [a["score"] for a in brief.numbers["analogues"]]
    assert scores == sorted(scores, reverse=True)
    for a in brief.numbers["analogues"]:
        assert a["score"] == pytest.approx(similarity(a["components"]))


def test_provenance_lists_checksums_and_backtest(brief: Any, html: str) -> None:
    from r2p.data import query

    prov = query("SELECT sha256 FROM provenance WHERE table_name = 'ewp_panel'")
    assert prov["sha256"].iloc[0] in html  # full checksum carried in the page
    bt = brief.numbers["provenance"]["risk_backtest"]
    assert 0.5 < bt["auc"] <= 1.0 and 0.0 <= bt["brier"] < 1.0


def test_reproduce_command_reproduces_the_numbers(brief: Any, html: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from r2p.cli import app

    command = _parse(html).reproduce.strip()
    assert command == brief.reproduce
    argv = shlex.split(command)
    assert argv[:2] == ["r2p", "brief"] and "--seed" in argv
    res = CliRunner().invoke(app, [*argv[1:], "--out", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    again = json.loads(res.stdout)["numbers"]
    for part in ("risk", "council", "options", "simulation", "analogues", "provenance"):
        assert again[part] == brief.numbers[part], part


def test_failed_render_writes_nothing(brief: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import r2p.report._collect as collect_mod
    import r2p.report._render as render_mod
    from r2p.report import write_brief

    monkeypatch.setattr(collect_mod, "collect", lambda *a, **k: copy.deepcopy(brief.numbers))

    def boom(*a: Any, **k: Any) -> Any:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(render_mod, "render_html", boom)
    with pytest.raises(RuntimeError):
        write_brief(COUNTRY, YEAR, formats="both", out_dir=tmp_path, draws=DRAWS, seed=SEED)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"country": "Atlantis"}, "Atlantis"),
    ({"year": 2030}, "outside the years"),
    ({"year": 1950}, "outside the years"),
    ({"formats": "docx"}, "format"),
    ({"draws": 0}, "draws"),
    ({"seed": -1}, "seed"),
    ({"regimes": ["status_quo", "nonsense"]}, "nonsense"),
    ({"name": "../escape"}, "outside the output folder"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(warehouse: Path, tmp_path: Path,
                                                       kwargs: dict[str, Any], message: str) -> None:
    from r2p.report import write_brief

    args: dict[str, Any] = {"country": COUNTRY, "year": YEAR, "out_dir": tmp_path / "out", "draws": 10}
    args.update(kwargs)
    country, year = args.pop("country"), args.pop("year")
    with pytest.raises(R2PInputError, match=re.escape(message)):
        write_brief(country, year, **args)
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    assert list(tmp_path.parent.glob("escape*")) == []


def test_output_folder_problems_are_input_errors(warehouse: Path, tmp_path: Path) -> None:
    from r2p.report import write_brief

    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(R2PInputError, match="is a file"):
        write_brief(COUNTRY, YEAR, out_dir=a_file, draws=10)
    with pytest.raises(R2PInputError, match="cannot create"):
        write_brief(COUNTRY, YEAR, out_dir=a_file / "sub", draws=10)
    # a symlink planted where the brief would go must not be followed outside the folder
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "victim.html"
    outside.write_text("keep")
    (out / "brief-SDN-2003.html").symlink_to(outside)
    with pytest.raises(R2PInputError, match="outside the output folder"):
        write_brief(COUNTRY, YEAR, out_dir=out, formats="html", draws=10)
    assert outside.read_text() == "keep"


def test_cli_bad_country_exits_2_with_a_message(warehouse: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("r2p")
    proc = subprocess.run([str(exe), "brief", "Atlantis", "--year", "2003", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Atlantis" in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_words() -> None:
    from r2p.report._render import driver_value, strength, trend_words

    assert strength(0.6) == "strongly raises" and strength(-0.3) == "moderately lowers"
    assert strength(0.1) == "slightly raises"
    assert trend_words(0.02, 0.1) == "rising" and trend_words(-0.02, 0.1) == "falling"
    assert trend_words(0.001, 0.1) == "about level"
    assert driver_value("battle deaths (log2)", 10.0) == "about 1,020"
    assert driver_value("a coup attempt", 1.0) == "yes"


def test_figures_are_deterministic(brief: Any) -> None:
    from r2p.report._figures import regimes_svg, risk_trend_svg

    n = brief.numbers
    assert risk_trend_svg(n["risk"], "Sudan") == risk_trend_svg(n["risk"], "Sudan")
    titles = {r["name"]: r["title"] for r in n["regimes"]}
    svg = regimes_svg(n["simulation"]["table"], titles)
    assert svg.startswith("<?xml") and svg == regimes_svg(n["simulation"]["table"], titles)


def test_user_regime_file_is_simulated_and_its_checksum_recorded(brief: Any, tmp_path: Path) -> None:
    import hashlib

    import yaml

    from r2p.report import write_brief

    shipped = Path(__file__).resolve().parents[2] / "src/r2p/law/regimes/status_quo.yaml"
    data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    data.update(name="my_regime", title="My regime", category="user")
    data["council"]["deliberation_weeks"] = 1.0
    regime_file = tmp_path / "my_regime.yaml"
    regime_file.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("R2P_JOBS", "1")
        res = write_brief(COUNTRY, YEAR, regimes=["status_quo", str(regime_file)], formats="html",
                          out_dir=out, draws=DRAWS, seed=SEED)
    assert set(res.paths) == {"html", "json"}
    assert res.numbers["simulation"]["regimes"] == ["status_quo", "my_regime"]
    digest = hashlib.sha256(regime_file.read_bytes()).hexdigest()
    assert res.numbers["provenance"]["user_regimes"] == [{"file": str(regime_file), "sha256": digest}]
    assert digest in res.paths["html"].read_text(encoding="utf-8")
    assert f"--regime {regime_file}" in res.reproduce
    # the shipped regime's numbers do not depend on which other regimes are compared
    sq = resolve(res.numbers, "simulation.table.status_quo")
    assert sq == resolve(brief.numbers, "simulation.table.status_quo")
