"""Loaders: shapes, metadata, the threshold rule, and a DataError for each kind of bad input."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from medkit.data import (
    data_dictionary,
    edge_covariates,
    load_cities,
    load_flows,
    load_movers,
    mobility_network,
)
from medkit.errors import DataError
from medkit.mobility import aggregate_flows


def test_cities_shapes_and_metadata():
    national, zhejiang = load_cities("national"), load_cities("zhejiang")
    assert len(national) == 288 and len(zhejiang) == 88
    assert national.index.dtype.kind == "i" and national.index.is_unique
    assert national.attrs["columns"]["EDU"]["synthetic"] is True
    assert national.attrs["columns"]["UR"]["synthetic"] is False
    assert 330113 not in zhejiang.index and 330114 not in zhejiang.index
    assert national.loc[110000, "name_pinyin"] == "Beijing"
    dd = data_dictionary("zhejiang").set_index("column")
    assert set(dd.loc[["PCF", "HTH", "GDP", "INT", "ENV"], "kind"]) == {"synthetic"}
    assert dd.loc["pop_2020", "kind"] == "real"


def test_movers_aggregate_to_flows_and_network():
    for level in ("national", "zhejiang"):
        flows = load_flows(level)
        again = aggregate_flows(load_movers(level))
        pd.testing.assert_frame_equal(
            again.reset_index(drop=True), flows.reset_index(drop=True), check_dtype=False
        )
    graph = mobility_network("zhejiang")
    flows = load_flows("zhejiang")
    assert graph.number_of_edges() == int((flows["count"] >= 5).sum())
    assert graph.graph["threshold"] == 5 and graph.graph["synthetic"] is True
    node = next(iter(graph.nodes))
    assert {"HTH", "lon", "lat", "UR"} <= set(graph.nodes[node])
    assert isinstance(graph, nx.DiGraph)


def test_edge_covariates_in_node_order():
    cov = edge_covariates("national")
    cities = load_cities("national")
    assert list(cov["GeoProx"].index) == list(cities.index)
    geo = cov["GeoProx"].to_numpy()
    assert np.allclose(geo, geo.T) and np.all(np.diag(geo) == 0)
    # decametres: Beijing-Tianjin ~ 113 km -> 1 / 11,300 dam
    assert cov["GeoProx"].loc[110000, 120000] == pytest.approx(1 / 11_300, rel=0.05)


@pytest.fixture
def flows_csv(tmp_path):
    def write(rows, header="origin,destination,count"):
        path = tmp_path / "my_flows.csv"
        path.write_text(header + "\n" + "\n".join(rows) + "\n")
        return path

    return write


@pytest.mark.parametrize(
    ("rows", "header", "row", "column", "words"),
    [
        (["330102,330105,3"], "origin,destinaton,count", None, "destination", "misspelt"),
        (["330102,330105,3"], "origin,count", None, "destination", "missing"),
        (["330102,330105,3", "330102,999999,2"], None, 2, "destination", "unknown adcode"),
        (["330102,330105,-3"], None, 1, "count", "negative"),
        (["330102,330105,2.5"], None, 1, "count", "whole number"),
        (["330102,330105,"], None, 1, "count", "missing value"),
        (["330102,330102,4"], None, 1, "destination", "self-move"),
        (["330102,330105,abc"], None, 1, "count", "not a number"),
        (["330102,330105,1", "330102,330105,2"], None, 2, "origin", "duplicate"),
    ],
)
def test_bad_flows_raise_dataerror(flows_csv, rows, header, row, column, words):
    path = flows_csv(rows, header or "origin,destination,count")
    with pytest.raises(DataError, match=words) as info:
        load_flows("zhejiang", path=path)
    assert info.value.file == "my_flows.csv"
    assert info.value.row == row and info.value.column == column


def test_good_user_flows_and_movers(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("origin,destination,count\n330102,330105,3\n")
    assert load_flows("zhejiang", path=path)["count"].tolist() == [3]
    movers = tmp_path / "m.csv"
    movers.write_text(
        "person_id,origin,destination,year,age_band,sex,reason\n"
        "1,330102,330105,2017,25-34,male,family\n"
        "1,330102,330105,2017,25-34,male,family\n"
    )
    with pytest.raises(DataError, match="duplicate person_id") as info:
        load_movers("zhejiang", path=movers)
    assert info.value.row == 2


def test_bad_cities_raise(tmp_path):
    frame = pd.read_csv(
        __import__("medkit.data._paths", fromlist=["x"]).datasets_dir() / "cities_zhejiang.csv"
    )
    frame.loc[3, "adcode"] = frame.loc[2, "adcode"]
    path = tmp_path / "c.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="duplicate adcode") as info:
        load_cities("zhejiang", path=path)
    assert info.value.row == 4
    frame = pd.read_csv(path).drop_duplicates("adcode")
    frame["HTH"] = frame["HTH"].astype(object)
    frame.loc[0, "HTH"] = "many"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError, match="not a number"):
        load_cities("zhejiang", path=path)


def test_unknown_level():
    with pytest.raises(ValueError, match="level"):
        load_cities("beijing")
