"""Execution time and peak memory of every lesson, each run from a fresh kernel (issue 11, item 8).

Each lesson notebook (``lessons/NN_*.ipynb``, or the ``.py`` source when no notebook exists) is read,
executed in memory by a new ``python3`` kernel started in ``lessons/`` (as ``./kit notebooks``
does) and thrown away: the lesson files are never written. Printed per lesson: wall-clock time from
kernel start to the last cell, CPU time of the kernel (with its finished child processes), and
peak resident memory
(RSS) of the kernel's process tree (sampled every 50 ms) next to the kernel's own high-water mark.
The goal is < 60 s per lesson on 2 cores and < 2 GB (Binder).

    python benchmarks/bench_lessons.py                       # every lesson
    python benchmarks/bench_lessons.py 03_national_fit        # some lessons (name or path)
    python benchmarks/bench_lessons.py --csv benchmarks/lesson_times.csv   # also write the CSV

By default medkit's compiled (numba) kernels are loaded or compiled once before the first lesson
(as Binder's build does), so no lesson pays the one-off compilation; ``--cold`` skips that.

The CSV (one row per lesson, with the machine's cores and load average when the run started) is
what ``python tools/instructors.py --write`` turns into the run-time table of ``INSTRUCTORS.md``.
Timings depend on the machine and on what else runs on it: re-run on a quiet machine before
quoting them, e.g. ``nice -n 10 python benchmarks/bench_lessons.py --csv benchmarks/lesson_times.csv``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import re
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
GOAL_SECONDS = 60.0
GOAL_MIB = 2048.0
CSV_FIELDS = [
    "lesson",
    "status",
    "wall_s",
    "cpu_s",
    "peak_rss_mib",
    "kernel_peak_rss_mib",
    "code_cells",
    "cores",
    "load_1min_at_start",
    "measured_utc",
    "python",
]


@dataclass
class LessonRun:
    lesson: str
    status: str
    wall_s: float
    cpu_s: float
    peak_rss_mib: int
    kernel_peak_rss_mib: int
    code_cells: int
    cores: int
    load_1min_at_start: float
    measured_utc: str
    python: str


def lesson_paths(names: list[str]) -> list[Path]:
    """The lessons to run: every ``lessons/NN_*`` (notebook preferred), or the named ones."""
    stems = [Path(n).stem for n in names] or sorted(
        {p.stem for p in LESSONS.glob("[0-9][0-9]_*.py")}
        | {p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb")}
    )
    paths = []
    for stem in stems:
        notebook, source = LESSONS / f"{stem}.ipynb", LESSONS / f"{stem}.py"
        if notebook.exists():
            paths.append(notebook)
        elif source.exists():
            paths.append(source)
        else:
            raise SystemExit(f"no lesson {stem} in {LESSONS}")
    return paths


# -- process-tree memory, from /proc (Linux) or psutil when /proc is absent -------------------


def _proc_children(pid: int) -> list[int]:
    kids = []
    task = Path(f"/proc/{pid}/task")
    try:
        for thread in task.iterdir():
            text = (thread / "children").read_text().split()
            kids.extend(int(k) for k in text)
    except OSError:
        pass
    return kids


def _proc_status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _proc_cpu_s(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, from /proc/PID/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants in a background thread."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self.cpu_s = 0.0
        self._stop = threading.Event()
        self._use_proc = Path(f"/proc/{pid}/status").exists()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[int]:
        if not self._use_proc:
            import psutil

            try:
                root = psutil.Process(self.pid)
                return [self.pid] + [c.pid for c in root.children(recursive=True)]
            except psutil.Error:
                return []
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(_proc_children(pid))
        return pids

    def _rss_kib(self, pid: int) -> int:
        if self._use_proc:
            return _proc_status_kib(pid, "VmRSS")
        import psutil

        try:
            return psutil.Process(pid).memory_info().rss // 1024
        except psutil.Error:
            return 0

    def sample(self) -> None:
        pids = self._tree()
        self.peak_kib = max(self.peak_kib, sum(self._rss_kib(p) for p in pids))
        if self._use_proc:  # the kernel's own CPU plus that of its children once reaped
            self.cpu_s = max(self.cpu_s, _proc_cpu_s(self.pid))

    def kernel_hwm_kib(self) -> int:
        return _proc_status_kib(self.pid, "VmHWM") if self._use_proc else 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# -- running one lesson -----------------------------------------------------------------------


def _read_lesson(path: Path):
    import jupytext
    import nbformat

    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
    else:
        notebook = jupytext.read(path)
    for cell in notebook.cells:  # start from a clean notebook: outputs are regenerated
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    return notebook


def run_lesson(path: Path, *, timeout: int = 900) -> LessonRun:
    """Execute one lesson in a fresh kernel; return its time and memory. The file is not written."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = _read_lesson(path)
    code_cells = sum(1 for c in notebook.cells if c.cell_type == "code" and c.source.strip())
    state: dict = {}

    def started(**_):
        pid = client.km.provisioner.process.pid
        state["sampler"] = TreeSampler(pid)
        state["sampler"].start()

    def cell_done(**_):
        sampler = state.get("sampler")
        if sampler is not None:
            sampler.sample()
            state["hwm"] = max(state.get("hwm", 0), sampler.kernel_hwm_kib())
            state["cpu"] = sampler.cpu_s

    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(LESSONS)}},
        record_timing=False,
        on_notebook_start=started,
        on_cell_executed=cell_done,
    )
    load = os.getloadavg()[0]
    status = "ok"
    t0 = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()
        status = "error: " + (text[-1][:120] if text else type(error).__name__)
    except TimeoutError:
        status = f"timeout after {timeout} s"
    wall = time.perf_counter() - t0
    sampler = state.get("sampler")
    if sampler is not None:
        sampler.stop()
    # the kernel's own high-water mark can exceed a sampled tree total (a peak between samples)
    peak = max(sampler.peak_kib if sampler else 0, state.get("hwm", 0))
    return LessonRun(
        lesson=path.stem,
        status=status,
        wall_s=round(wall, 1),
        cpu_s=round(state.get("cpu", 0.0), 1),
        peak_rss_mib=int(round(peak / 1024)),
        kernel_peak_rss_mib=int(round(state.get("hwm", 0) / 1024)),
        code_cells=code_cells,
        cores=os.cpu_count() or 1,
        load_1min_at_start=round(load, 2),
        measured_utc=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        python=platform.python_version(),
    )


