"""Census of the hostile-input cases: how each one is answered, counted by class.

Each case runs in its own forked process (so a hang or a memory blow-up cannot take the census
down) with a time limit and a memory limit, and is classified as clear, unclear, silent,
traceback or hang (see ``tests/hostile_cases.py``)::

    .venv/bin/python tests/hostile_census.py [--timeout 20] [--json out.json] [--only GROUP]

Prints one line per case that is not clear and the counts by class and group.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hostile_cases as H  # noqa: E402

CLASSES = ("clear", "unclear", "silent", "traceback", "hang")


def _child(index: int, conn) -> None:
    limit = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with tempfile.TemporaryDirectory() as tmp:
        try:
            kind, message, _ = H.run_case(H.CASES[index], Path(tmp))
        except BaseException as exc:  # noqa: BLE001
            kind, message = "traceback", f"{type(exc).__name__}: {exc}"[:300]
    conn.send((kind, message[:300]))
    conn.close()


def census(timeout: float, only: str | None = None) -> list[dict]:
    import medkit.data  # noqa: F401  (imported once, before forking)
    import medkit.ergm  # noqa: F401
    import medkit.referral  # noqa: F401

    ctx = mp.get_context("fork")
    rows = []
    for index, case in enumerate(H.CASES):
        if only and case.group not in only.split(",") and case.id not in only.split(","):
            continue
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(index, child))
        proc.start()
        child.close()
        if parent.poll(timeout):
            try:
                kind, message = parent.recv()
            except EOFError:
                kind, message = "traceback", "child died"
        else:
            kind, message = "hang", f"no answer in {timeout:g} s"
        proc.kill()
        proc.join()
        if kind != "clear" and proc.exitcode not in (0, -9, None) and not message:
            kind, message = "traceback", f"exit code {proc.exitcode}"
        rows.append({"id": case.id, "group": case.group, "class": kind, "message": message})
        if kind != "clear":
            print(f"{kind:9s} {case.id}: {message[:150]!r}", flush=True)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--only", help="comma-separated groups or case ids")
    args = ap.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    rows = census(args.timeout, args.only)
    total = collections.Counter(r["class"] for r in rows)
    by_group = collections.defaultdict(collections.Counter)
    for r in rows:
        by_group[r["group"]][r["class"]] += 1
    print(f"\n{len(rows)} cases")
    print(f"{'group':10s}" + "".join(f"{c:>10s}" for c in CLASSES))
    for group, counts in sorted(by_group.items()):
        print(f"{group:10s}" + "".join(f"{counts[c]:10d}" for c in CLASSES))
    print(f"{'all':10s}" + "".join(f"{total[c]:10d}" for c in CLASSES))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
