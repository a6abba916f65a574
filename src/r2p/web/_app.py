"""The FastAPI application: HTML pages, the JSON API under ``/api/``, static files, error handling.

Every error a request can cause becomes a response with a message: JSON
``{"error": ..., "status": ...}`` under ``/api/`` and an HTML error page elsewhere.
Unexpected exceptions are logged on the server and answered with a 500 that carries
no stack trace. Nothing here reaches the network: scripts, styles and map shapes are
served from the package, and the Content-Security-Policy forbids anything else.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from r2p.errors import R2PDataError, R2PInputError
from r2p.web._parts import PartUnavailable
from r2p.web._services import NotFound

log = logging.getLogger("r2p.web")
HERE = Path(__file__).parent

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")


class _SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def _error(request: Request, status: int, message: str, **extra: Any) -> Response:
    if _is_api(request):
        body = {"error": message, "status": status, **jsonable_encoder(extra)}
        return JSONResponse(body, status_code=status)
    from r2p.web._pages import render_error

    return render_error(request, status, message)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body",)) or "request"
        value = err.get("input")
        shown = "" if value is None or isinstance(value, (dict, list)) else f" (got {str(value)[:40]!r})"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}{shown}")
    return "bad request: " + "; ".join(parts)


def warm_caches(*, veto_backtest: bool = True) -> None:
    """Compute what the first pages need (latest forecast, backtests, Council model and, last, unless
    ``veto_backtest`` is False, the Council's veto backtest for the track record); log, never raise."""
    from r2p.web import _services

    steps = [("risk forecast", lambda: _services.risk_view("top")),
             ("risk backtest", lambda: _services.track_record()),
             ("Council model", lambda: _services.council_outlook("SDN"))]
    if veto_backtest:
        steps.append(("Council veto backtest", lambda: _services.veto_track_record()))
    for what, step in steps:
        try:
            step()
            log.info("warmed the %s", what)
        except Exception as exc:  # a part that is missing or failing is reported by its own pages
            log.info("could not warm the %s: %s", what, exc)


class _LoopbackHosts(BaseHTTPMiddleware):
    """Answer only requests addressed to this machine by a loopback name (no DNS rebinding: a web
    page elsewhere cannot make the browser talk to the dashboard under another host name)."""

    ALLOWED = ("127.0.0.1", "localhost", "[::1]", "::1")

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host.split("]")[0] + "]"
        if name not in self.ALLOWED:
            return _error(request, 400, f"this dashboard answers only on loopback addresses "
                                        f"(127.0.0.1, localhost), not {host[:60]!r}")
        return await call_next(request)


def create_app(*, warm: bool = False, loopback_only: bool = False) -> FastAPI:
    """Return the dashboard application (pages, ``/api/`` JSON API, ``/openapi.json``, ``/static``).

    ``warm``: on start-up, compute the latest risk forecast, the default model's backtest and the
    Council model in a background thread, so the first visitor does not wait for them.
    ``loopback_only``: refuse requests whose Host header is not a loopback name (``r2p serve`` sets
    it when bound to loopback).
    """
    from r2p import __version__
    from r2p.web._api import router as api_router
    from r2p.web._jobs import JobStore
    from r2p.web._pages import router as page_router

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=warm_caches, name="r2p-web-warm", daemon=True).start()
        yield
        app.state.jobs.close()

    app = FastAPI(
        title="r2p dashboard API",
        version=__version__,
        description=("JSON API of the r2p dashboard: countries, early-warning risk, Security Council "
                     "outlook, regimes, crisis simulations and the historical case library. Errors are "
                     '`{"error": message, "status": code}`.'),
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: the dashboard must work offline
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.jobs = JobStore()
    app.add_middleware(_SecurityHeaders)
    if loopback_only:
        app.add_middleware(_LoopbackHosts)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page or endpoint at {request.url.path[:200]}"
        elif exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path[:200]}"
        return _error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(request, 422, _validation_message(exc), detail=exc.errors())

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(R2PInputError)
    async def _bad_input(request: Request, exc: R2PInputError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(PartUnavailable)
    async def _unavailable(request: Request, exc: PartUnavailable) -> Response:
        return _error(request, 503, str(exc), part=exc.name)

    @app.exception_handler(R2PDataError)
    async def _data(request: Request, exc: R2PDataError) -> Response:
        log.warning("data error on %s: %s", request.url.path, exc)
        return _error(request, 503, f"data problem: {exc}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        return _error(request, 500, f"internal error ({type(exc).__name__}); the server log has details")

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api_router)
    app.include_router(page_router)
    return app
