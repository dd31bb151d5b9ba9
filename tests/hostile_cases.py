"""Hostile inputs of every public entry point, one case each, shared by the test suite
(``tests/test_hostile_inputs.py``) and the census script (``tests/hostile_census.py``).

A case calls the kit with one bad input and names what a good error must say: its type and
pieces of text (lower case) that name the offending item (argument, value, file line, column,
term). Each case is classified as

- ``clear``: the kit's own error (or a ``ValueError``) whose message holds every piece;
- ``unclear``: such an error whose message misses a piece, or is too long;
- ``silent``: no error at all;
- ``traceback``: any other exception (TypeError, KeyError, RecursionError, ...);
- ``hang``: no answer within the census' time limit.

Command-line cases call ``main(argv)`` and are clear when it exits with status 2 and a message
holding every piece.
"""

from __future__ import annotations

import contextlib
import functools
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"


@dataclass
class Case:
    group: str
    name: str
    fn: object  # callable(tmp: Path)
    expect: str  # "data", "formula", "param", "estimation", "cli"
    needles: tuple = ()
    max_message: int = 1500
    slow: bool = False
    meta: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.group}:{self.name}"


CASES: list[Case] = []


def add(group, name, expect, needles, fn, **kw):
    CASES.append(Case(group, name, fn, expect, tuple(n.lower() for n in needles), **kw))


# ------------------------------------------------------------------ fixtures (lazy, cached)
@functools.cache
def city_lines(level="zhejiang") -> tuple[str, ...]:
    return tuple((DATASETS / f"cities_{level}.csv").read_text(encoding="utf-8").splitlines())


