"""One executor argument: the same seeds give byte-identical results on any executor."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import pytest

from medkit._executors import executor_from_options, local_workers, map_jobs
from medkit.referral import ReferralParams, run_experiment
from medkit.referral.__main__ import write_experiment
from medkit.referral.triage import main as triage_main
from medkit.referral.triage import sweep

if os.environ.get("CI"):  # the test command installs medkit[dask]: never skip there
    import distributed
else:
    distributed = pytest.importorskip("distributed", reason="needs medkit[dask]")


def _negate(x):
    return -x


def test_map_jobs_keeps_the_order_of_the_jobs():
    jobs = list(range(12))
    expected = [-x for x in jobs]
    assert map_jobs(_negate, jobs) == expected
    with ThreadPoolExecutor(4) as ex:
        assert map_jobs(_negate, jobs, executor=ex) == expected


def test_map_jobs_progress_bar_advances_on_an_executor(capsys):
    with ThreadPoolExecutor(2) as ex:
        map_jobs(_negate, range(5), executor=ex, progress=True, desc="jobs")
    assert "5/5" in capsys.readouterr().err


def test_map_jobs_refuses_what_is_not_an_executor():
    with pytest.raises(TypeError, match="concurrent.futures.Executor"):
        map_jobs(_negate, [1], executor="dask")


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_n_jobs_must_be_a_positive_integer(bad):
    with pytest.raises((ValueError, TypeError), match="n_jobs"):
        local_workers(bad, 4)


def test_scheduler_without_dask_is_refused():
    with pytest.raises(ValueError, match="--executor dask"):
        with executor_from_options("local", "tcp://127.0.0.1:8786"):
            pass
    with pytest.raises(SystemExit):
        triage_main(["effects", "--scheduler", "tcp://127.0.0.1:8786", "--out", "unused"])


@pytest.fixture(scope="module")
def dask_client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _csvs(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


@pytest.mark.slow
def test_triage_sweep_is_byte_identical_on_every_executor(dask_client):
    grid = {"triage_adoption": [0.0, 1.0]}
    kw = dict(runs=2, days=8, progress=False, seed=5)
    serial = sweep("small", grid, n_jobs=1, **kw).to_csv(index=False)
    local2 = sweep("small", grid, n_jobs=2, **kw).to_csv(index=False)
    on_dask = sweep("small", grid, executor=dask_client.get_executor(), **kw)
    via_client = sweep("small", grid, executor=dask_client, **kw)  # a Client works too
    assert serial == local2 == on_dask.to_csv(index=False) == via_client.to_csv(index=False)
    assert len(on_dask) == 4 and on_dask["run"].tolist() == [0, 1, 0, 1]


@pytest.mark.slow
def test_referral_experiment_csvs_are_byte_identical_on_every_executor(dask_client, tmp_path):
    params = ReferralParams.small(days=8, strategy_days=4)
    kw = dict(runs=2, strategies=("baseline", "bottleneck"), progress=False, seed=3)
    runs = {  # local 2 processes vs serial: tests/test_referral_analysis.py
        "serial": run_experiment(params, n_jobs=1, **kw),
        "dask": run_experiment(params, executor=dask_client.get_executor(), **kw),
    }
    written = {}
    for name, ex in runs.items():
        write_experiment(ex, tmp_path / name)
        written[name] = _csvs(tmp_path / name)
    assert len(written["serial"]) >= 10
    assert written["serial"] == written["dask"]


@pytest.mark.slow
def test_triage_command_line_on_a_dask_scheduler(dask_client, tmp_path):
    common = ["dose-response", "--scale", "small", "--seeds", "2", "--days", "6"]
    common += ["--adoption", "0", "1", "--no-progress"]
    assert triage_main([*common, "--n-jobs", "1", "--out", str(tmp_path / "local")]) == 0
    address = dask_client.scheduler.address
    dask_args = ["--executor", "dask", "--scheduler", address, "--out", str(tmp_path / "dask")]
    assert triage_main([*common, *dask_args]) == 0
    local, on_dask = _csvs(tmp_path / "local"), _csvs(tmp_path / "dask")
    assert set(local) == {"triage_dose_response_small_runs.csv",
                          "triage_dose_response_small_summary.csv"}  # fmt: skip
    assert local == on_dask


def test_an_ergm_model_pickles_for_workers():
    import pickle

    from medkit.ergm import Model
    from medkit.ergm.datasets import florentine_marriage

    model = Model(florentine_marriage(), "edges + nodecov('wealth')")
    copy = pickle.loads(pickle.dumps(model))
    assert copy.coef_names == model.coef_names
    assert copy.observed_stats.tolist() == model.observed_stats.tolist()


def test_one_chain_without_executor_is_the_plain_simulation():
    from medkit.ergm import Model, simulate
    from medkit.ergm.simulation import simulate as single

    model = Model(nx.empty_graph(8), "edges")
    a = simulate(model, 30, coef=[0.0], output="stats", seed=4)
    b = single(model, 30, coef=[0.0], output="stats", seed=4)
    assert a.equals(b)


@pytest.mark.slow
def test_ergm_chains_are_identical_on_every_executor(dask_client):
    from medkit.ergm import fit, gof, simulate
    from medkit.ergm.datasets import florentine_marriage

    res = fit(florentine_marriage(), "edges + nodecov('wealth')")
    kw = dict(chains=3, output="stats", seed=11)
    serial = simulate(res, 60, n_jobs=1, **kw)
    on_dask = simulate(res, 60, executor=dask_client.get_executor(), **kw)
    assert len(serial) == 60 and serial.equals(on_dask)
    assert not serial.iloc[:20].equals(serial.iloc[20:40].reset_index(drop=True))

    g_serial = gof(res, 30, chains=2, n_jobs=1, progress=False, seed=2)
    g_dask = gof(res, 30, chains=2, executor=dask_client, progress=False, seed=2)
    assert set(g_serial.tables) == {"degree", "esp", "geodesic", "model"}
    for name, table in g_serial.tables.items():
        assert table.to_csv() == g_dask.tables[name].to_csv(), name
