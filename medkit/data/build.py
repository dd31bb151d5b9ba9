"""Regenerate every file of ``datasets/`` from the seeds, byte for byte.

Usage: ``./kit data`` (= ``python -m medkit.data.build``). Reads the real geography from
``../shared/data`` (``$MEDKIT_SHARED_DATA``), writes cities, movers, flows, the calibration table,
``README.md`` and ``MANIFEST.sha256`` into ``datasets/`` (``$MEDKIT_DATASETS``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
from pathlib import Path

import pandas as pd

from medkit.data import calibration, synth
from medkit.data._paths import datasets_dir
from medkit.data.geography import national_geography, zhejiang_geography
from medkit.data.schema import COLUMNS
from medkit.mobility import aggregate_flows

MANIFEST = "MANIFEST.sha256"

STATIC_FOLDERS = ("classic", "model_output")
"""Shipped folders not generated here: public classic networks, and model output remade by the
commands in its README. The manifest records their checksums too."""


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
    source = datasets_dir()
    for sub in STATIC_FOLDERS:
        for path in sorted((source / sub).glob("*")):
            if path.is_file():
                files[f"{sub}/{path.name}"] = path.read_bytes()
                if folder != source:
                    (folder / sub).mkdir(exist_ok=True)
                    (folder / sub / path.name).write_bytes(files[f"{sub}/{path.name}"])
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    manifest = "".join(f"{digest}  {name}\n" for name, digest in digests.items())
    (folder / MANIFEST).write_text(manifest, encoding="utf-8")
    return digests


def main(argv: list[str] | None = None) -> int:
    digests = write_all()
    for name in digests:
        print(f"wrote datasets/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
