"""Check that this machine is ready for a medkit workshop (``./kit check``).

One line per item, ``OK`` or ``FAIL`` with what to do, and a non-zero exit if anything failed:

- the Python version (``requires-python`` in ``pyproject.toml``);
- every dependency (runtime and test) importable at a version ``pyproject.toml`` accepts;
- medkit's compiled (numba) kernels: loaded from the on-disk cache, or compiled now and cached;
- each lesson's first code cells executing in a fresh Jupyter kernel;
- free memory and free disk space.

    python tools/check_env.py [--lessons 00_start_here ...] [--cells 3] [--skip-lessons]
                              [--skip-kernels] [--pyproject PATH]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata as metadata
import inspect
import os
import platform
import re
import shutil
import sys
import time
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
MIN_FREE_MEMORY_GIB = 1.0  # a lesson peaks at a few hundred MiB (benchmarks/lesson_times.csv)
MIN_FREE_DISK_GIB = 1.0  # numba cache, regenerated notebooks, a built site
# distribution name -> module to import, where they differ
IMPORT_NAMES = {"pyyaml": "yaml", "scikit-learn": "sklearn"}
INSTALL_HINT = (
    "run `.venv/bin/python -m pip install -e '.[test]'` (or delete .venv and run ./kit check "
    "again: it reinstalls)"
)


@dataclass
class Item:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


# -- requirements -----------------------------------------------------------------------------


def read_requirements(pyproject: Path) -> tuple[str, list[str], list[str]]:
    """``requires-python``, the required dependencies (runtime + ``test`` extra) and the
    optional ones (any other extra, e.g. ``dask``) of a pyproject."""
    project = tomllib.loads(pyproject.read_text())["project"]
    required = list(project.get("dependencies", []))
    optional = []
    for extra, deps in project.get("optional-dependencies", {}).items():
        target = required if extra == "test" else optional
        target.extend(d for d in deps if d not in required and d not in optional)
    return project.get("requires-python", ""), required, optional


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        match = re.match(r"\d+", piece)
        if not match:
            break
        parts.append(int(match.group()))
    return tuple(parts)


def satisfies(version: str, spec: str) -> bool:
    """Whether ``version`` meets a specifier such as ``>=1.26,<3`` (packaging when present)."""
    if not spec.strip():
        return True
    try:
        from packaging.specifiers import SpecifierSet

        return SpecifierSet(spec).contains(version, prereleases=True)
    except ImportError:  # a plain fallback for the common operators
        ops = {
            ">=": lambda a, b: a >= b,
            "<=": lambda a, b: a <= b,
            "==": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            ">": lambda a, b: a > b,
            "<": lambda a, b: a < b,
        }
        have = _version_tuple(version)
        for clause in spec.split(","):
            match = re.match(r"\s*(>=|<=|==|!=|>|<)\s*([\w.]+)", clause)
            if match and not ops[match.group(1)](have, _version_tuple(match.group(2))):
                return False
        return True


def split_requirement(requirement: str) -> tuple[str, str]:
    """``"numpy>=1.26"`` -> ``("numpy", ">=1.26")`` (extras and markers dropped)."""
    requirement = requirement.split(";", 1)[0].strip()
    match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$", requirement)
    if not match:
        raise ValueError(f"cannot read the requirement {requirement!r} in pyproject.toml")
    return match.group(1), match.group(3).strip()


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def import_name(distribution: str) -> str:
    """The module a distribution installs (``adjustText`` -> ``adjustText``, ``pyyaml`` -> ``yaml``)."""
    if _normalise(distribution) in IMPORT_NAMES:
        return IMPORT_NAMES[_normalise(distribution)]
    modules = [
        module
        for module, dists in metadata.packages_distributions().items()
        if any(_normalise(d) == _normalise(distribution) for d in dists)
        and not module.startswith("_")
    ]
    if modules:  # prefer the module named like the distribution
        modules.sort(key=lambda m: (_normalise(m) != _normalise(distribution), m))
        return modules[0]
    return distribution.replace("-", "_")


def check_python(requires: str) -> Item:
    version = platform.python_version()
    if satisfies(version, requires):
        return Item("Python", True, f"{version} (needs {requires})")
    return Item(
        "Python",
        False,
        f"{version} is too old (needs {requires}): install Python 3.11 or newer "
        "(python.org, or `sudo apt install python3.11 python3.11-venv`), then run ./kit check",
    )


def check_dependency(requirement: str, *, optional: bool = False) -> Item:
    """Installed at a compatible version and importable (an optional one may be absent)."""
    name, spec = split_requirement(requirement)
    want = f" (needs {spec})" if spec else ""
    try:
        version = metadata.version(name)
    except metadata.PackageNotFoundError:
        if optional:
            return Item(name, True, "optional, not installed (only needed for its extra)")
        return Item(name, False, f"not installed{want}: {INSTALL_HINT}")
    if not satisfies(version, spec):
        return Item(
            name,
            False,
            f"{version} is not compatible{want}: `python -m pip install '{name}{spec}'`",
        )
    module = import_name(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            importlib.import_module(module)
    except Exception as error:  # any failure to import is a broken installation
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        return Item(
            name,
            False,
            f"{version} is installed but `import {module}` fails ({type(error).__name__}: "
            f"{first[:100]}): `python -m pip install --force-reinstall '{name}{spec}'`",
        )
    return Item(name, True, f"{version}{want}")


# -- compiled kernels -------------------------------------------------------------------------

KERNEL_MODULES = ("medkit.ergm.kernels", "medkit.referral.kernel")


def warm_up() -> None:
    """Run small fits and simulations that call medkit's compiled kernels (as Binder's postBuild)."""
    import networkx as nx

    from medkit import ergm
    from medkit.ergm.datasets import florentine_marriage
    from medkit.referral import ReferralParams, make_layout, run_evolution

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a one-iteration fit warns; only compilation matters
        ergm.fit(florentine_marriage(), "edges + triangle", seed=1, progress=False)
        directed = nx.gnp_random_graph(30, 0.1, seed=1, directed=True)
        ergm.fit(
            directed, "edges + mutual + gwesp(0.5, fixed=True)", seed=1, progress=False, maxit=1
        )
        params = ReferralParams.small(days=2)
        run_evolution(make_layout(params, seed=1), params, seed=1)


def _dispatchers():
    from numba.core.registry import CPUDispatcher

    found = {}
    for module_name in KERNEL_MODULES:
        module = importlib.import_module(module_name)
        for attr, value in vars(module).items():
            if isinstance(value, CPUDispatcher):
                found[f"{module_name}.{attr}"] = value
    return found


def check_kernels() -> Item:
    name = "compiled kernels"
    try:
        start = time.perf_counter()
        warm_up()
        elapsed = time.perf_counter() - start
        dispatchers = _dispatchers()
    except Exception as error:
        return Item(
            name,
            False,
            f"warm-up failed ({type(error).__name__}: {str(error)[:120]}): {INSTALL_HINT}",
        )
    used = {k: d for k, d in dispatchers.items() if d.signatures}
    # helpers called by a compiled kernel are compiled (and cached) inside it
    inside: set[str] = set()
    sources = [inspect.getsource(d.py_func) for d in used.values()]
    while True:
        more = {
            k
            for k, d in dispatchers.items()
            if k not in used
            and k not in inside
            and any(re.search(rf"\b{d.py_func.__name__}\(", src) for src in sources)
        }
        if not more:
            break
        inside |= more
        sources += [inspect.getsource(dispatchers[k].py_func) for k in more]
    inlined = sorted(inside)
    hits = sum(sum(d.stats.cache_hits.values()) for d in used.values())
    misses = sum(sum(d.stats.cache_misses.values()) for d in used.values())
    idle = len(dispatchers) - len(used) - len(inlined)
    notes = f" ({len(inlined)} helpers are compiled inside them)" if inlined else ""
    if idle:
        notes += f"; {idle} not used by the warm-up compile on first use"
    if misses == 0:
        return Item(name, True, f"{len(used)} numba kernels loaded from the cache{notes}")
    return Item(
        name,
        True,
        f"{misses} numba kernel signature(s) compiled now in {elapsed:.0f} s and cached, "
        f"{hits} loaded from the cache{notes}",
    )


# -- lessons ----------------------------------------------------------------------------------


def lesson_names(lessons: Path = LESSONS) -> list[str]:
    return sorted(p.stem for p in lessons.glob("[0-9][0-9]_*.py"))


def check_lesson(lesson: str, cells: int = 3, timeout: int = 300, lessons: Path = LESSONS) -> Item:
    """Execute the first ``cells`` code cells of a lesson in a fresh kernel (files untouched)."""
    import jupytext
    from nbclient import NotebookClient

    name = f"lesson {lesson}"
    source = lessons / f"{lesson}.py"
    try:
        notebook = jupytext.read(source)
    except Exception as error:
        return Item(name, False, f"cannot read {source.name}: {error}")
    code = [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()][:cells]
    notebook.cells = code
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(lessons)}},
        record_timing=False,
    )
    start = time.perf_counter()
    try:
        client.execute()
    except Exception as error:
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()
        last = text[-1] if text else type(error).__name__
        return Item(
            name,
            False,
            f"its first {len(code)} code cells fail ({last[:140]}): fix the item above if any "
            "failed, else run `./kit lab` and run the lesson to see the full error",
        )
    return Item(
        name, True, f"first {len(code)} code cells ran in {time.perf_counter() - start:.1f} s"
    )


# -- machine ----------------------------------------------------------------------------------


def available_memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024**2
    except OSError:
        pass
    try:
        import psutil

        return psutil.virtual_memory().available / 1024**3
    except ImportError:
        return None


def check_memory(minimum: float = MIN_FREE_MEMORY_GIB) -> Item:
    free = available_memory_gib()
    if free is None:
        return Item("free memory", True, "cannot be measured here; the lessons need about 1 GiB")
    if free >= minimum:
        return Item("free memory", True, f"{free:.1f} GiB available (needs {minimum:.1f})")
    return Item(
        "free memory",
        False,
        f"only {free:.1f} GiB available (needs {minimum:.1f}): close other programs or "
        "browser tabs, or use Binder",
    )


def check_disk(path: Path = ROOT, minimum: float = MIN_FREE_DISK_GIB) -> Item:
    free = shutil.disk_usage(path).free / 1024**3
    if free >= minimum:
        return Item("free disk", True, f"{free:.1f} GiB free (needs {minimum:.1f})")
    return Item(
        "free disk",
        False,
        f"only {free:.1f} GiB free where the kit is (needs {minimum:.1f}): free some space",
    )


# -- main -------------------------------------------------------------------------------------


def run_checks(
    *,
    pyproject: Path = ROOT / "pyproject.toml",
    lessons: list[str] | None = None,
    cells: int = 3,
    skip_lessons: bool = False,
    skip_kernels: bool = False,
    echo=print,
) -> list[Item]:
    requires, deps, optional = read_requirements(pyproject)
    items = []

    def add(item: Item) -> None:
        items.append(item)
        echo(item.line())

    add(check_python(requires))
    for requirement in deps:
        add(check_dependency(requirement))
    for requirement in optional:
        add(check_dependency(requirement, optional=True))
    deps_ok = all(item.ok for item in items)
    if not skip_kernels:
        if deps_ok:
            add(check_kernels())
        else:
            add(Item("compiled kernels", False, "not tried: fix the dependencies above first"))
    add(check_memory())
    add(check_disk())
    if not skip_lessons:
        for lesson in lessons or lesson_names():
            add(check_lesson(lesson, cells=cells))
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", nargs="*", help="lessons to try (default: all)")
    parser.add_argument("--cells", type=int, default=3, help="code cells per lesson (default 3)")
    parser.add_argument("--skip-lessons", action="store_true")
    parser.add_argument("--skip-kernels", action="store_true")
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    print(f"medkit environment check ({sys.executable})")
    items = run_checks(
        pyproject=args.pyproject,
        lessons=args.lessons,
        cells=args.cells,
        skip_lessons=args.skip_lessons,
        skip_kernels=args.skip_kernels,
    )
    failed = [item for item in items if not item.ok]
    if failed:
        print(f"{len(failed)} of {len(items)} checks failed: fix the FAIL lines above.")
        return 1
    print(f"all {len(items)} checks passed: this machine is ready for the workshop.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
