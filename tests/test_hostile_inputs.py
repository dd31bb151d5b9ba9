"""Hostile input: every bad input of every public entry point gets the kit's own error, naming
the offending item, quickly (the cases are in ``hostile_cases.py``; ``hostile_census.py`` counts
how they are answered). Inputs the kit chooses to accept are checked at the end."""

from __future__ import annotations

import gzip

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hostile_cases import CASES, EXPECTED, FLOWS, city_lines, flo, run_case, write

import medkit.errors as E
from medkit import ergm
from medkit.data import load_cities, load_flows, schema


@pytest.mark.timeout(120, method="thread")
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_error(case, tmp_path):
    kind, message, detail = run_case(case, tmp_path)
    assert kind == "clear", f"{kind}: {message}"
    if case.expect == "cli":
        assert len(message.splitlines()) == 1, message
        assert "Traceback" not in message
    else:
        assert isinstance(detail, getattr(E, EXPECTED[case.expect])), repr(detail)
        assert isinstance(detail, ValueError)


def test_the_suite_is_large_and_covers_every_class():
    assert len(CASES) >= 150
    assert {c.group for c in CASES} == {"loader", "formula", "ergm", "referral", "cli"}
    assert len({c.id for c in CASES}) == len(CASES)


# ---------------------------------------------------------------- inputs accepted on purpose
@pytest.mark.timeout(60, method="thread")
def test_utf8_with_bom_and_gzip_are_read(tmp_path):
    body = FLOWS + "330102,330105,3\n"
    assert load_flows("zhejiang", write(tmp_path, "a.csv", "\ufeff" + body))["count"].tolist() == [
        3
    ]
    gz = write(tmp_path, "a.csv.gz", gzip.compress(body.encode("utf-8-sig")))
    assert load_flows("zhejiang", gz)["count"].tolist() == [3]


@pytest.mark.timeout(60, method="thread")
def test_r_style_scientific_counts_are_whole_numbers(tmp_path):
    path = write(tmp_path, "a.csv", FLOWS + "330102,330105,1e+05\n")
    assert load_flows("zhejiang", path)["count"].tolist() == [100000]


@pytest.mark.timeout(60, method="thread")
def test_errors_name_file_lines_even_after_blank_lines(tmp_path):
    path = write(tmp_path, "a.csv", FLOWS + "330102,330105,3\n\n330102,330106,-4\n")
    with pytest.raises(E.DataError, match="line 4") as info:
        load_flows("zhejiang", path)
    assert info.value.line == 4 and info.value.row == 2 and info.value.column == "count"


@pytest.mark.timeout(60, method="thread")
def test_flows_are_checked_against_the_users_own_cities(tmp_path):
    lines = list(city_lines())
    fake = lines[1].split(",")
    fake[0] = "339999"
    user = write(tmp_path, "c.csv", "\n".join([*lines, ",".join(fake)]) + "\n")
    path = write(tmp_path, "f.csv", FLOWS + "330102,339999,3\n")
    assert load_flows("zhejiang", path, cities=user)["destination"].tolist() == [339999]
    assert len(load_flows("zhejiang", path, cities=load_cities("zhejiang", user))) == 1
    with pytest.raises(E.DataError, match="339999"):
        load_flows("zhejiang", path)  # the shipped cities do not have it


def test_movers_levels_match_the_generator():
    from medkit.data import synth

    assert schema.LEVELS["age_band"] == synth.AGE_BANDS
    assert schema.LEVELS["reason"] == synth.REASONS


def test_bare_names_are_read_as_statnet_users_write_them():
    g = flo()
    quoted = ergm.summary_stats(g, "edges + nodecov('wealth') + nodematch('priorates')")
    bare = ergm.summary_stats(g, "edges + nodecov(wealth) + nodematch(priorates)")
    pd.testing.assert_series_equal(quoted, bare)
    bus = nx.to_pandas_adjacency(
        __import__("medkit.ergm.datasets", fromlist=["x"]).florentine_business()
    )
    stats = ergm.summary_stats(g, "edges + edgecov(bus)", edge_covariates={"bus": bus})
    assert stats["edgecov.bus"] == 8.0  # statnet: summary(flomarriage ~ edgecov(flobusiness))


def test_labelled_covariates_follow_node_labels_whatever_the_graph_order():
    g = nx.Graph()
    g.add_edges_from(flo().edges())
    g.add_nodes_from(flo().nodes(data=True))
    bus = nx.to_pandas_adjacency(
        __import__("medkit.ergm.datasets", fromlist=["x"]).florentine_business()
    )
    assert ergm.summary_stats(g, "edgecov('bus')", edge_covariates={"bus": bus}).iloc[0] == 8.0


def test_arrays_are_accepted_when_nodes_are_0_to_n_minus_1_in_order():
    g = nx.path_graph(4)
    m = np.arange(16, dtype=float).reshape(4, 4)
    assert ergm.summary_stats(g, "edgecov('w')", edge_covariates={"w": m}).iloc[0] == 1 + 6 + 11


def test_gwesp_with_fixed_true_is_the_fixed_decay_term():
    stats = ergm.summary_stats(flo(), "gwesp(0.5, fixed=TRUE)")
    assert stats.index.tolist() == ["gwesp.fixed.0.5"]


@pytest.mark.timeout(60, method="thread")
def test_run_evolution_days_none_means_the_parameters_days():
    from medkit.referral import ReferralParams, make_layout, run_evolution

    p = ReferralParams.small(days=2, mean_daily_patients=500.0)
    res = run_evolution(make_layout(p, seed=1), p, seed=1)
    assert res.counters["days"] == 2
    res = run_evolution(make_layout(p, seed=1), p, days=1, seed=1)
    assert res.counters["days"] == 1


@pytest.mark.timeout(60, method="thread")
def test_command_lines_check_the_output_folder_before_simulating(tmp_path, monkeypatch, capsys):
    import medkit.referral.__main__ as cli
    import medkit.referral.triage as triage

    def never(*a, **k):
        raise AssertionError("simulated before checking --out")

    monkeypatch.setattr(cli, "run_experiment", never)
    monkeypatch.setattr(triage, "sweep", never)
    blocker = write(tmp_path, "file", "x")
    with pytest.raises(SystemExit) as info:
        cli.main(["run", "--out", str(blocker / "sub"), "--runs", "1"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        triage.main(["effects", "--out", str(blocker / "sub")])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("--out" in line for line in err)
