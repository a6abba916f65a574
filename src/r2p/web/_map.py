"""The world map: vendored Natural Earth shapes (world-atlas TopoJSON) turned into SVG paths.

The TopoJSON file ships in ``static/vendor`` unchanged, with its licence; it is decoded
and projected here (Equal Earth projection) once per process, so the map needs no
network and no JavaScript library. Antarctica is left out: no risk data covers it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

WIDTH = 960.0  # SVG user units of the map's viewBox width
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


@dataclass(frozen=True)
class Shape:
    """One country's outline: ISO3 code (None if unknown), Natural Earth name, SVG path data."""

    iso3: str | None
    name: str
    d: str


def _equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Project degrees to unit-sphere Equal Earth coordinates (Šavrič, Patterson & Jenny 2018)."""
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = _equal_earth(180.0, 0.0)[0]  # the projection's extent on the unit sphere
_Y_MAX = _equal_earth(0.0, 90.0)[1]


def height() -> float:
    """Return the map's viewBox height for ``WIDTH`` (SVG user units)."""
    return round(WIDTH * _Y_MAX / _X_MAX, 1)


def _to_svg(lon: float, lat: float) -> tuple[float, float]:
    x, y = _equal_earth(lon, lat)
    half_w, half_h = WIDTH / 2, height() / 2
    return half_w + x / _X_MAX * half_w, half_h - y / _Y_MAX * half_h


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _unwrap(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Return ``ring`` with longitudes made continuous across the antimeridian, plus a copy shifted
    by 360° when it then reaches past ±180° (both halves are drawn; the map clips them)."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for i, (lon, lat) in enumerate(ring):
        if i:
            prev = ring[i - 1][0]
            if lon - prev > 180:
                shift -= 360
            elif prev - lon > 180:
                shift += 360
        out.append((lon + shift, lat))
    lons = [p[0] for p in out]
    rings = [out]
    if max(lons) > 180.5:
        rings.append([(lon - 360, lat) for lon, lat in out])
    if min(lons) < -180.5:
        rings.append([(lon + 360, lat) for lon, lat in out])
    return rings


def sphere_path() -> str:
    """Return the SVG path of the projection's outline (the globe's edge), to draw and clip with."""
    east = [(180.0, float(lat)) for lat in range(-90, 91, 5)]
    west = [(-180.0, float(lat)) for lat in range(90, -91, -5)]
    return _path([east + west], unwrap=False)


def _path(rings: list[list[tuple[float, float]]], unwrap: bool = True) -> str:
    parts = []
    pieces = [piece for whole in rings for piece in (_unwrap(whole) if unwrap else [whole])]
    for ring in pieces:
        coords = []
        last = None
        for lon, lat in ring:
            x, y = _to_svg(lon, lat)
            pt = f"{x:.1f},{y:.1f}"
            if pt != last:
                coords.append(pt)
                last = pt
        if len(coords) >= 3:
            parts.append("M" + "L".join(coords) + "Z")
    return "".join(parts)


def _vendor(name: str) -> Any:
    folder = resources.files("r2p.web").joinpath("static").joinpath("vendor")
    return json.loads(folder.joinpath(name).read_text("utf-8"))


@lru_cache(maxsize=1)
def world_shapes() -> tuple[Shape, ...]:
    """Return every country outline of the vendored 1:110m map, projected for an SVG of ``WIDTH``."""
    topo = _vendor("countries-110m.json")
    codes = _vendor("iso-numeric.json")
    by_name = codes.pop("_by_name")
    arcs = _decode_arcs(topo)
    shapes = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name", "")
        iso3 = codes.get(geom.get("id") or "") or by_name.get(name)
        if iso3 == "ATA":
            continue
        if geom["type"] == "Polygon":
            polygons = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        rings = [_ring(r, arcs) for poly in polygons for r in poly]
        shapes.append(Shape(iso3=iso3, name=name, d=_path(rings)))
    return tuple(shapes)
