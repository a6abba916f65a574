"""The JSON API under ``/api/``: everything the pages show, documented at ``/openapi.json``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from r2p.web import _map, _scenarios, _services
from r2p.web._jobs import JobStore, TooBusy
from r2p.web._schemas import (
    CaseDetail,
    CaseItem,
    CountryItem,
    ErrorBody,
    JobStatus,
    MapShapes,
    RegimeText,
    RegimeValidation,
    SimulationRequest,
)
from r2p.web._services import NotFound

_ERR = {"model": ErrorBody}
ERRORS: dict[int | str, dict[str, Any]] = {400: _ERR, 404: _ERR, 422: _ERR, 503: _ERR}

router = APIRouter(prefix="/api", responses=ERRORS)


def _jobs(request: Request) -> JobStore:
    return request.app.state.jobs  # type: ignore[no-any-return]

Year = Query(None, ge=1900, le=2100, description="Base year (default: the latest year of data)")
Model = Query(None, max_length=40, description="Risk model name (default: the package's default model)")
ISO3 = Path(..., max_length=60, description="ISO 3166-1 alpha-3 code, e.g. SDN")


@router.get("/status", summary="Which parts of r2p the dashboard can use")
def get_status() -> dict[str, Any]:
    """Return the r2p version and whether each part (risk, council, law, crisis, report) is available."""
    return _services.status()


@router.get("/countries", response_model=list[CountryItem], summary="All countries")
def get_countries() -> list[dict[str, Any]]:
    """Return every country of the crosswalk (ISO3, name, region, COW code)."""
    return _services.country_list()


@router.get("/countries/{iso3}", summary="One country: identity, cases, risk summary")
def get_country(iso3: str = ISO3, year: int | None = Year) -> dict[str, Any]:
    """Return a country's identity, its library cases and its risk (null, with the reason, if unavailable).

    An unknown code is a 404 with a message.
    """
    return _services.country_summary(iso3, year)


@router.get("/countries/{iso3}/risk", summary="A country's early-warning risk, drivers and history")
def get_country_risk(iso3: str = ISO3, year: int | None = Year, model: str | None = Model) -> dict[str, Any]:
    """Return 1- and 2-year risk of a new state-led mass killing, rank, drivers and the history of risk."""
    return _services.country_risk(iso3, year, model)


@router.get("/countries/{iso3}/council", summary="Security Council outlook on a country")
def get_country_council(iso3: str = ISO3, year: int | None = Year) -> dict[str, Any]:
    """Return, for each instrument, the chance a draft passes, is vetoed or falls short of nine votes,
    and each member's vote probabilities."""
    return _services.council_outlook(iso3, year)


Draws = Query(_services.BRIEF_DRAWS, ge=1, le=20_000, description="Monte Carlo draws per regime")
Seed = Query(_services.BRIEF_SEED, ge=0, le=2**32 - 1, description="Random seed of the regime comparison")


@router.get("/countries/{iso3}/brief", summary="The policy brief on a country (HTML or PDF)",
            responses={200: {"content": {"application/pdf": {}, "text/html": {}}}},
            response_class=Response)
def get_country_brief(iso3: str = ISO3, year: int | None = Year,
                      format: str = Query("pdf", max_length=10, description="pdf | html"),
                      draws: int = Draws, seed: int = Seed) -> Response:
    """Return the 2–4 page policy brief written by r2p.report (risk, Council outlook, response options,
    regime comparison, analogues, provenance). Written on first request (minutes; POST to the same
    path to prepare it with progress instead), then served from memory; 503 until r2p.report exists."""
    data, media, name = _services.brief(iso3, year, format, draws, seed)
    disposition = "attachment" if format == "pdf" else "inline"
    headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
    return Response(data, media_type=media, headers=headers)


@router.post("/countries/{iso3}/brief", status_code=202, response_model=JobStatus, responses={429: _ERR},
             summary="Prepare the policy brief on a country, with progress")
def post_country_brief(request: Request, iso3: str = ISO3, year: int | None = Year, draws: int = Draws,
                       seed: int = Seed) -> Any:
    """Queue the writing of the brief (HTML and PDF) and return its job; when it is done, its result
    holds the download links (``GET`` this path with ``format=pdf`` or ``html``)."""
    code, name, y = _services.brief_request(iso3, year, draws, seed)
    query = f"year={y}&draws={draws}&seed={seed}"
    links = {f: f"/api/countries/{code}/brief?format={f}&{query}" for f in _services.BRIEF_TYPES}
    params = {"target": code, "country": name, "year": y, "draws": draws, "seed": seed}

    def run(progress: Any) -> dict[str, Any]:
        steps = [0]

        def step(message: str) -> None:
            steps[0] += 1
            progress(min(0.95, 0.08 * steps[0]), message)

        progress(0.02, "collecting risk, Council outlook, regimes and analogues")
        _services.write_brief(code, y, draws, seed, step=step)
        return {**params, "links": links}

    try:
        job = _jobs(request).submit("brief", params, run)
    except TooBusy as exc:
        return JSONResponse({"error": str(exc), "status": 429}, status_code=429)
    return job.as_dict()


@router.get("/risk", summary="Risk models, years and map views")
def get_risk_meta() -> dict[str, Any]:
    """Return the risk models, the default model, the base years a forecast can be made for, and the views."""
    return _services.risk_meta()


