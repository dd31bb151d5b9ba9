"""Regenerate every file of ``datasets/`` from the seeds, byte for byte.

Usage: ``./kit data [--out FOLDER]`` (= ``python -m medkit.data.build``). Reads the real
geography from ``datasets/geography`` (``$MEDKIT_SHARED_DATA`` overrides), writes cities, movers,
flows, the calibration table, ``README.md`` and ``MANIFEST.sha256`` into ``FOLDER`` (default
``datasets/``, or ``$MEDKIT_DATASETS``), with copies of the folders not generated here
(``geography/``, ``classic/``, ``model_output/``), so that any ``FOLDER`` ends up byte for byte
equal to the shipped ``datasets/``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import sys
from pathlib import Path

import pandas as pd

from medkit.data import calibration, synth
from medkit.data._paths import GEOGRAPHY, datasets_dir, shared_data_dir, shipped_datasets_dir
from medkit.data.geography import national_geography, zhejiang_geography
from medkit.data.schema import COLUMNS
from medkit.mobility import aggregate_flows

MANIFEST = "MANIFEST.sha256"

STATIC_FOLDERS = (GEOGRAPHY, "classic", "model_output")
"""Shipped folders not generated here: the source geography (the build's input), public classic
networks, and model output remade by the commands in its README. They are copied from the shipped
datasets (the geography's tables from ``$MEDKIT_SHARED_DATA`` when it is set) and the manifest
records their checksums too."""

GEOGRAPHY_TABLES = ("prefectures.csv", "zhejiang_counties.csv", "prefecture_dialect.csv")
"""The source geography's tables (:mod:`medkit.data.geography` reads them)."""


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _gzip_bytes(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as fh:
        fh.write(data)
    return buffer.getvalue()


def build_level(level: str) -> dict:
    """Cities, adjacency, movers, flows and re-fits of one level (in memory)."""
    geo = national_geography() if level == "national" else zhejiang_geography()
    cities = pd.concat([geo, synth.synthetic_covariates(geo, level)], axis=1)
    cities = cities[list(COLUMNS[level])]
    adjacency = synth.draw_network(cities, level)
    log_odds = synth.model3_log_odds(cities, level)
    counts = synth.draw_counts(adjacency, log_odds, level)
    movers = synth.expand_movers(counts, cities, level)
    flows = aggregate_flows(movers)
    edges = synth.edge_covariate_arrays(cities, level)
    fits = calibration.fit_models(cities, edges, adjacency, level)
    return {
        "cities": cities,
        "adjacency": adjacency,
        "movers": movers,
        "flows": flows,
        "fits": fits,
    }


def calibration_frame(built: dict) -> pd.DataFrame:
    """Both levels' comparison tables stacked, with AIC rows."""
    parts = []
    for level, b in built.items():
        table = calibration.comparison_table(b["fits"], level)
        stats = calibration.fit_statistics(b["fits"], level)
        aic = pd.DataFrame(
            {
                "model": stats.index,
                "term": "AIC",
                "paper_label": "AIC",
                "published": stats["published_AIC"].to_numpy(),
                "published_stars": "",
                "refit": stats["refit_AIC"].to_numpy(),
                "se": float("nan"),
                "refit_stars": "",
                "gap_in_se": float("nan"),
                "within_2se": (stats["AIC_rel_gap"] <= 0.03).to_numpy(),
                "stars_match": True,
                "same_sign": True,
            }
        )
        both = pd.concat([table, aic], ignore_index=True)
        both.insert(0, "level", level)
        parts.append(both)
    return pd.concat(parts, ignore_index=True)


def write_all(folder: Path | None = None) -> dict[str, str]:
    """Write every dataset file; return {file name: sha256}."""
    from medkit.data.readme import render_readme

    folder = datasets_dir() if folder is None else Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    built = {level: build_level(level) for level in synth.LEVELS}
    files: dict[str, bytes] = {}
    for level, b in built.items():
        files[f"cities_{level}.csv"] = _csv_bytes(b["cities"])
        files[f"movers_{level}.csv.gz"] = _gzip_bytes(_csv_bytes(b["movers"]))
        files[f"flows_{level}.csv.gz"] = _gzip_bytes(_csv_bytes(b["flows"]))
    table = calibration_frame(built)
    files["calibration.csv"] = _csv_bytes(table.round(6))
    files["README.md"] = render_readme(built, table).encode("utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    for name, data in _static_files().items():
        files[name] = data
        target = folder / name
        if not (target.is_file() and target.read_bytes() == data):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    manifest = "".join(f"{digest}  {name}\n" for name, digest in digests.items())
    (folder / MANIFEST).write_text(manifest, encoding="utf-8")
    return digests


def _static_files() -> dict[str, bytes]:
    """{relative name: bytes} of the shipped folders that the build copies, not generates."""
    source = shipped_datasets_dir()
    files = {}
    for sub in STATIC_FOLDERS:
        for path in sorted((source / sub).glob("*")):
            if path.is_file():
                files[f"{sub}/{path.name}"] = path.read_bytes()
    geography = shared_data_dir()
    for name in GEOGRAPHY_TABLES:
        files[f"{GEOGRAPHY}/{name}"] = (geography / name).read_bytes()
    return dict(sorted(files.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m medkit.data.build",
        description="Regenerate every dataset file from its seed, byte for byte.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder to write (default: datasets/, or $MEDKIT_DATASETS)",
    )
    args = parser.parse_args(argv)
    folder = datasets_dir() if args.out is None else args.out
    missing = [n for n in GEOGRAPHY_TABLES if not (shared_data_dir() / n).is_file()]
    if missing:
        parser.error(f"source geography {missing} not found in {shared_data_dir()}")
    digests = write_all(folder)
    for name in digests:
        print(f"wrote {folder / name}")
    print(f"wrote {folder / MANIFEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
