"""./kit site: every lesson page exists, carries its figures, and needs no network or server."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests._tools import load_tool

build_site = load_tool("build_site")
LESSONS = Path(__file__).resolve().parents[1] / "lessons"
NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))


def _figures(notebook) -> int:
    """Images a lesson shows: its outputs plus those stored inside its widgets' output areas."""
    count = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            count += "image/png" in output.get("data", {})
    state = notebook.metadata.get("widgets", {}).get(build_site.WIDGET_STATE, {}).get("state", {})
    for entry in state.values():
        if entry.get("model_name") == "OutputModel":
            count += sum(
                "image/png" in o.get("data", {}) for o in entry["state"].get("outputs", [])
            )
    return count


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("site")
    summary = build_site.build_site(out, echo=lambda *_: None)
    return out, summary


@pytest.mark.slow
def test_every_lesson_page_exists_with_its_figures(site):
    out, summary = site
    assert summary["pages"] == [p.stem for p in NOTEBOOKS]
    for notebook_path in NOTEBOOKS:
        page = out / f"{notebook_path.stem}.html"
        assert page.exists(), f"no page for {notebook_path.name}"
        text = page.read_text(encoding="utf-8")
        expected = _figures(nbformat.read(notebook_path, as_version=4))
        embedded = len(re.findall(r"<img [^>]*src=\"data:image/png;base64,", text))
        assert expected > 0 and embedded >= expected, (page.name, embedded, expected)
        title = build_site.lesson_title_and_goal(nbformat.read(notebook_path, as_version=4))[0]
        assert title.split(":")[0] in text


@pytest.mark.slow
def test_pages_open_from_a_folder_without_network(site):
    out, _ = site
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script src" not in text, f"{page.name} loads a script"
        remote = re.findall(r"(?:src|href)=\"(https?:[^\"]*)\"", text)
        assert not [r for r in remote if not r.startswith("http://www.w3.org")], (page.name, remote)
        assert not re.search(r"<math[^>]*></math>", text), f"{page.name}: empty MathML"
        for target in re.findall(r"href=\"([^\"#:]+\.html)", text):
            assert (out / target).exists(), f"{page.name} links to missing {target}"


@pytest.mark.slow
def test_widgets_become_static_previews(site):
    out, _ = site
    for notebook_path in NOTEBOOKS:
        notebook = nbformat.read(notebook_path, as_version=4)
        views = sum(
            build_site.WIDGET_VIEW in o.get("data", {})
            for c in notebook.cells
            for o in c.get("outputs", [])
        )
        text = (out / f"{notebook_path.stem}.html").read_text(encoding="utf-8")
        assert text.count("static preview") >= views
        assert build_site.WIDGET_VIEW not in text


@pytest.mark.slow
def test_glossary_is_cross_linked(site):
    out, _ = site
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    _, terms = build_site.read_glossary()
    required = ["ERGM", "MPLE", "MCMC-MLE", "gwesp", "dyad independence", "nodeicov", "edgecov"]
    required += ["PCF", "HTH", "LP", "PageRank", "Louvain", "imbalance index"]
    names = {t.name for t in terms}
    assert not [r for r in required if r not in names]
    for term in terms:
        assert f'id="{term.slug}"' in glossary
    linked = set()
    for page in out.glob("[0-9][0-9]_*.html"):
        linked |= set(re.findall(r"href=\"glossary\.html#([\w-]+)\"", page.read_text("utf-8")))
    unlinked = sorted({build_site.slugify(r) for r in required} - linked)
    assert not unlinked, f"glossary terms no lesson uses (check GLOSSARY.md aliases): {unlinked}"
    assert re.search(r"Used in:.*href=\"02_ergm_intuition\.html\"", glossary)
    assert 'href="#mple"' in glossary  # entries link to each other


def test_term_linking_leaves_code_math_and_headings_alone():
    _, terms = build_site.read_glossary()
    text = "## ERGM basics\nAn ERGM with `nodeicov('HTH')`, $ERGM$ and [ERGM](x.html). ERGM again."
    linked: set[str] = set()
    out = build_site.link_terms(text, terms, linked, "02_x")
    assert out.startswith("## ERGM basics\n")
    assert "[ERGM](glossary.html#ergm) with" in out
    assert "[`nodeicov('HTH')`](glossary.html#nodeicov)" in out
    assert "$ERGM$" in out and "[ERGM](x.html)" in out
    assert out.endswith("ERGM again.")  # only the first use on a page is linked


def test_math_becomes_mathml_and_code_stays():
    out = build_site.math_to_mathml("odds $1 / (1 + e^{-\\theta})$ and `$HOME`")
    assert "<math" in out and "$" not in out.replace("`$HOME`", "")
    assert "`$HOME`" in out


def test_widget_preview_shows_controls_and_output():
    states = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_s", "IPY_MODEL_o"]}},
        "s": {"model_name": "FloatSliderModel", "state": {"description": "trust", "value": 0.5}},
        "o": {
            "model_name": "OutputModel",
            "state": {"outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}]},
        },
    }
    preview = build_site.widget_preview("box", states)
    assert "<b>trust</b> = 0.5" in preview[0]["data"]["text/html"]
    assert preview[1]["text"] == "hi"


def test_instructor_site_keeps_the_notes_and_the_default_drops_them(tmp_path: Path):
    stem = NOTEBOOKS[0].stem
    build_site.build_site(tmp_path / "i", lessons=[stem], instructor=True, echo=lambda *_: None)
    build_site.build_site(tmp_path / "p", lessons=[stem], echo=lambda *_: None)
    with_notes = (tmp_path / "i" / f"{stem}.html").read_text(encoding="utf-8")
    without = (tmp_path / "p" / f"{stem}.html").read_text(encoding="utf-8")
    assert "celltag_instructor" in with_notes and "instructor edition" in with_notes
    assert (tmp_path / "i" / "instructors.html").exists()
    assert not (tmp_path / "p" / "instructors.html").exists()
    assert "(not in the student edition)" not in without and "participant edition" in without