@router.get("/risk/views/{view}", summary="A world-map view of risk")
def get_risk_view(
    view: str = Path(..., max_length=30, description="top | movers | surprises | persistent"),
    year: int | None = Year,
    model: str | None = Model,
    limit: int = Query(30, ge=1, le=200, description="Rows in the ranked list"),
) -> dict[str, Any]:
    """Return a value per country (to colour the map) and the ranked list for one view."""
    return _services.risk_view(view, year, model, limit)


@router.get("/risk/forecast", summary="The full risk forecast for a base year")
def get_forecast(year: int | None = Year, model: str | None = Model) -> dict[str, Any]:
    """Return one row per country: risk_1y, risk_2y, rank, previous risk and change."""
    frame, y, m = _services.forecast_frame(year, model)
    return {"year": y, "model": m, "rows": _services.records(frame)}


@router.get("/risk/track-record", summary="Backtest scores of a model next to EWP's method and baselines")
def get_track_record(model: str | None = Model) -> dict[str, Any]:
    """Return AUC, Brier score, log loss, onsets caught in the top 10/20/30 (pooled and by year) and
    reliability bins of ``model`` (first) and of the baselines: EWP's elastic net (``ewp_method``),
    "onset last year" and the base rate."""
    return _services.track_record(model)


TrainUntil = Query(_services.VETO_TRAIN_UNTIL, ge=1994, le=2024,
                   description="Last year of the veto model's first training window (1994–2024); every "
                               "later draft is scored")


@router.get("/council/track-record",
            summary="Backtest scores of the Security Council veto model and its baselines")
def get_council_track_record(train_until: int = TrainUntil) -> dict[str, Any]:
    """Return the temporal backtest of P5 vetoes (each draft predicted from everything dated before it,
    the model refitted every quarter): pooled metrics (Brier score, Brier skill, log loss, AUC, drafts,
    P5 votes, vetoes) of the model and of the base-rate and repeat-veto baselines, expected against
    observed vetoes per member, scores per five-year period and reliability bins. The first request
    for a ``train_until`` computes the backtest (2010: 30 s to two minutes), later ones read it back."""
    return _services.veto_track_record(train_until)


@router.get("/map/shapes", response_model=MapShapes, summary="World map outlines (offline)")
def get_shapes() -> dict[str, Any]:
    """Return every country outline as SVG path data (Natural Earth 1:110m via world-atlas, Equal Earth)."""
    return {"width": _map.WIDTH, "height": _map.height(),
            "attribution": "Natural Earth 1:110m (public domain) via world-atlas 2.0.2 (ISC)",
            "shapes": [{"iso3": s.iso3, "name": s.name, "d": s.d} for s in _map.world_shapes()]}


@router.get("/cases", response_model=list[CaseItem], summary="The historical case library")
def get_cases() -> list[dict[str, Any]]:
    """Return every case of the library, by onset date."""
    return _services.case_list()


@router.get("/cases/{case_id}", response_model=CaseDetail, summary="One case with its timeline")
def get_case(case_id: str = Path(..., max_length=80)) -> dict[str, Any]:
    """Return a case in full and its events (month from onset, actor, instrument, vote, veto)."""
    return _services.case_detail(case_id)


@router.get("/regimes", summary="The shipped regimes")
def get_regimes() -> dict[str, Any]:
    """Return each shipped regime's name and description."""
    return _scenarios.regime_list()


@router.get("/regimes/{name}", summary="One shipped regime, as YAML and parsed")
def get_regime(name: str = Path(..., max_length=80)) -> dict[str, Any]:
    """Return a shipped regime's YAML text and its parsed fields."""
    return _scenarios.regime_detail(name)


@router.post("/regimes/validate", response_model=RegimeValidation, summary="Validate a regime (YAML)")
def post_validate(body: RegimeText) -> dict[str, Any]:
    """Return whether the YAML is a valid regime and, if not, each problem with its field and line."""
    return _scenarios.validate_regime(body.yaml)


@router.get("/scenarios", summary="The shipped crisis scenarios")
def get_scenarios() -> dict[str, Any]:
    """Return each shipped scenario's name and description."""
    return _scenarios.scenario_list()


@router.post("/simulations", status_code=202, response_model=JobStatus,
             responses={429: _ERR}, summary="Start a crisis simulation")
def post_simulation(body: SimulationRequest, request: Request) -> Any:
    """Validate the request, queue the simulation and return its job (poll ``/api/simulations/{id}``).

    A bad regime, country, scenario or draw count is refused before anything is queued.
    """
    params, run = _scenarios.prepare_simulation(body)
    try:
        job = _jobs(request).submit("simulation", params, run)
    except TooBusy as exc:
        return JSONResponse({"error": str(exc), "status": 429}, status_code=429)
    return job.as_dict()


@router.get("/jobs/{job_id}", response_model=JobStatus, summary="A job's progress and result (any kind)")
@router.get("/simulations/{job_id}", response_model=JobStatus, summary="A simulation's progress and result")
def get_simulation(request: Request, job_id: str = Path(..., max_length=40)) -> dict[str, Any]:
    """Return the job's state, progress (0–1) and, once done, the regime comparison."""
    job = _jobs(request).get(job_id)
    if job is None:
        raise NotFound(f"no job with id {job_id[:40]!r}; jobs are kept in memory only while the "
                       "server runs.")
    return job.as_dict()
