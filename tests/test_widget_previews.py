"""Widgets a reader can see: a static default view first, a sentence for a repr, labels in full;
and no raw widget repr in any committed notebook."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from medkit.widgets import _preview

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
RAW_REPRS = ("interactive(children", "VBox(children", "HBox(children")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def previews(monkeypatch):
    """Record every default view a builder draws (and still draw it)."""
    calls = []
    real = _preview.show_default_view

    def record(draw, **values):
        calls.append(values)
        real(draw, **values)

    monkeypatch.setattr(_preview, "show_default_view", record)
    return calls


def _toy_refit_inputs():
    import networkx as nx

    rng = np.random.default_rng(0)
    n = 20
    g = nx.gnp_random_graph(n, 0.2, seed=1, directed=True)
    nx.set_node_attributes(g, {i: float(rng.normal()) for i in g}, "HTH")
    ec = {"GeoProx": pd.DataFrame(rng.random((n, n)), index=range(n), columns=range(n))}
    return g, ec


def _builders():
    from medkit.widgets.ergm import ergm_simulation_widget
    from medkit.widgets.fits import term_refit_widget
    from medkit.widgets.mobility import threshold_widget
    from medkit.widgets.referral import patient_trace_widget, scenario_widget
    from medkit.widgets.story import choice_widget
    from medkit.widgets.threshold import threshold_conclusions_widget
    from medkit.widgets.triage import triage_widget

    g, ec = _toy_refit_inputs()
    return {
        "choice": lambda **kw: choice_widget(**kw),
        "threshold": lambda **kw: threshold_widget(level="zhejiang", top=20, **kw),
        "trace": lambda **kw: patient_trace_widget(n_patients=3, **kw),
        "scenario": lambda **kw: scenario_widget(days=3, **kw),
        "triage": lambda **kw: triage_widget(days=3, **kw),
        "refit": lambda **kw: term_refit_widget(g, ["HTH", "GeoProx"], edge_covariates=ec, **kw),
        "ergm": lambda **kw: ergm_simulation_widget(n_nodes=8, **kw),
        "conclusions": lambda **kw: threshold_conclusions_widget(thresholds=[5, 10], **kw),
    }


def _controls(widget):
    found = []
    for child in widget.children:
        if hasattr(child, "description") and hasattr(child, "value"):
            found.append(child)
        elif hasattr(child, "children"):
            found.extend(_controls(child))
    return found


def _output_text(widget) -> str:
    out = widget.out if hasattr(widget, "out") else widget.children[-1]
    return "".join(o.get("text", "") for o in out.outputs)


@pytest.mark.parametrize("name", list(_builders()))
def test_builder_draws_its_default_view_first_and_reads_as_a_sentence(name, previews):
    widget = _builders()[name]()
    assert len(previews) == 1, "the default view is drawn once, into the cell output"
    text = repr(widget)
    assert text.startswith("Widget: ") and text.endswith(".")
    assert not text.startswith(RAW_REPRS)
    assert "default" in text or "first step" in text or "shown above" in text
    bundle = widget._repr_mimebundle_()
    assert bundle["text/plain"] == text  # the whole sentence, not cut at 110 characters
    assert "application/vnd.jupyter.widget-view+json" in bundle
    # the live widget does not draw a second copy: its output area points at the picture
    assert _preview.POINTER in _output_text(widget)


@pytest.mark.parametrize("name", ["choice", "trace", "ergm"])
def test_without_preview_the_widget_draws_its_own_view(name, previews):
    widget = _builders()[name](preview=False)
    assert previews == []
    assert _preview.POINTER not in _output_text(widget)


@pytest.mark.parametrize("name", list(_builders()))
def test_every_control_has_a_full_distinct_description(name):
    controls = _controls(_builders()[name](preview=False))
    assert controls
    descriptions = [c.description for c in controls]
    assert len(set(descriptions)) == len(descriptions)
    for c in controls:
        assert c.style.description_width == "initial", c.description
        assert len(c.description) >= 5, c.description


def test_the_three_capacity_sliders_say_which_grade():
    from medkit.widgets.referral import scenario_widget

    names = [c.description for c in _controls(scenario_widget(days=3, preview=False))]
    capacity = [n for n in names if n.startswith("capacity")]
    assert capacity == [
        "capacity of primary (g1) hospitals, x",
        "capacity of secondary (g2) hospitals, x",
        "capacity of tertiary (g3) hospitals, x",
    ]


def test_moving_a_control_redraws_with_the_new_value():
    import ipywidgets as widgets

    shown = []
    w = _preview.PreviewInteractive(
        lambda x: shown.append(x), summary="A slider for x.", x=widgets.IntSlider(value=3)
    )
    assert shown == [3]  # the default view, drawn once (not again inside the widget)
    w.children[0].value = 4
    assert shown == [3, 4]
    w.children[0].value = 5
    assert shown == [3, 4, 5]


# --- the committed notebooks ------------------------------------------------------------------
def _outputs(path: Path):
    notebook = json.loads(path.read_text())
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            yield index, cell, cell.get("outputs", [])


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_committed_output_shows_a_raw_widget_repr(path):
    offenders = []
    for index, _, outputs in _outputs(path):
        for out in outputs:
            plain = out.get("data", {}).get("text/plain", "")
            plain = "".join(plain) if isinstance(plain, list) else plain
            if any(raw in plain for raw in RAW_REPRS):
                offenders.append(f"cell {index}: {plain[:60]}")
    assert not offenders, f"{path.name}: raw widget repr (regenerate with ./kit notebooks)"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_widget_cell_shows_a_picture_to_a_reader_of_the_saved_notebook(path):
    missing = []
    for index, cell, outputs in _outputs(path):
        if any(WIDGET_VIEW in out.get("data", {}) for out in outputs):
            if not any("image/png" in out.get("data", {}) for out in outputs):
                missing.append(f"cell {index}")
            source = "".join(cell["source"])
            assert source.startswith("# NBVAL_IGNORE_OUTPUT"), f"{path.name} cell {index}"
    assert not missing, f"{path.name}: widget cells without a default view: {missing}"
