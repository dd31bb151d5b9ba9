import pandas as pd

from medkit.mobility import (
    aggregate_flows,
    network_from_flows,
    od_matrix,
    strongest_flows,
    threshold_summary,
)


def toy():
    movers = pd.DataFrame({"origin": [1, 1, 1, 2, 3, 3], "destination": [2, 2, 3, 1, 1, 1]})
    return aggregate_flows(movers)


def test_aggregate_and_matrix():
    flows = toy()
    assert flows.values.tolist() == [[1, 2, 2], [1, 3, 1], [2, 1, 1], [3, 1, 2]]
    mat = od_matrix(flows, nodes=[1, 2, 3])
    assert mat.to_numpy().tolist() == [[0, 2, 1], [1, 0, 0], [2, 0, 0]]


def test_threshold_network_and_summary():
    flows = toy()
    graph = network_from_flows(flows, 2, nodes=[1, 2, 3])
    assert sorted(graph.edges()) == [(1, 2), (3, 1)]
    summary = threshold_summary(flows, [1, 2, 3], n_nodes=3)
    assert summary["ties"].tolist() == [4, 2, 0]
    assert summary["density"].tolist()[1] == 2 / 6
    assert strongest_flows(flows, 1)[["origin", "destination"]].values.tolist() == [[1, 2]]
