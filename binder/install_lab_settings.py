"""Install medkit's JupyterLab defaults into the running Python environment.

One source, binder/jupyterlab-overrides.json, used by both `./kit lab` and Binder's postBuild:
- `.py` lessons open as notebooks (Jupytext's "Jupytext Notebook" viewer), and
- JupyterLab does not ask to fetch the Jupyter news feed or check for updates (no pop-up,
  no network request at start).

The settings are merged into <prefix>/etc/jupyter/labconfig/default_setting_overrides.json
(prefix: the environment, sys.prefix by default), which JupyterLab reads as default values:
a learner can still change them in Settings, and nothing outside the environment is touched.

    python binder/install_lab_settings.py [--prefix DIR] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SOURCE = Path(__file__).with_name("jupyterlab-overrides.json")
TARGET = Path("etc", "jupyter", "labconfig", "default_setting_overrides.json")


def merged(old: dict, new: dict) -> dict:
    """``old`` updated with ``new``, nested dictionaries merged key by key."""
    out = dict(old)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def install(prefix: Path) -> Path:
    """Write the overrides under ``prefix``; returns the path of the settings file."""
    target = Path(prefix) / TARGET
    settings = json.loads(SOURCE.read_text(encoding="utf-8"))
    current = {}
    if target.exists():
        try:
            current = json.loads(target.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            print(f"[lab settings] replacing unreadable {target}", file=sys.stderr)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(merged(current, settings), indent=2) + "\n", encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix),
                        help="environment to install into (default: this Python's)")  # fmt: skip
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    path = install(args.prefix)
    if not args.quiet:
        print(f"[lab settings] .py lessons open as notebooks; no news pop-up ({path})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