def edited_cities(column, value, row=0, level="zhejiang") -> str:
    """The shipped cities file with one cell changed (data row ``row``, 0-based)."""
    import csv

    rows = list(csv.reader(city_lines(level)))
    header = rows[0]
    rows[row + 1][header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write(tmp: Path, name: str, content) -> Path:
    path = tmp / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@functools.cache
def directed_graph():
    import networkx as nx

    g = nx.gnp_random_graph(12, 0.25, seed=1, directed=True)
    rng = np.random.default_rng(1)
    for v in g:
        g.nodes[v]["x"] = float(rng.normal())
        g.nodes[v]["x2"] = 2.0 * g.nodes[v]["x"]
        g.nodes[v]["c"] = str(rng.choice(["u", "v", "w"]))
        g.nodes[v]["cnan"] = g.nodes[v]["c"] if v != 3 else float("nan")
        g.nodes[v]["xnan"] = g.nodes[v]["x"] if v != 5 else float("nan")
    return g


def dg():
    return directed_graph().copy()


def flo():
    from medkit.ergm.datasets import florentine_marriage

    return florentine_marriage()


def summary(formula, graph=None, **kw):
    from medkit.ergm import summary_stats

    return summary_stats(dg() if graph is None else graph, formula, **kw)


def fit(graph, formula, **kw):
    from medkit import ergm

    kw.setdefault("progress", False)
    return ergm.fit(graph, formula, **kw)


FLOWS = "origin,destination,count\n"
MOVERS = "person_id,origin,destination,year,age_band,sex,reason\n"
GOOD_MOVER = "1,330102,330105,2016,25-34,male,family\n"


def flows(tmp, content, name="my_flows.csv", **kw):
    from medkit.data import load_flows

    return load_flows("zhejiang", path=write(tmp, name, content), **kw)


def movers(tmp, content, name="my_movers.csv"):
    from medkit.data import load_movers

    return load_movers("zhejiang", path=write(tmp, name, content))


def cities(tmp, content, name="my_cities.csv", level="zhejiang"):
    from medkit.data import load_cities

    return load_cities(level, path=write(tmp, name, content))


# ------------------------------------------------------------------ loaders: encodings and files
GBK_CITIES = "\n".join(city_lines()).encode("gbk", errors="replace") + b"\n"
add("loader", "cities-gbk", "data", ["my_cities.csv", "line 2", "utf-8", "gbk"],
    lambda t: cities(t, GBK_CITIES))  # fmt: skip
add("loader", "cities-utf16", "data", ["my_cities.csv", "utf-8"],
    lambda t: cities(t, "\n".join(city_lines()).encode("utf-16")))  # fmt: skip
add("loader", "flows-latin1", "data", ["my_flows.csv", "line 3", "utf-8"],
    lambda t: flows(t, (FLOWS + "330102,330105,3\n330102,330106,4\xe9\n").encode("latin-1")))  # fmt: skip
add("loader", "flows-binary", "data", ["my_flows.csv"],
    lambda t: flows(t, bytes(range(256)) * 4))  # fmt: skip
add("loader", "movers-gbk-reason", "data", ["my_movers.csv", "line 2", "utf-8"],
    lambda t: movers(t, (MOVERS + "1,330102,330105,2016,25-34,male,医疗\n").encode("gbk")))  # fmt: skip
add("loader", "flows-empty", "data", ["my_flows.csv", "empty"], lambda t: flows(t, ""))
add("loader", "flows-blank", "data", ["my_flows.csv", "empty"], lambda t: flows(t, "\n\n  \n"))
add("loader", "flows-header-only", "data", ["my_flows.csv", "no data rows"],
    lambda t: flows(t, FLOWS))  # fmt: skip
add("loader", "movers-header-only", "data", ["my_movers.csv", "no data rows"],
    lambda t: movers(t, MOVERS))  # fmt: skip
add("loader", "cities-header-only", "data", ["my_cities.csv", "no data rows"],
    lambda t: cities(t, city_lines()[0] + "\n"))  # fmt: skip
add("loader", "flows-not-found", "data", ["nofile.csv", "not found"],
    lambda t: __import__("medkit.data", fromlist=["x"]).load_flows("zhejiang", path=t / "nofile.csv"))  # fmt: skip
add("loader", "flows-folder", "data", ["a_folder", "folder"],
    lambda t: (t / "a_folder").mkdir() or __import__("medkit.data", fromlist=["x"]).load_flows(
        "zhejiang", path=t / "a_folder"))  # fmt: skip
add("loader", "flows-bad-gzip", "data", ["my_flows.csv.gz", "gzip"],
    lambda t: flows(t, b"this is not gzip data", name="my_flows.csv.gz"))  # fmt: skip
add("loader", "flows-ragged-row", "data", ["my_flows.csv", "line 3"],
    lambda t: flows(t, FLOWS + "330102,330105,3\n330102,330106,4,9\n"))  # fmt: skip
add("loader", "flows-open-quote", "data", ["my_flows.csv", "line 2"],
    lambda t: flows(t, FLOWS + '330102,"330105,3\n330102,330106,4\n'))  # fmt: skip
add("loader", "flows-extra-column", "data", ["my_flows.csv", "note"],
    lambda t: flows(t, "origin,destination,count,note\n330102,330105,3,hi\n"))  # fmt: skip
add("loader", "movers-extra-column", "data", ["my_movers.csv", "income"],
    lambda t: movers(t, MOVERS.strip() + ",income\n" + GOOD_MOVER.strip() + ",5\n"))  # fmt: skip
add("loader", "cities-extra-column", "data", ["my_cities.csv", "mayor"],
    lambda t: cities(t, "\n".join([city_lines()[0] + ",mayor"]
                                  + [ln + ",x" for ln in city_lines()[1:]]) + "\n"))  # fmt: skip
add("loader", "flows-duplicate-header", "data", ["my_flows.csv", "count"],
    lambda t: flows(t, "origin,destination,count,count\n330102,330105,3,4\n"))  # fmt: skip
add("loader", "level-unknown", "param", ["level", "mars"],
    lambda t: __import__("medkit.data", fromlist=["x"]).load_cities("mars"))  # fmt: skip
add("loader", "level-not-string", "param", ["level", "3"],
    lambda t: __import__("medkit.data", fromlist=["x"]).load_flows(3))  # fmt: skip

# ------------------------------------------------------------------ loaders: flows values
for label, value, extra in [
    ("count-huge", "99999999999999999999", ["99999999999999999999"]),
    ("count-1e308", "1e308", ["1e308"]),
    ("count-inf", "inf", ["inf"]),
    ("count-minus-inf", "-inf", ["inf"]),
    ("count-nan", "nan", ["nan"]),
    ("count-int64-plus-one", "9223372036854775808", ["9223372036854775808"]),
    ("count-zero", "0", [">= 1"]),
    ("count-negative", "-3", ["-3"]),
    ("count-fraction", "2.5", ["2.5"]),
    ("count-text", "abc", ["abc"]),
    ("count-missing", "", ["missing"]),
    ("count-hex", "0x10", ["0x10"]),
]:
    add("loader", f"flows-{label}", "data", ["my_flows.csv", "line 3", "count", *extra],
        lambda t, v=value: flows(t, FLOWS + f"330102,330105,3\n330102,330106,{v}\n"))  # fmt: skip
for label, row, column, extra in [
    ("origin-unknown", "999999,330105,3", "origin", ["999999"]),
    ("destination-unknown", "330102,123456,3", "destination", ["123456"]),
    ("origin-text", "abc,330105,3", "origin", ["abc"]),
    ("origin-fraction", "330102.5,330105,3", "origin", ["330102.5"]),
    ("self-move", "330102,330102,3", "destination", ["self-move"]),
    ("duplicate-pair", "330102,330105,3", "origin", ["duplicate"]),
    ("origin-missing", ",330105,3", "origin", ["missing"]),
]:
    add("loader", f"flows-{label}", "data", ["my_flows.csv", "line 3", column, *extra],
        lambda t, r=row: flows(t, FLOWS + f"330102,330105,3\n{r}\n"))  # fmt: skip


def _flows_against_user_cities(tmp):
    lines = [ln for ln in city_lines() if not ln.startswith("330105,")]
    user = write(tmp, "my_cities.csv", "\n".join(lines) + "\n")
    return flows(tmp, FLOWS + "330102,330106,3\n330102,330105,3\n", cities=user)


add("loader", "flows-vs-user-cities", "data", ["my_flows.csv", "line 3", "330105", "my_cities.csv"],
    _flows_against_user_cities)  # fmt: skip

# ------------------------------------------------------------------ loaders: cities values
for label, column, value, extra in [
    ("ur-150", "UR", "150", ["150"]),
    ("ur-negative", "UR", "-1", ["-1"]),
    ("lat-999", "lat", "999", ["999"]),
    ("lon-minus-200", "lon", "-200", ["-200"]),
    ("lat-nan", "lat", "nan", ["nan"]),
    ("pop-negative", "pop_2020", "-5", ["-5"]),
    ("pop-huge", "pop_2020", "1e30", ["1e30"]),
    ("hth-negative", "HTH", "-1", ["-1"]),
    ("hth-fraction", "HTH", "2.5", ["2.5"]),
    ("hth-huge", "HTH", "99999999999999999999", ["99999999999999999999"]),
    ("pcf-inf", "PCF", "inf", ["inf"]),
    ("gdp-text", "GDP", "lots", ["lots"]),
    ("gdp-negative", "GDP", "-3", ["-3"]),
    ("env-negative", "ENV", "-3", ["-3"]),
    ("int-inf", "INT", "inf", ["inf"]),
    ("adcode-short", "adcode", "12", ["12"]),
    ("adcode-text", "adcode", "hangzhou", ["hangzhou"]),
    ("adcode-missing", "adcode", "", ["missing"]),
    ("pop-derived-2", "pop_derived", "2", ["2"]),
    ("prefecture-text", "prefecture_adcode", "abc", ["abc"]),
    ("name-missing", "name_zh", "", ["missing"]),
    ("unit-type-missing", "unit_type", "", ["missing"]),
]:
    add("loader", f"cities-{label}", "data", ["my_cities.csv", "line 2", column, *extra],
        lambda t, c=column, v=value: cities(t, edited_cities(c, v)))  # fmt: skip
add("loader", "cities-duplicate-adcode", "data", ["my_cities.csv", "line 5", "duplicate"],
    lambda t: cities(t, edited_cities("adcode", city_lines()[3].split(",")[0], row=3)))  # fmt: skip
add("loader", "cities-missing-column", "data", ["my_cities.csv", "hth"],
    lambda t: cities(t, "\n".join(",".join(p for k, p in enumerate(ln.split(",")) if k != 15)
                                  for ln in city_lines()) + "\n"))  # fmt: skip
add("loader", "national-dialect-share", "data", ["my_cities.csv", "line 2", "dialect_share", "1.5"],
    lambda t: cities(t, edited_cities("dialect_share", "1.5", level="national"), level="national"))  # fmt: skip
add("loader", "national-edu-negative", "data", ["my_cities.csv", "line 3", "edu"],
    lambda t: cities(t, edited_cities("EDU", "-2", row=1, level="national"), level="national"))  # fmt: skip

# ------------------------------------------------------------------ loaders: movers values
for label, row, column, extra in [
    ("sex", "1,330102,330105,2016,25-34,X,family", "sex", ["'x'"]),
    ("age-band", "1,330102,330105,2016,old,male,family", "age_band", ["old"]),
    ("reason", "1,330102,330105,2016,25-34,male,boredom", "reason", ["boredom"]),
    ("year-1800", "1,330102,330105,1800,25-34,male,family", "year", ["1800"]),
    ("year-fraction", "1,330102,330105,2016.5,25-34,male,family", "year", ["2016.5"]),
    ("person-negative", "-1,330102,330105,2016,25-34,male,family", "person_id", ["-1"]),
    ("person-huge", "1e30,330102,330105,2016,25-34,male,family", "person_id", ["1e30"]),
    ("origin-unknown", "1,999999,330105,2016,25-34,male,family", "origin", ["999999"]),
    ("self-move", "1,330102,330102,2016,25-34,male,family", "destination", ["self-move"]),
    ("sex-missing", "1,330102,330105,2016,25-34,,family", "sex", ["missing"]),
]:
    add("loader", f"movers-{label}", "data", ["my_movers.csv", "line 2", column, *extra],
        lambda t, r=row: movers(t, MOVERS + r + "\n"))  # fmt: skip
add("loader", "movers-duplicate-id", "data", ["my_movers.csv", "line 3", "person_id"],
    lambda t: movers(t, MOVERS + GOOD_MOVER + GOOD_MOVER))  # fmt: skip
add("loader", "movers-missing-column", "data", ["my_movers.csv", "reason"],
    lambda t: movers(t, "person_id,origin,destination,year,age_band,sex\n1,330102,330105,2016,25-34,male\n"))  # fmt: skip

# ------------------------------------------------------------------ formula: syntax and limits
for label, formula, needles in [
    ("misspelt-edges", "edgez + mutual", ["edgez", "did you mean 'edges'"]),
    ("misspelt-nodecov", "edges + nodcov('x')", ["nodcov", "did you mean 'nodecov'"]),
    ("misspelt-triangle", "edges + tringle", ["tringle", "did you mean 'triangle'"]),
    ("misspelt-nodematch", "nodemacth('c')", ["nodemacth", "did you mean 'nodematch'"]),
    ("unknown-term", "edges + python", ["python"]),
    ("dunder-term", "__import__('os')", ["__import__"]),
    ("empty", "", ["empty"]),
    ("blank", "   ", ["empty"]),
    ("trailing-plus", "edges +", ["end of formula"]),
    ("leading-plus", "+ edges", ["term name"]),
    ("double-plus", "edges + + mutual", ["term name"]),
    ("missing-plus", "edges mutual", ["'+'"]),
    ("open-paren", "edges + nodecov('x'", ["end of formula"]),
    ("close-paren", "edges)", ["')'"]),
    ("semicolon", "edges; mutual", ["';'"]),
    ("nul-byte", "edges + mutual\x00", ["\\x00"]),
    ("open-string", 'nodecov("x)', ["character"]),
    ("two-tildes", "net ~ edges ~ mutual", ["~"]),
    ("lhs-expression", "a b ~ edges", ["~"]),
    ("number-as-term", "edges + 3", ["term name"]),
    ("twice", "edges + edges", ["edges", "twice"]),
    ("arg-given-twice", "nodecov(attr='x', attr='x2')", ["attr", "twice"]),
    ("positional-after-named", "nodecov(attr='x', 'x2')", ["positional"]),
    ("bad-range", "kstar(2:1e3)", ["range"]),
]:
    add("formula", label, "formula", needles, lambda t, f=formula: summary(f))
add("formula", "very-long", "formula", ["characters", "10000"],
    lambda t: summary("edges + " * 30000 + "mutual"))  # fmt: skip
add("formula", "long-message-bounded", "formula", ["edgez"], max_message=600,
    fn=lambda t: summary("edges + " * 100 + "edgez"))  # fmt: skip
add("formula", "nested-5000", "formula", ["characters"],
    lambda t: summary("kstar(" + "c(" * 5000 + "2" + ")" * 5000 + ")", graph=flo()))  # fmt: skip
add("formula", "nested-3000", "formula", ["nest"],
    lambda t: summary("kstar(" + "c(" * 3000 + "2" + ")" * 3000 + ")", graph=flo()))  # fmt: skip
add("formula", "nested-brackets-100", "formula", ["nest"],
    lambda t: summary("kstar(" + "[" * 100 + "2" + "]" * 100 + ")", graph=flo()))  # fmt: skip
add("formula", "range-50-million", "formula", ["50000000"],
    lambda t: summary("kstar(1:50000000)", graph=flo()))  # fmt: skip
add("formula", "range-huge-negative", "formula", ["-99999999"],
    lambda t: summary("kstar(1:-99999999)", graph=flo()))  # fmt: skip
add("formula", "not-a-string", "formula", ["string", "int"], lambda t: summary(123))
add("formula", "none", "formula", ["string", "none"], lambda t: summary(None))
add("formula", "list-of-strings", "formula", ["term"], lambda t: summary(["edges"]))

# ------------------------------------------------------------------ formula: term arguments
for label, formula, needles, graph in [
    ("kstar-0", "kstar(0)", ["kstar", "0"], "flo"),
    ("kstar-negative", "kstar(-1)", ["kstar", "-1"], "flo"),
    ("kstar-fraction", "kstar(2.5)", ["kstar", "2.5"], "flo"),
    ("kstar-too-big", "kstar(16)", ["kstar", "16", "15"], "flo"),
    ("kstar-text", "kstar('a')", ["kstar", "'a'"], "flo"),
    ("kstar-missing", "kstar()", ["kstar", "k"], "flo"),
    ("kstar-vector-text", "kstar(c(2, 'a'))", ["kstar", "'a'"], "flo"),
    ("kstar-bool", "kstar(TRUE)", ["kstar", "true"], "flo"),
    ("istar-undirected", "istar(2)", ["istar", "directed"], "flo"),
    ("mutual-undirected", "edges + mutual", ["mutual", "directed"], "flo"),
    ("nodeicov-undirected", "nodeicov('wealth')", ["nodeicov", "directed"], "flo"),
    ("gwesp-no-fixed", "gwesp(0.5)", ["gwesp", "fixed=true"], "flo"),
    ("gwesp-curved", "gwesp(0.5, fixed=FALSE)", ["gwesp", "fixed"], "flo"),
    ("gwesp-negative", "gwesp(-1, fixed=TRUE)", ["gwesp", "decay", "-1"], "flo"),
    ("gwesp-inf", "gwesp(1e999, fixed=TRUE)", ["gwesp", "decay", "inf"], "flo"),
    ("gwesp-huge", "gwesp(1000, fixed=TRUE)", ["gwesp", "decay", "1000"], "flo"),
    ("gwesp-text", "gwesp('a', fixed=TRUE)", ["gwesp", "decay"], "flo"),
    ("gwesp-no-decay", "gwesp(fixed=TRUE)", ["gwesp", "decay"], "flo"),
    ("gwesp-decay-twice", "gwesp(0.5, decay=0.3, fixed=TRUE)", ["gwesp", "decay"], "flo"),
    ("gwesp-cutoff", "gwesp(0.5, fixed=TRUE, cutoff=10)", ["gwesp", "cutoff"], "flo"),
    ("gwesp-fixed-text", "gwesp(0.5, fixed='yes')", ["gwesp", "fixed"], "flo"),
    ("gwesp-type-directed", "gwesp(0.5, fixed=TRUE, type='ITP')", ["gwesp", "type", "itp"], "dg"),
    ("gwdegree-no-fixed", "gwdegree(0.5)", ["gwdegree", "fixed=true"], "flo"),
    ("gwdsp-no-fixed", "gwdsp(0.5)", ["gwdsp", "fixed=true"], "flo"),
    ("gwidegree-cutoff", "gwidegree(0.5, fixed=TRUE, cutoff=30)", ["gwidegree", "cutoff"], "dg"),
    ("nodecov-unknown-attr", "nodecov('nope')", ["nodecov", "nope"], "dg"),
    ("nodecov-number", "nodecov(1)", ["nodecov", "attribute"], "dg"),
    ("nodecov-text-attr", "nodecov('c')", ["nodecov", "'c'", "numeric"], "dg"),
    ("nodecov-two-args", "nodecov('x', 'x2')", ["nodecov", "at most"], "dg"),
    ("nodecov-unknown-kwarg", "nodecov(attr='x', wrong=1)", ["nodecov", "wrong"], "dg"),
    ("nodecov-nan-names-node", "nodecov('xnan')", ["xnan", "5"], "dg"),
    ("nodematch-nan-names-node", "nodematch('cnan')", ["cnan", "3"], "dg"),
    ("nodefactor-nan-names-node", "nodefactor('cnan')", ["cnan", "3"], "dg"),
    ("absdiff-pow-negative", "absdiff('x', pow=-1)", ["absdiff", "pow", "-1"], "dg"),
    ("absdiff-pow-zero", "absdiff('x', pow=0)", ["absdiff", "pow"], "dg"),
    ("absdiff-pow-text", "absdiff('x', pow='a')", ["absdiff", "pow"], "dg"),
    ("nodefactor-base-99", "nodefactor('c', base=99)", ["nodefactor", "base", "99"], "dg"),
    ("nodefactor-base-text", "nodefactor('c', base='a')", ["nodefactor", "base"], "dg"),
    ("nodefactor-levels-9", "nodefactor('c', levels=9)", ["nodefactor", "levels", "9"], "dg"),
    ("nodematch-diff-text", "nodematch('c', diff='yes')", ["nodematch", "diff"], "dg"),
    ("nodematch-level-unknown", "nodematch('c', diff=TRUE, levels='zz')", ["zz"], "dg"),
    ("edgecov-unknown", "edgecov('zz')", ["edgecov", "zz"], "dg"),
    ("edgecov-number", "edgecov(1)", ["edgecov"], "dg"),
    ("edges-with-arg", "edges(1)", ["edges"], "dg"),
    ("triangle-with-arg", "triangle(2)", ["triangle"], "dg"),
]:
    add("formula", label, "formula", needles,
        lambda t, f=formula, g=graph: summary(f, graph=flo() if g == "flo" else dg()))  # fmt: skip


def _many_covariates(tmp):
    import networkx as nx

    g = nx.gnp_random_graph(10, 0.3, seed=1, directed=True)
    rng = np.random.default_rng(0)
    for v in g:
        for k in range(120):
            g.nodes[v][f"z{k}"] = float(rng.normal())
    formula = "edges + " + " + ".join(f"nodeicov('z{k}')" for k in range(120))
    return fit(g, formula)


add("ergm", "more-statistics-than-dyads", "formula", ["121", "90 dyads"], _many_covariates)

# ------------------------------------------------------------------ ERGM: controls of fit
TRI = "edges + triangle"
for label, control, needles in [
    ("interval-0", {"interval": 0}, ["interval", "0"]),
    ("interval-burnin-negative", {"interval": -5, "burnin": -5}, ["interval", "-5"]),
    ("burnin-negative", {"burnin": -5}, ["burnin", "-5"]),
    ("samplesize-0", {"samplesize": 0}, ["samplesize", "0"]),
    ("samplesize-1", {"samplesize": 1}, ["samplesize", "1"]),
    ("bridge-steps-0", {"bridge_steps": 0}, ["bridge_steps", "0"]),
    ("bridge-samplesize-0", {"bridge_samplesize": 0}, ["bridge_samplesize", "0"]),
    ("maxit-0", {"maxit": 0}, ["maxit", "0"]),
    ("final-samplesize-0", {"final_samplesize": 0}, ["final_samplesize", "0"]),
    ("conv-pvalue-2", {"conv_pvalue": 2}, ["conv_pvalue", "2"]),
    ("interval-fraction", {"interval": 2.5}, ["interval", "2.5"]),
    ("interval-text", {"interval": "100"}, ["interval", "'100'"]),
    ("interval-nan", {"interval": float("nan")}, ["interval", "nan"]),
    ("interval-huge", {"interval": 10**30}, ["interval"]),
    ("interval-bool", {"interval": True}, ["interval", "true"]),
    ("control-typo", {"intervall": 100}, ["intervall", "interval"]),
    ("init-wrong-length", {"init": [0.0]}, ["init", "2"]),
    ("init-nan", {"init": [float("nan"), 0.0]}, ["init", "nan"]),
    ("progress-text", {"progress": "yes"}, ["progress"]),
    ("loglik-text", {"loglik": "no"}, ["loglik"]),
    ("seed-negative", {"seed": -1}, ["seed", "-1"]),
    ("seed-text", {"seed": "abc"}, ["seed", "abc"]),
    ("method-unknown", {"method": "bogus"}, ["method", "bogus"]),
    ("method-number", {"method": 3}, ["method", "3"]),
]:
    add("ergm", f"fit-{label}", "param", needles,
        lambda t, c=control: fit(flo(), TRI, **c))  # fmt: skip
add("ergm", "fit-mple-with-interval-0", "param", ["interval", "0"],
    lambda t: fit(flo(), "edges", interval=0))  # fmt: skip
add("ergm", "fit-not-a-graph", "param", ["graph", "str"], lambda t: fit("abc", "edges"))
add("ergm", "fit-none-graph", "param", ["graph", "none"], lambda t: fit(None, "edges"))
add("ergm", "fit-multigraph", "data", ["multigraph"],
    lambda t: fit(__import__("networkx").MultiGraph([(0, 1), (0, 1), (1, 2)]), "edges"))  # fmt: skip
add("ergm", "fit-self-loop", "data", ["self-loop"],
    lambda t: fit(__import__("networkx").Graph([(0, 1), (1, 1), (1, 2)]), "edges"))  # fmt: skip
add("ergm", "fit-two-nodes", "data", ["2 nodes"],
    lambda t: fit(__import__("networkx").Graph([(0, 1)]), "edges"))  # fmt: skip


def _unlabelled_matrix(tmp):
    """A graph built edges first (node order = first appearance) with an unlabelled matrix."""
    import networkx as nx

    from medkit.ergm.datasets import florentine_business

    bus = florentine_business()
    g = nx.Graph()
    g.add_edges_from(flo().edges())
    g.add_nodes_from(flo().nodes(data=True))
    names = sorted(bus.nodes())
    mat = nx.to_numpy_array(bus, nodelist=names)
    return summary("edges + edgecov('bus')", graph=g, edge_covariates={"bus": mat})


add("ergm", "edgecov-unlabelled-matrix", "param", ["bus", "dataframe"], _unlabelled_matrix)


def _covariate(kind):
    import pandas as pd

    g = dg()
    n = g.number_of_nodes()
    if kind == "labels":
        m = pd.DataFrame(np.ones((n, n)), index=range(100, 100 + n), columns=range(100, 100 + n))
    elif kind == "shape":
        m = np.ones((3, 3))
    elif kind == "nan":
        m = np.ones((n, n))
        m[2, 7] = np.nan
    elif kind == "text":
        m = np.full((n, n), "a", dtype=object)
    elif kind == "list":
        m = [[1, 2], [3]]
    return summary("edges + edgecov('w')", graph=g, edge_covariates={"w": m})


add("ergm", "edgecov-wrong-labels", "formula", ["'w'", "label"], lambda t: _covariate("labels"))
add("ergm", "edgecov-wrong-shape", "formula", ["'w'", "shape"], lambda t: _covariate("shape"))
add("ergm", "edgecov-nan", "formula", ["'w'", "missing", "(2, 7)"], lambda t: _covariate("nan"))
add("ergm", "edgecov-text", "formula", ["'w'", "number"], lambda t: _covariate("text"))
add("ergm", "edgecov-ragged", "formula", ["'w'"], lambda t: _covariate("list"))


def _reciprocated(tmp):
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(range(8))
    for i, j in [(0, 1), (1, 2), (2, 3), (4, 5), (5, 6), (6, 7), (0, 7)]:
        g.add_edge(i, j)
        g.add_edge(j, i)
    return fit(g, "edges + mutual")


add("ergm", "separation-all-reciprocated", "estimation", ["mutual", "separat"], _reciprocated)
add("ergm", "collinear-covariates", "estimation", ["collinear", "nodecov.x2"],
    lambda t: fit(dg(), "edges + nodecov('x') + nodecov('x2')"))  # fmt: skip


# ------------------------------------------------------------------ ERGM: simulate and gof
def simulate(**kw):
    from medkit import ergm
    from medkit.ergm import Model

    model = Model(dg(), "edges + mutual")
    kw.setdefault("coef", [-1.0, 0.5])
    n = kw.pop("n", 2)
    return ergm.simulate(model, n, **kw)


for label, kw, needles in [
    ("interval-0", {"interval": 0}, ["interval", "0"]),
    ("interval-negative", {"interval": -3}, ["interval", "-3"]),
    ("burnin-negative", {"burnin": -1}, ["burnin", "-1"]),
    ("n-0", {"n": 0}, ["n=0"]),
    ("n-negative", {"n": -3}, ["n=-3"]),
    ("n-fraction", {"n": 2.5}, ["n=2.5"]),
    ("output-unknown", {"output": "graph"}, ["output", "graph"]),
    ("coef-nan", {"coef": [float("nan"), 0.0]}, ["coef", "nan"]),
    ("coef-short", {"coef": [1.0]}, ["coef", "2"]),
    ("coef-missing", {"coef": None}, ["coef"]),
    ("seed-negative", {"seed": -5}, ["seed", "-5"]),
    ("start-wrong-shape", {"start": np.zeros((3, 3))}, ["start", "(3, 3)"]),
]:
    add("ergm", f"simulate-{label}", "param", needles, lambda t, k=kw: simulate(**k))
add("ergm", "simulate-not-a-fit", "param", ["simulate", "str"],
    lambda t: __import__("medkit.ergm", fromlist=["x"]).simulate("abc"))  # fmt: skip


@functools.cache
def _edges_fit():
    return fit(flo(), "edges")


def gof(**kw):
    from medkit import ergm

    kw.setdefault("progress", False)
    return ergm.gof(_edges_fit(), **kw)


for label, kw, needles in [
    ("nsim-0", {"nsim": 0}, ["nsim", "0"]),
    ("nsim-negative", {"nsim": -1}, ["nsim", "-1"]),
    ("interval-0", {"interval": 0}, ["interval", "0"]),
    ("nsim-text", {"nsim": "20"}, ["nsim", "'20'"]),
]:
    add("ergm", f"gof-{label}", "param", needles, lambda t, k=kw: gof(**k))
add("ergm", "gof-not-a-fit", "param", ["fit", "str"],
    lambda t: __import__("medkit.ergm", fromlist=["x"]).gof("abc", progress=False))  # fmt: skip


# ------------------------------------------------------------------ referral parameters
def params(**kw):
    from medkit.referral import ReferralParams

    return ReferralParams.small(**kw)


NAN, INF = float("nan"), float("inf")
for name, value in [
    ("mean_daily_patients", NAN), ("mean_daily_patients", INF), ("mean_daily_patients", -1.0),
    ("sd_daily_patients", NAN), ("sd_daily_patients", -1.0),
    ("weight_history", NAN), ("weight_distance", NAN), ("weight_history", -0.1),
    ("grade_slope", NAN), ("grade_slope", INF),
    ("initial_weight", NAN), ("initial_weight", -1.0),
    ("n_hospitals", 2), ("n_hospitals", 2.5), ("n_hospitals", True), ("n_hospitals", 10**7),
    ("side_km", NAN), ("side_km", -1.0),
    ("min_separation_km", -1.0), ("min_separation_km", NAN),
    ("capacity_ranges", ((50, 40), (101, 501), (501, 1201))),
    ("capacity_ranges", ((50.5, 101), (101, 501), (501, 1201))),
    ("cure_probability", (1.5, 0.85, 0.95)), ("cure_probability", (NAN, 0.85, 0.95)),
    ("days", 0), ("days", 2.5), ("days", NAN), ("strategy_days", 0),
    ("referral_limit", -1), ("referral_limit", 1.5),
    ("top_share", 0.0), ("extra_capacity_share", NAN), ("extra_capacity_share", -1.0),
    ("key_node_extra", -1), ("key_node_extra", 2.5),
    ("grade_ratio", (0, 0, 0)), ("grade_ratio", (5, 4)),
    ("serious_share", NAN), ("bypass_share", 1.5),
    ("readmit_lost_phase_a", "no"), ("severity_cure", "yes"),
]:  # fmt: skip
    add("referral", f"params-{name}-{value!r}"[:60], "param", [name],
        lambda t, n=name, v=value: params(**{n: v}))  # fmt: skip


@functools.cache
def _small_world():
    from medkit.referral import ReferralParams, make_layout

    p = ReferralParams.small(days=3, strategy_days=3, mean_daily_patients=2000.0)
    return p, make_layout(p, seed=1)


def evolution(days):
    from medkit.referral import run_evolution

    p, lay = _small_world()
    return run_evolution(lay, p, days=days, seed=1)


def strategy(days):
    from medkit.referral import run_strategy, stable_network

    p, lay = _small_world()
    net = stable_network([evolution(None)])
    return run_strategy(lay, net, "baseline", p, days=days, seed=2)


for label, days in [("0", 0), ("negative", -5), ("fraction", 2.5), ("nan", NAN), ("text", "3")]:
    add("referral", f"run-evolution-days-{label}", "param", ["days"],
        lambda t, d=days: evolution(d))  # fmt: skip
for label, days in [("0", 0), ("negative", -5)]:
    add("referral", f"run-strategy-days-{label}", "param", ["days"],
        lambda t, d=days: strategy(d))  # fmt: skip


def sweep(**kw):
    from medkit.referral.triage import sweep as _sweep

    kw = {"runs": 1, "days": 2, "n_jobs": 1, "progress": False, **kw}
    return _sweep("small", {"triage_adoption": [0.0]}, **kw)


for label, kw, needles in [
    ("runs-0", {"runs": 0}, ["runs", "0"]),
    ("runs-negative", {"runs": -2}, ["runs", "-2"]),
    ("days-0", {"days": 0}, ["days", "0"]),
    ("n-jobs-0", {"n_jobs": 0}, ["n_jobs", "0"]),
    ("layout-seed-negative", {"layout_seed": -1}, ["layout_seed", "-1"]),
]:
    add("referral", f"sweep-{label}", "param", needles, lambda t, k=kw: sweep(**k))
for label, threshold in [("0", 0), ("negative", -3), ("nan", NAN), ("fraction", 2.5)]:
    add("loader", f"mobility-network-threshold-{label}", "param", ["threshold"],
        lambda t, th=threshold: __import__("medkit.data", fromlist=["x"]).mobility_network(
            "zhejiang", threshold=th))  # fmt: skip


# ------------------------------------------------------------------ command lines
def referral_cli(*argv):
    from medkit.referral.__main__ import main

    return main(list(argv))


def triage_cli(*argv):
    from medkit.referral.triage import main

    return main(list(argv))


CHEAP = ("--small", "--strategies", "none", "--no-progress", "--jobs", "1")
for label, argv, needles in [
    ("runs-negative", ["--runs", "-1"], ["--runs", "-1"]),
    ("runs-0", ["--runs", "0"], ["--runs", "0"]),
    ("jobs-0", ["--runs", "1", "--days", "2", "--jobs", "0"], ["--jobs", "0"]),
    ("days-negative", ["--runs", "1", "--days", "-5"], ["--days", "-5"]),
    ("days-0", ["--runs", "1", "--days", "0"], ["--days", "0"]),
    ("strategy-days-0", ["--runs", "1", "--days", "2", "--strategy-days", "0"], ["strategy"]),
    ("patients-nan", ["--runs", "1", "--days", "2", "--patients", "nan"], ["patients", "nan"]),
    ("patients-negative", ["--runs", "1", "--days", "2", "--patients", "-5"], ["patients", "-5"]),
    ("hospitals-2", ["--runs", "1", "--days", "2", "--hospitals", "2"], ["hospitals", "2"]),
    ("bypass-2", ["--runs", "1", "--days", "2", "--bypass-share", "2"], ["bypass", "2"]),
    ("serious-nan", ["--runs", "1", "--days", "2", "--serious-share", "nan"], ["serious", "nan"]),
    ("seed-negative", ["--runs", "1", "--days", "2", "--seed", "-1"], ["--seed", "-1"]),
    (
        "referral-limit-negative",
        ["--runs", "1", "--days", "2", "--referral-limit", "-1"],
        ["referral", "-1"],
    ),
    ("runs-text", ["--runs", "ten"], ["--runs", "ten"]),
]:
    add("cli", f"referral-{label}", "cli", needles,
        lambda t, a=argv: referral_cli("run", "--out", str(t / "out"), *CHEAP, *a))  # fmt: skip
add("cli", "referral-strategies-unknown", "cli", ["bogus"],
    lambda t: referral_cli("run", "--out", str(t / "o"), "--small", "--runs", "1", "--days", "2",
                           "--strategies", "bogus", "--no-progress", "--jobs", "1"))  # fmt: skip


def _out_is_file(tmp, cli):
    blocker = write(tmp, "a_file", "x")
    if cli == "referral":
        return referral_cli("run", "--out", str(blocker / "sub"), *CHEAP, "--runs", "1",
                            "--days", "2")  # fmt: skip
    return triage_cli("dose-response", "--out", str(blocker / "sub"), "--seeds", "1", "--days",
                      "2", "--n-jobs", "1", "--no-progress", "--adoption", "0")  # fmt: skip


add(
    "cli",
    "referral-out-unwritable",
    "cli",
    ["--out", "a_file"],
    lambda t: _out_is_file(t, "referral"),
)
add("cli", "triage-out-unwritable", "cli", ["--out", "a_file"], lambda t: _out_is_file(t, "triage"))
TRIAGE_CHEAP = ("--n-jobs", "1", "--no-progress", "--adoption", "0")
for label, argv, needles in [
    ("seeds-negative", ["--seeds", "-2", "--days", "2"], ["--seeds", "-2"]),
    ("seeds-0", ["--seeds", "0", "--days", "2"], ["--seeds", "0"]),
    ("days-0", ["--seeds", "1", "--days", "0"], ["--days", "0"]),
    ("days-negative", ["--seeds", "1", "--days", "-3"], ["--days", "-3"]),
    ("n-jobs-0", ["--seeds", "1", "--days", "2", "--n-jobs", "0"], ["--n-jobs", "0"]),
    ("seed-negative", ["--seeds", "1", "--days", "2", "--seed", "-1"], ["--seed", "-1"]),
    ("adoption-2", ["--seeds", "1", "--days", "2", "--adoption", "2"], ["--adoption", "2"]),
    ("adoption-nan", ["--seeds", "1", "--days", "2", "--adoption", "nan"], ["--adoption", "nan"]),
    ("scale-unknown", ["--seeds", "1", "--days", "2", "--scale", "huge"], ["--scale", "huge"]),
]:
    add("cli", f"triage-{label}", "cli", needles,
        lambda t, a=argv: triage_cli("dose-response", "--out", str(t / "out"), *TRIAGE_CHEAP, *a))  # fmt: skip
add("cli", "triage-accuracy-1.5", "cli", ["--accuracy", "1.5"],
    lambda t: triage_cli("accuracy", "--out", str(t / "out"), "--seeds", "1", "--days", "2",
                         "--n-jobs", "1", "--no-progress", "--accuracy", "1.5"))  # fmt: skip
add("cli", "triage-experiment-unknown", "cli", ["nonsense"],
    lambda t: triage_cli("nonsense", "--out", str(t / "out")))  # fmt: skip


# ------------------------------------------------------------------ running a case
EXPECTED = {
    "data": "DataError",
    "formula": "FormulaError",
    "param": "ParameterError",
    "estimation": "EstimationError",
}


def run_case(case: Case, tmp: Path) -> tuple[str, str, object]:
    """Run one case; return (class, message, exception or exit code)."""
    err, out = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stderr(err),
        contextlib.redirect_stdout(out),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        try:
            case.fn(tmp)
        except SystemExit as exc:
            text = err.getvalue().strip()
            if case.expect != "cli":
                return "traceback", f"SystemExit {exc.code}: {text}", exc
            if exc.code == 2 and "Traceback" not in text and _has(text, case.needles):
                return "clear", text, exc.code
            return "unclear", f"exit {exc.code}: {text}", exc.code
        except Exception as exc:  # noqa: BLE001 - classification of whatever comes out
            from medkit.errors import MedkitError

            message = str(exc)
            if not isinstance(exc, MedkitError | ValueError) or isinstance(exc, RecursionError):
                return "traceback", f"{type(exc).__name__}: {message[:300]}", exc
            if case.expect == "cli":
                return "traceback", f"{type(exc).__name__}: {message[:300]}", exc
            if _has(message, case.needles) and len(message) <= case.max_message:
                return "clear", message, exc
            return "unclear", f"{type(exc).__name__}: {message[:300]}", exc
    return "silent", out.getvalue()[-200:], None


def _has(text: str, needles) -> bool:
    low = text.lower()
    return all(n in low for n in needles)
