"""The HTML pages: Jinja2 templates filled on the server, charts drawn by ``static/app.js`` from the API."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from r2p.web import _map, _services
from r2p.web._parts import available

HERE = FsPath(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

router = APIRouter(include_in_schema=False)

NAV = (("map", "/", "Risk map"), ("cases", "/cases", "Cases"), ("scenarios", "/scenarios", "Scenario editor"),
       ("track", "/track-record", "Track record"), ("api", "/api-docs", "API"))


def _page(request: Request, template: str, page: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, {"page": page, "nav": NAV, **context},
                                      status_code=status_code)


def render_error(request: Request, status: int, message: str) -> Response:
    """Return the HTML error page with ``status`` and ``message``."""
    return _page(request, "error.html", "error", status_code=status, status=status, message=message)


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: send the package's icon."""
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    """The world risk map with its four views."""
    return _page(request, "map.html", "map", shapes=_map.world_shapes(), width=_map.WIDTH,
                 height=_map.height(), sphere=_map.sphere_path(), views=_services.VIEWS,
                 risk_available=available("risk"))


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request) -> HTMLResponse:
    """Every country, searchable, linking to its page."""
    return _page(request, "countries.html", "countries", countries=_services.country_list())


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country_page(request: Request, iso3: str = Path(..., max_length=60)) -> HTMLResponse:
    """A country: risk history, drivers, Council outlook, simulation, cases."""
    c = _services.country(iso3)
    cases = [_services.case_brief(k) for k in _services._library() if k.target_state == c.iso3]
    return _page(request, "country.html", "country", country=c, cases=cases,
                 brief_available=available("report"))


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request) -> HTMLResponse:
    """The case library."""
    return _page(request, "cases.html", "cases", cases=_services.case_list())


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str = Path(..., max_length=80)) -> HTMLResponse:
    """One case: its timeline of events by instrument and actor, votes and vetoes marked."""
    case = _services.case_detail(case_id)
    return _page(request, "case.html", "case", case=case)


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request) -> HTMLResponse:
    """The scenario editor: pick or edit a regime, run, compare regimes side by side."""
    return _page(request, "scenarios.html", "scenarios")


@router.get("/track-record", response_class=HTMLResponse)
def track_page(request: Request) -> HTMLResponse:
    """The early-warning model's backtest record against EWP's published method, then the Council veto
    model's (``?train_until=`` picks the veto backtest's first training window; default 2010)."""
    return _page(request, "track.html", "track")


@router.get("/api-docs", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    """A list of the JSON API's endpoints, read from the OpenAPI schema (works offline)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""),
                              "params": [p["name"] for p in op.get("parameters", [])]})
    return _page(request, "api.html", "api", endpoints=endpoints)
