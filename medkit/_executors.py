"""Run many independent jobs on any ``concurrent.futures.Executor``, in order.

Every function of medkit that runs many independent jobs (referral ensembles, triage sweeps,
ERGM chains) sends them through :func:`map_jobs`. With ``executor=None`` the jobs run on local
processes (``n_jobs`` of them; one means in this process). Any ``concurrent.futures.Executor``
works in its place: a ``ProcessPoolExecutor`` of your own, or a Dask cluster's
(``distributed.Client(address).get_executor()``; dask-jobqueue gives SLURM/PBS clusters behind
the same client). Results come back in the order of the jobs, whatever order they finish in,
and each job carries its own seed (a ``SeedSequence.spawn`` child), so the results are the same
whatever executor or worker count runs them.

Jobs are sent to other processes by pickling: a task must be a module-level function, and its
job should be small in and small out (parameters and a seed in, a summary out).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed

EXECUTORS = ("local", "dask")
"""Names accepted by the command lines' ``--executor``."""


def _as_executor(executor):
    """An Executor from an Executor or a ``distributed.Client`` (anything with get_executor)."""
    if isinstance(executor, Executor):
        return executor
    if hasattr(executor, "get_executor") and callable(executor.get_executor):
        return executor.get_executor()
    raise TypeError(
        "executor must be None (local processes) or a concurrent.futures.Executor, "
        "e.g. distributed.Client(...).get_executor(); got "
        f"{type(executor).__name__}"
    )


def local_workers(n_jobs, n_tasks: int) -> int:
    """Worker processes to start: ``n_jobs`` capped by the tasks and the machine's cores.

    Examples
    --------
    >>> local_workers(4, 1)
    1
    >>> local_workers(None, 10)
    1
    """
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or int(n_jobs) != n_jobs or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive integer, got {n_jobs!r}")
    return max(1, min(int(n_jobs), int(n_tasks), os.cpu_count() or 1))


def map_jobs(
    task: Callable,
    jobs: Sequence,
    *,
    executor=None,
    n_jobs: int | None = 1,
    progress: bool = False,
    desc: str | None = None,
) -> list:
    """``[task(job) for job in jobs]`` on an executor, in the order of ``jobs``.

    Parameters
    ----------
    task : callable
        A module-level function of one argument (it is pickled to the workers).
    jobs : sequence
        One argument per call; each carries its own seed.
    executor : concurrent.futures.Executor or distributed.Client, optional
        Where to run. ``None``: ``n_jobs`` local processes ('spawn'), or this process when
        ``n_jobs`` is 1. An executor given here is used as is and not shut down.
    n_jobs : int
        Local worker processes when ``executor`` is None (capped by the cores); ignored
        otherwise (the executor decides).
    progress : bool
        A ``tqdm.auto`` bar that advances as jobs finish, on every executor.
    desc : str, optional
        The bar's label.

    Returns
    -------
    list
        The results, ``out[k] = task(jobs[k])``.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> map_jobs(abs, [-3, 1, -2])
    [3, 1, 2]
    >>> with ThreadPoolExecutor(2) as ex:
    ...     map_jobs(abs, [-3, 1, -2], executor=ex)
    [3, 1, 2]
    """
    jobs = list(jobs)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(jobs), desc=desc)
    try:
        if executor is None:
            workers = local_workers(n_jobs, len(jobs))
            if workers == 1:
                out = []
                for job in jobs:
                    out.append(task(job))
                    if bar is not None:
                        bar.update()
                return out
            ctx = mp.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                return _collect(pool, task, jobs, bar)
        return _collect(_as_executor(executor), task, jobs, bar)
    finally:
        if bar is not None:
            bar.close()


def _collect(executor: Executor, task, jobs, bar) -> list:
    futures = {executor.submit(task, job): k for k, job in enumerate(jobs)}
    out = [None] * len(jobs)
    try:
        for future in as_completed(futures):
            out[futures[future]] = future.result()
            if bar is not None:
                bar.update()
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return out


# --- command lines ---------------------------------------------------------------------------------
def add_executor_arguments(parser) -> None:
    """Add ``--executor local|dask`` and ``--scheduler ADDRESS`` to an argparse parser."""
    parser.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="where runs execute: local processes (default) or a Dask cluster (needs medkit[dask])",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="Dask scheduler address (tcp://host:8786) for --executor dask; without it a "
        "local Dask cluster with one worker per local job (--jobs / --n-jobs) is started",
    )


@contextlib.contextmanager
def executor_from_options(
    name: str = "local", scheduler: str | None = None, n_workers: int = 2
) -> Iterator:
    """The executor a command line asked for (None = local processes), closed afterwards.

    ``"dask"`` connects to ``scheduler`` or, without one, starts a ``distributed.LocalCluster``
    of ``n_workers`` single-threaded worker processes.

    Examples
    --------
    >>> with executor_from_options("local") as ex:
    ...     ex is None
    True
    """
    if name not in EXECUTORS:
        raise ValueError(f"executor must be one of {EXECUTORS}, got {name!r}")
    if name == "local":
        if scheduler:
            raise ValueError("--scheduler needs --executor dask")
        yield None
        return
    try:
        import distributed
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise ImportError(
            "--executor dask needs Dask's distributed scheduler: pip install 'medkit[dask]'"
        ) from err
    with contextlib.ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(distributed.Client(scheduler))
        else:
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=max(1, int(n_workers)),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            )
            client = stack.enter_context(distributed.Client(cluster))
        yield client.get_executor()
