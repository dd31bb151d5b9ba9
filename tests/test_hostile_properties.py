"""Property tests: random bytes given to the loaders and random text given to the formula parser
(and to a model) give a result or the kit's own error, never anything else."""

from __future__ import annotations

import string
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medkit.data import load_flows, load_movers
from medkit.ergm import Model, parse_formula
from medkit.ergm.formula import Term
from medkit.errors import MedkitError

SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

# ------------------------------------------------------------------ loaders
CELLS = st.sampled_from(
    ["330102", "330105", "330106", "999999", "3", "0", "-1", "2.5", "1e308", "inf", "nan", "",
     "abc", "\"", "male", "family", "2016", "25-34", "99999999999999999999", " ", "é", "医"]
)  # fmt: skip


@st.composite
def csv_texts(draw):
    header = draw(
        st.sampled_from(
            ["origin,destination,count", "origin,destination", "origin,destination,count,x", ""]
        )
    )
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=6))
    sep = draw(st.sampled_from(["\n", "\r\n", "\n\n"]))
    return header + sep + sep.join(",".join(r) for r in rows)


def _load(loader, content: bytes, suffix=".csv"):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random{suffix}"
        path.write_bytes(content)
        try:
            out = loader("zhejiang", path=path)
        except MedkitError as exc:
            assert "random" in str(exc)  # names the file
            return None
        assert len(out) >= 1
        return out


@pytest.mark.timeout(300, method="thread")
@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_give_flows_or_a_data_error(content):
    _load(load_flows, content)


@pytest.mark.timeout(300, method="thread")
@SETTINGS
@given(st.binary(max_size=200))
def test_random_bytes_as_gzip_give_movers_or_a_data_error(content):
    _load(load_movers, content, suffix=".csv.gz")


@pytest.mark.timeout(300, method="thread")
@SETTINGS
@given(csv_texts(), st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]))
def test_random_csv_text_gives_flows_or_a_data_error(text, encoding):
    out = _load(load_flows, text.encode(encoding, errors="replace"))
    if out is not None:
        assert (out["count"] >= 1).all()
        assert (out["origin"] != out["destination"]).all()


# ------------------------------------------------------------------ formulas
ALPHABET = string.ascii_letters[:12] + "0123456789 ~+(),=[]:'\".-_$;\\"
NAMES = ["edges", "mutual", "nodecov", "nodeicov", "nodematch", "nodefactor", "absdiff", "edgecov",
         "triangle", "kstar", "istar", "ostar", "gwesp", "gwdsp", "gwdegree", "gwidegree",
         "edgez", "c", "x", "cat", "w", "TRUE", "F"]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        [
            "'x'",
            "'cat'",
            "x",
            "cat",
            "w",
            "TRUE",
            "FALSE",
            "NaN",
            "1e999",
            "-1",
            "0",
            "1",
            "2",
            "3",
            "0.5",
            "2.5",
            "1:3",
            "1:100000",
            "c(1, 2)",
            "[2, 3]",
            "c(c(c(c(1))))",
            "'unclosed",
        ]
    ),  # fmt: skip
    st.integers(-5, 50).map(str),
)
KWARGS = st.sampled_from(["fixed", "decay", "diff", "levels", "base", "pow", "cutoff", "type", "k"])


@st.composite
def formulas(draw):
    terms = []
    for _ in range(draw(st.integers(1, 5))):
        name = draw(st.sampled_from(NAMES))
        if draw(st.booleans()):
            args = draw(st.lists(VALUES, max_size=3))
            kw = draw(st.lists(st.tuples(KWARGS, VALUES), max_size=2))
            inner = ", ".join(args + [f"{k}={v}" for k, v in kw])
            name += f"({inner})"
        terms.append(name)
    joiner = draw(st.sampled_from([" + ", "+", " ", " + + "]))
    return draw(st.sampled_from(["", "net ~ ", "~"])) + joiner.join(terms)


@pytest.mark.timeout(300, method="thread")
@SETTINGS
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_random_text_parses_or_gives_a_formula_error(text):
    try:
        terms = parse_formula(text)
    except MedkitError:
        return
    assert terms and all(isinstance(t, Term) for t in terms)


def _graph(directed: bool):
    g = nx.gnp_random_graph(8, 0.3, seed=3, directed=directed)
    rng = np.random.default_rng(0)
    for v in g:
        g.nodes[v]["x"] = float(rng.normal())
        g.nodes[v]["cat"] = "ab"[v % 2]
    for u, v in g.edges():
        g.edges[u, v]["w"] = 1.0
    return g


GRAPHS = {True: _graph(True), False: _graph(False)}


@pytest.mark.timeout(300, method="thread")
@SETTINGS
@given(formulas(), st.booleans())
def test_random_formulas_give_a_model_or_the_kits_error(formula, directed):
    try:
        model = Model(GRAPHS[directed], formula)
    except MedkitError:
        return
    stats = model.observed_stats
    assert stats.shape == (model.p,) and np.all(np.isfinite(stats))