def warm_kernels() -> None:
    """Load or compile the numba kernels once (cached on disk), in a separate process."""
    import subprocess

    code = "import sys; sys.path.insert(0, 'tools'); import check_env; check_env.warm_up()"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)


def write_csv(runs: list[LessonRun], path: Path, *, merge: bool = True) -> None:
    """Write runs to a CSV; with ``merge`` keep rows of lessons not run this time."""
    rows = {}
    if merge and path.exists():
        with path.open(newline="") as handle:
            rows = {row["lesson"]: row for row in csv.DictReader(handle)}
    for run in runs:
        rows[run.lesson] = {k: str(v) for k, v in asdict(run).items()}
    existing = {p.stem for p in LESSONS.glob("[0-9][0-9]_*.py")} | {
        p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb")
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
        for lesson in sorted(rows):
            if lesson in existing:  # a lesson removed from the kit drops out of the table
                writer.writerow({k: rows[lesson].get(k, "") for k in CSV_FIELDS})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson names (default: every lesson)")
    parser.add_argument("--csv", type=Path, help="also write the figures to this CSV file")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell (default 900)")
    parser.add_argument(
        "--cold", action="store_true", help="do not compile the numba kernels before the lessons"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    paths = lesson_paths(args.lessons)
    if not args.cold:
        warm_kernels()
    print(
        f"{len(paths)} lesson(s), fresh kernel each; {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at start; Python "
        f"{platform.python_version()} on {sys.platform}"
    )
    print(f"{'lesson':<28} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9} {'kernel MiB':>11}  status")
    runs = []
    for path in paths:
        run = run_lesson(path, timeout=args.timeout)
        runs.append(run)
        flag = "" if run.wall_s < GOAL_SECONDS and run.peak_rss_mib < GOAL_MIB else "  (over goal)"
        print(
            f"{run.lesson:<28} {run.wall_s:>7.1f} {run.cpu_s:>7.1f} {run.peak_rss_mib:>9.0f} "
            f"{run.kernel_peak_rss_mib:>11.0f}  {run.status}{flag}",
            flush=True,
        )
    total = sum(r.wall_s for r in runs)
    print(
        f"total {total:.1f} s; goal per lesson < {GOAL_SECONDS:.0f} s on 2 cores and "
        f"< {GOAL_MIB:.0f} MiB; load average {os.getloadavg()[0]:.2f} at end"
    )
    if args.csv:
        write_csv(runs, args.csv)
        print(f"wrote {args.csv}")
    return 0 if all(r.status == "ok" for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
