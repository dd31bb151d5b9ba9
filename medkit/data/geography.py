"""Real geography of the two samples, read from ``datasets/geography`` (used only when building).

National sample: the 288 cities flagged ``in_sample_288`` in ``prefectures.csv`` (a rule of ours:
the paper does not list its cities).

Zhejiang sample: the 90 county-level units of 2023 minus the two districts created in 2021,
which we fold back into the units they were carved from (our rule, giving the paper's 88):

- Linping 临平区 (330113) -> Yuhang 余杭区 (330110), from which it was split;
- Qiantang 钱塘区 (330114) -> Shangcheng 上城区 (330102), which absorbed Jianggan 江干区, the
  district that gave Qiantang most of its land.

The census gives no 2020 figures for the five Hangzhou districts re-drawn in 2021; after folding,
three remain (Shangcheng, Gongshu, Yuhang). Their population is derived: Hangzhou's 2020 census
total minus the other ten units, split equally among the three, with the residual urbanisation
rate (flag ``pop_derived``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from medkit.data._paths import shared_data_dir

FOLDED_2021 = {330113: 330110, 330114: 330102}
"""Zhejiang districts created in 2021 -> the unit they are folded back into."""

EARTH_RADIUS_KM = 6371.0088


def great_circle_km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Matrix of great-circle distances (km) between points given in degrees.

    Examples
    --------
    >>> d = great_circle_km(np.array([0.0, 1.0]), np.array([0.0, 0.0]))
    >>> round(float(d[0, 1]), 1)
    111.2
    """
    lon = np.radians(np.asarray(lon, dtype=float))
    lat = np.radians(np.asarray(lat, dtype=float))
    dlon = lon[:, None] - lon[None, :]
    dlat = lat[:, None] - lat[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def national_geography(shared=None) -> pd.DataFrame:
    """The 288 cities: adcode, names, province, seat, census and dialect group (all real)."""
    folder = shared_data_dir() if shared is None else shared
    pref = pd.read_csv(folder / "prefectures.csv")
    dia = pd.read_csv(folder / "prefecture_dialect.csv")
    pref = pref[pref["in_sample_288"] == 1]
    out = pref.merge(dia[["adcode", "dialect_group", "dialect_share"]], on="adcode", how="left")
    out = out.rename(columns={"urban_rate_2020": "UR"})
    mandarin = out["dialect_group"].str.contains("Mandarin")
    out["dialect_supergroup"] = out["dialect_group"].where(~mandarin, "Mandarin")
    out = out[
        [
            "adcode",
            "name_zh",
            "name_pinyin",
            "province_adcode",
            "province_zh",
            "unit_type",
            "lon",
            "lat",
            "pop_2020",
            "UR",
            "dialect_group",
            "dialect_share",
            "dialect_supergroup",
        ]
    ]
    return out.sort_values("adcode").reset_index(drop=True)


def zhejiang_geography(shared=None) -> pd.DataFrame:
    """The 88 county-level units of Zhejiang under our folding rule (see module docstring)."""
    folder = shared_data_dir() if shared is None else shared
    counties = pd.read_csv(folder / "zhejiang_counties.csv")
    pref = pd.read_csv(folder / "prefectures.csv").set_index("adcode")
    kept = counties[~counties["adcode"].isin(FOLDED_2021)].copy()
    kept["pop_derived"] = 0
    hangzhou = kept["prefecture_adcode"] == 330100
    missing = hangzhou & kept["pop_2020"].isna()
    known = kept[hangzhou & ~missing]
    total_pop = float(pref.loc[330100, "pop_2020"])
    total_urban = total_pop * float(pref.loc[330100, "urban_rate_2020"]) / 100.0
    known_urban = float((known["pop_2020"] * known["urban_rate_2020"] / 100.0).sum())
    rest_pop = total_pop - float(known["pop_2020"].sum())
    rest_rate = round(100.0 * (total_urban - known_urban) / rest_pop, 2)
    n_missing = int(missing.sum())
    shares = np.full(n_missing, int(rest_pop) // n_missing)
    shares[0] += int(rest_pop) - int(shares.sum())
    kept.loc[missing, "pop_2020"] = shares
    kept.loc[missing, "urban_rate_2020"] = rest_rate
    kept.loc[missing, "pop_derived"] = 1
    kept["wu_subgroup_1987"] = kept["wu_subgroup_1987"].fillna("")
    kept["dialect_subgroup"] = np.where(
        kept["wu_subgroup_1987"] == "",
        kept["dialect_group"],
        kept["dialect_group"] + " (" + kept["wu_subgroup_1987"] + ")",
    )
    kept = kept.rename(columns={"urban_rate_2020": "UR"})
    kept["pop_2020"] = kept["pop_2020"].astype(int)
    out = kept[
        [
            "adcode",
            "name_zh",
            "name_pinyin",
            "prefecture_adcode",
            "prefecture_zh",
            "unit_type",
            "lon",
            "lat",
            "pop_2020",
            "UR",
            "pop_derived",
            "dialect_group",
            "wu_subgroup_1987",
            "dialect_subgroup",
        ]
    ]
    return out.sort_values("adcode").reset_index(drop=True)
