"""ERGM simulation widget: sliders for theta, the simulated network and its statistics."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd


def simulate_ergm_network(
    edges: float = -1.6,
    triangle: float = 0.2,
    *,
    n_nodes: int = 16,
    steps: int = 20_000,
    seed=1,
) -> tuple[nx.Graph, pd.Series]:
    """Simulate one undirected network of ``n_nodes`` from ``edges + triangle`` at theta.

    Plain, tested function behind :func:`ergm_simulation_widget`.

    Returns
    -------
    graph : networkx.Graph
    stats : pandas.Series with edges, triangle and density

    Examples
    --------
    >>> g, s = simulate_ergm_network(-1.6, 0.0, seed=1)
    >>> g.number_of_nodes(), list(s.index)
    (16, ['edges', 'triangle', 'density'])
    """
    import warnings

    from medkit.ergm import Model, simulate

    model = Model(nx.empty_graph(n_nodes), "edges + triangle")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = simulate(model, 1, coef=[edges, triangle], burnin=steps, interval=1, seed=seed)[0]
    stats = model.summary_stats(nx.to_numpy_array(graph, model.nodes).astype(np.uint8))
    density = stats[0] / model.n_dyads
    return graph, pd.Series([stats[0], stats[1], density], ["edges", "triangle", "density"])


def plot_ergm_network(graph: nx.Graph, stats: pd.Series, ax=None):
    """Draw a simulated network in a circle with its statistics in the title."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 4.5))
    pos = nx.circular_layout(sorted(graph.nodes))
    from medkit.plots.palette import MAIN

    nx.draw_networkx(graph, pos, ax=ax, node_size=120, with_labels=False, node_color=MAIN)
    ax.set_title(
        f"edges {stats['edges']:.0f}, triangles {stats['triangle']:.0f}, "
        f"density {stats['density']:.2f}"
    )
    ax.set_axis_off()
    return ax


def ergm_simulation_widget(n_nodes: int = 16, seed=1, *, preview: bool = True):
    """Sliders for the edges and triangle coefficients; shows a simulated network.

    The default network is drawn first as a static figure (a reader of the saved notebook
    sees it); ``preview=False`` draws it only inside the widget.

    Examples
    --------
    In a notebook (tests build it without a browser)::

        ergm_simulation_widget(seed=1)
    """
    import ipywidgets as w
    import matplotlib.pyplot as plt

    from medkit.widgets._preview import POINTER, PreviewVBox, float_slider, show_default_view

    edges = float_slider(-1.6, -4, 2, 0.1, "edges coefficient")
    triangle = float_slider(0.2, -1, 2, 0.05, "triangle coefficient")
    out = w.Output()

    def draw(edges_coef, triangle_coef):
        graph, stats = simulate_ergm_network(edges_coef, triangle_coef, n_nodes=n_nodes, seed=seed)
        plot_ergm_network(graph, stats)
        plt.show()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            draw(edges.value, triangle.value)

    edges.observe(redraw, "value")
    triangle.observe(redraw, "value")
    if preview:
        show_default_view(draw, edges_coef=edges.value, triangle_coef=triangle.value)
        out.append_stdout(POINTER + "\n")
    else:
        redraw()
    return PreviewVBox(
        [w.HBox([edges, triangle]), out],
        summary="Widget: sliders for the edges and triangle coefficients, redrawing a "
        f"simulated {n_nodes}-node network (its default network is the figure above).",
    )
