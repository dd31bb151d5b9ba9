"""Loaders for the shipped datasets (or a user's own CSV in the same schema)."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from medkit.data import schema
from medkit.data._paths import datasets_dir
from medkit.data.synth import LEVELS, THRESHOLD, edge_covariate_arrays
from medkit.errors import DataError


def _level(level: str) -> str:
    from medkit.validation import choice

    return choice("level", level, LEVELS)


_PANDAS_LINE = re.compile(r"\b(line|row) (\d+)")


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start : exc.start + 1]
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            guess = "it looks like UTF-16: save it again as UTF-8"
        else:
            try:
                raw.decode("gb18030")
                guess = (
                    "it looks like GBK/GB18030 (common for Chinese text): convert it with "
                    "pd.read_csv(path, encoding='gbk').to_csv(new_path, index=False)"
                )
            except UnicodeDecodeError:
                guess = (
                    "save it as UTF-8, or read it with its encoding (e.g. encoding='latin-1') "
                    "and write it again as UTF-8"
                )
        raise DataError(
            f"cannot be read as UTF-8 (byte {byte!r} at offset {exc.start}); {guess}",
            file=name,
            line=line,
        ) from None


def _read_csv(path) -> pd.DataFrame:
    """Read a CSV (optionally gzip-compressed) as strings, UTF-8 with or without BOM.

    Rows remember their file line in ``frame.attrs["lines"]`` (header = line 1), so that errors
    name the line an editor shows. Empty and header-only files are refused.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise DataError("file not found", file=str(path))
    if path.is_dir():
        raise DataError("is a folder, not a file: give the path of the CSV file", file=str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    if name.endswith(".gz") or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataError(
                f"is not a valid gzip file ({exc}); give a .csv.gz written by gzip or a plain .csv",
                file=name,
            ) from None
    text = _decode(raw, name)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError(
            "holds NUL characters: not a text CSV file (UTF-16 or binary?); save it as UTF-8 CSV",
            file=name,
            line=line,
        )
    if not text.strip():
        raise DataError("the file is empty; expected a header line and data rows", file=name)
    lines = text.splitlines()
    header = next(csv.reader([lines[0]])) if lines else []
    seen = set()
    for column in header:
        if column in seen:
            raise DataError(f"duplicate column {column!r} in the header", file=name, line=1,
                            column=column)  # fmt: skip
        seen.add(column)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        found = _PANDAS_LINE.search(message)
        line = None
        if found:
            line = int(found.group(2)) + (1 if found.group(1) == "row" else 0)
        raise DataError(f"cannot be parsed as CSV: {message}", file=name, line=line) from None
    if frame.empty:
        raise DataError("has a header but no data rows", file=name, line=2)
    # pandas skips blank lines: map data rows to file lines (exact unless a quoted field spans
    # several lines, in which case errors fall back to row + 1)
    data_lines = [k + 1 for k, text_line in enumerate(lines) if text_line != ""][1:]
    if len(data_lines) == len(frame):
        frame.attrs["lines"] = data_lines
    return frame


def load_cities(level: str, path=None) -> pd.DataFrame:
    """Cities of a level, indexed by adcode (int), real geography plus synthetic covariates.

    Column metadata (meaning, unit, real or synthetic, source) is in ``df.attrs["columns"]``.
    A user's CSV in the same schema can be given as ``path`` (UTF-8, with or without BOM): bad
    input (missing or extra columns, values out of the ranges of ``datasets/README.md``,
    duplicate adcodes) raises :class:`~medkit.errors.DataError` naming the file line and column.

    Examples
    --------
    >>> cities = load_cities("zhejiang")
    >>> len(cities), cities.attrs["columns"]["HTH"]["synthetic"]
    (88, True)
    """
    level = _level(level)
    file = Path(path) if path is not None else datasets_dir() / f"cities_{level}.csv"
    name = file.name
    frame = _read_csv(file)
    columns = schema.COLUMNS[level]
    schema.require_columns(frame, list(columns), name)
    schema.refuse_extra_columns(frame, list(columns), name)
    required_numeric = [c for c in schema.NUMERIC_CITY if c in columns] + ["adcode"]
    schema.check_no_missing(frame, [c for c in columns if c != "wu_subgroup_1987"], name)
    schema.check_numeric(
        frame,
        required_numeric,
        name,
        integer=schema.INTEGER_CITY,
        nonnegative=("pop_2020", "PCF", "HTH", "GDP", "INT", "ENV", "EDU"),
    )
    schema.check_unique(frame, "adcode", name)
    if "wu_subgroup_1987" in frame:
        frame["wu_subgroup_1987"] = frame["wu_subgroup_1987"].fillna("")
    for col in ("province_adcode", "prefecture_adcode", "pop_derived"):
        if col in frame:
            schema.check_numeric(frame, [col], name, integer=(col,))
    if "dialect_share" in frame:
        schema.check_numeric(frame, ["dialect_share"], name)
    out = frame[list(columns)].set_index("adcode")
    out.attrs["file"] = name
    out.attrs["columns"] = schema.attrs_for(columns)
    out.attrs["level"] = level
    return out


def data_dictionary(level: str) -> pd.DataFrame:
    """Data dictionary of a level's cities table: meaning, unit, real/synthetic, source, licence.

    Examples
    --------
    >>> dd = data_dictionary("national")
    >>> dd.set_index("column").loc["EDU", "kind"]
    'synthetic'
    """
    return schema.dictionary_frame(schema.COLUMNS[_level(level)])


def _known_cities(level, cities):
    """Adcodes to check origins and destinations against, and where they come from."""
    if cities is None:
        return load_cities(level).index, f"the shipped {level} cities"
    if isinstance(cities, pd.DataFrame):
        if "adcode" in cities.columns:
            return pd.Index(cities["adcode"]), "the cities given"
        return cities.index, "the cities given"
    if isinstance(cities, str | Path):
        table = load_cities(level, path=cities)
        return table.index, f"the cities of {Path(cities).name}"
    from medkit.errors import ParameterError

    raise ParameterError(
        "cities", cities, "None, a path to a cities CSV or a DataFrame from load_cities"
    )


def _od_table(level, path, kind, columns, integer, nonnegative, cities=None):
    level = _level(level)
    default = datasets_dir() / f"{kind}_{level}.csv.gz"
    file = Path(path) if path is not None else default
    name = file.name
    frame = _read_csv(file)
    schema.require_columns(frame, list(columns), name)
    schema.refuse_extra_columns(frame, list(columns), name)
    schema.check_no_missing(frame, list(columns), name)
    schema.check_numeric(frame, integer, name, integer=integer, nonnegative=nonnegative)
    for column, levels in schema.LEVELS.items():
        if column in columns:
            schema.check_levels(frame, column, levels, name)
    known, source = _known_cities(level, cities)
    schema.check_known(frame, "origin", known, name, source)
    schema.check_known(frame, "destination", known, name, source)
    schema.check_no_self_moves(frame, name)
    out = frame[list(columns)].copy()
    out.attrs["columns"] = schema.attrs_for(columns)
    out.attrs["level"] = level
    return out, name


def load_movers(level: str, path=None, *, cities=None) -> pd.DataFrame:
    """Individual movers (synthetic, CMDS-like): one row per person.

    Columns person_id, origin, destination, year, age_band, sex, reason. A user's CSV in the same
    schema can be given as ``path``; bad rows raise :class:`~medkit.errors.DataError` naming the
    file line and column. ``cities`` (a path to your cities CSV, or a DataFrame from
    :func:`load_cities`) gives the cities origins and destinations must belong to; by default the
    shipped cities of ``level``. Columns outside the schema are refused.

    Examples
    --------
    >>> movers = load_movers("zhejiang")
    >>> list(movers.columns)[:3]
    ['person_id', 'origin', 'destination']
    """
    out, name = _od_table(
        level,
        path,
        "movers",
        schema.MOVERS_COLUMNS,
        integer=("person_id", "origin", "destination", "year"),
        nonnegative=("person_id", "year"),
        cities=cities,
    )
    schema.check_unique(out, "person_id", name)
    return out


def load_flows(level: str, path=None, *, cities=None) -> pd.DataFrame:
    """Origin-destination counts (synthetic): columns origin, destination, count.

    A user's CSV in the same schema can be given as ``path`` (UTF-8, with or without BOM,
    optionally gzip-compressed); counts are whole numbers >= 1. ``cities`` (a path to your cities
    CSV, or a DataFrame from :func:`load_cities`) gives the cities origins and destinations must
    belong to; by default the shipped cities of ``level``. Bad input raises
    :class:`~medkit.errors.DataError` naming the file line and column.

    Examples
    --------
    >>> flows = load_flows("zhejiang")
    >>> int(flows["count"].min()) >= 1
    True
    """
    out, name = _od_table(
        level,
        path,
        "flows",
        schema.FLOWS_COLUMNS,
        integer=("origin", "destination", "count"),
        nonnegative=("count",),
        cities=cities,
    )
    pair = out[["origin", "destination"]].duplicated()
    if pair.any():
        row = int(np.flatnonzero(pair.to_numpy())[0]) + 1
        raise DataError(
            "duplicate origin-destination pair",
            file=name,
            row=row,
            line=schema.line_of(out, row),
            column="origin",
        )
    return out


def edge_covariates(level: str) -> dict[str, pd.DataFrame]:
    """GeoProx and CulProx as n x n DataFrames indexed by adcode, in node order.

    Examples
    --------
    >>> cov = edge_covariates("zhejiang")
    >>> cov["CulProx"].shape
    (88, 88)
    """
    cities = load_cities(level)
    arrays = edge_covariate_arrays(cities, level)
    idx = cities.index
    return {k: pd.DataFrame(v, index=idx, columns=idx) for k, v in arrays.items()}


def mobility_network(level: str, threshold: int | None = None) -> nx.DiGraph:
    """Binary mobility network: a tie i -> j when at least ``threshold`` movers went i -> j.

    Nodes are adcodes (in the order of :func:`load_cities`) with every city column as node
    attributes. ``G.graph`` holds ``level``, ``threshold``, ``synthetic=True`` and
    ``edge_covariates`` (the dict of :func:`edge_covariates`). Edges carry ``count``.

    Examples
    --------
    >>> G = mobility_network("zhejiang")
    >>> G.number_of_nodes(), G.graph["threshold"]
    (88, 5)
    """
    from medkit.mobility import network_from_flows

    level = _level(level)
    if threshold is not None:
        from medkit.validation import whole_number

        threshold = whole_number(
            "threshold", threshold, minimum=1, hint=f"the paper uses {THRESHOLD[level]} movers"
        )
    threshold = THRESHOLD[level] if threshold is None else threshold
    cities = load_cities(level)
    graph = network_from_flows(load_flows(level), threshold, nodes=cities)
    graph.graph.update(
        {"level": level, "synthetic": True, "edge_covariates": edge_covariates(level)}
    )
    return graph
