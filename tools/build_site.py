"""Build the offline site: every lesson as a static HTML page, with a glossary (``./kit site OUT``).

Each committed lesson notebook (``lessons/NN_*.ipynb``, with its outputs) becomes ``OUT/NN_*.html``
through nbconvert's HTML exporter and the ``medkit`` template (``tools/site_template/``), which
extends JupyterLab's and drops every script it would load from the network. The pages open
from a folder or a USB stick without a server: links are relative, figures are embedded, math is
converted to MathML (read natively by current browsers) with ``latex2mathml``, and each widget is
replaced by a static preview (its controls and the output it showed when the notebook was
built). ``OUT/glossary.html`` is built from ``GLOSSARY.md``; the first use of each glossary term
in a lesson links to it, and each entry links back to the lessons that use it.

    python tools/build_site.py OUT [--instructor] [--lessons 00_start_here ...]

``--instructor`` keeps the instructor notes (cells tagged ``instructor``), highlighted, and adds
``INSTRUCTORS.md`` as ``instructors.html``; by default the site is the participants' view.
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
GLOSSARY = ROOT / "GLOSSARY.md"
INSTRUCTORS = ROOT / "INSTRUCTORS.md"
TEMPLATE_DIR = Path(__file__).resolve().parent / "site_template"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
INSTRUCTOR_TAG = "instructor"


# -- glossary ---------------------------------------------------------------------------------


@dataclass
class Term:
    name: str
    slug: str
    aliases: list[str]
    body: str
    lessons: list[str] = field(default_factory=list)

    @property
    def spellings(self) -> list[str]:
        return sorted({self.name, *self.aliases}, key=len, reverse=True)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_glossary(path: Path = GLOSSARY) -> tuple[str, list[Term]]:
    """The glossary's introduction and its terms, from ``## term`` sections."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^## +(.+?)\s*$", text, flags=re.M)
    intro, terms = parts[0], []
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        aliases: list[str] = []
        lines = body.strip().splitlines()
        if lines and lines[0].startswith("aliases:"):
            aliases = [a.strip() for a in lines[0][len("aliases:") :].split(";") if a.strip()]
            lines = lines[1:]
        terms.append(Term(name, slugify(name), aliases, "\n".join(lines).strip()))
    return intro, terms


# Markdown pieces that must not be rewritten: fenced and inline code, math, links, HTML
# tags, headings. Code spans are handled separately (a span that names a term is linked whole).
_PROTECTED = re.compile(
    r"(```.*?```|`[^`\n]+`|\$\$.*?\$\$|\$[^$\n]+\$|\[[^\]]*\]\([^)]*\)|<[^>]+>|^#+ .*?$)",
    flags=re.S | re.M,
)


def _term_pattern(spelling: str) -> re.Pattern:
    flags = 0 if spelling.isupper() or len(spelling) <= 4 else re.I
    return re.compile(rf"(?<![\w-]){re.escape(spelling)}(?![\w-])", flags)


def link_terms(
    markdown: str, terms: list[Term], linked: set[str], lesson: str | None, *, prefix: str = ""
) -> str:
    """Link the first use of each glossary term on a page (``linked`` tracks the page's terms).

    ``lesson`` is recorded on each linked term (for the glossary's "used in" lines); ``None``
    records nothing (links between glossary entries). ``prefix`` is the glossary page's URL
    (empty on the glossary itself).
    """
    prefix = prefix if prefix or lesson is None else "glossary.html"

    def mark(term: Term) -> str:
        linked.add(term.slug)
        if lesson is not None:
            term.lessons.append(lesson)
        return f"{prefix}#{term.slug}"

    pieces = _PROTECTED.split(markdown)
    for index, piece in enumerate(pieces):
        if index % 2 == 1:  # protected; an inline code span naming a term is linked whole
            if piece.startswith("`") and not piece.startswith("```"):
                code = piece.strip("`")
                for term in terms:
                    if term.slug not in linked and any(
                        re.match(rf"{re.escape(s)}(?![\w-])", code) for s in term.spellings
                    ):
                        pieces[index] = f"[{piece}]({mark(term)})"
                        break
            continue
        done, rest = "", piece
        while True:  # link the earliest unlinked term, then look on after it
            best = None
            for term in terms:
                if term.slug in linked:
                    continue
                for spelling in term.spellings:
                    match = _term_pattern(spelling).search(rest)
                    if match and (best is None or match.start() < best[1].start()):
                        best = (term, match)
            if best is None:
                break
            term, match = best
            done += f"{rest[: match.start()]}[{match.group()}]({mark(term)})"
            rest = rest[match.end() :]
        pieces[index] = done + rest
    return "".join(pieces)


# -- math -------------------------------------------------------------------------------------

_MATH = re.compile(r"(```.*?```|`[^`\n]+`)|\$\$(.+?)\$\$|\$([^$\n]+?)\$", flags=re.S)


def math_to_mathml(markdown: str) -> str:
    """Replace ``$...$`` and ``$$...$$`` with MathML, leaving code alone."""
    from latex2mathml.converter import convert

    def replace(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        display = match.group(2) is not None
        latex = (match.group(2) if display else match.group(3)).strip()
        try:
            mathml = convert(latex, display="block" if display else "inline")
        except Exception:  # keep unreadable LaTeX visible as code rather than lose it
            return f"<code>{html.escape(latex)}</code>"
        mathml = mathml.replace("\n", " ")
        return f"\n\n<div class='medkit-math'>{mathml}</div>\n\n" if display else mathml

    return _MATH.sub(replace, markdown)


# -- widgets ----------------------------------------------------------------------------------


def _refs(value) -> list[str]:
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        return [value[len("IPY_MODEL_") :]]
    if isinstance(value, list | tuple):
        return [r for item in value for r in _refs(item)]
    if isinstance(value, dict):
        return [r for item in value.values() for r in _refs(item)]
    return []


def _control_text(model: str, state: dict) -> str | None:
    description = state.get("description") or ""
    if model in {"OutputModel", "LayoutModel", "VBoxModel", "HBoxModel", "BoxModel"}:
        return None
    if model.endswith("StyleModel"):
        return None
    value = state.get("value")
    labels = state.get("_options_labels")
    if labels is not None:
        index = state.get("index")
        if isinstance(index, list | tuple):
            value = ", ".join(str(labels[i]) for i in index)
        elif isinstance(index, int) and 0 <= index < len(labels):
            value = labels[index]
    if model in {"HTMLModel", "LabelModel"}:
        return None if not value else html.escape(re.sub(r"<[^>]+>", " ", str(value)))[:200]
    if value is None and not description:
        return None
    kind = model.removesuffix("Model")
    label = html.escape(str(description)) if description else kind
    return f"<b>{label}</b> = {html.escape(str(value))} <span class='medkit-kind'>({kind})</span>"


def widget_preview(model_id: str, states: dict) -> list[dict]:
    """Static outputs standing in for a widget: its controls and what its output areas showed."""
    controls, outputs, seen, todo = [], [], set(), [model_id]
    while todo:
        current = todo.pop(0)
        if current in seen or current not in states:
            continue
        seen.add(current)
        entry = states[current]
        model, state = entry.get("model_name", ""), entry.get("state", {})
        if model == "OutputModel":
            outputs.extend(state.get("outputs", []))
        text = _control_text(model, state)
        if text:
            controls.append(text)
        todo.extend(_refs(state.get("children", [])))
        todo.extend(r for k, v in state.items() if k not in {"layout", "style"} for r in _refs(v))
    items = "".join(f"<li>{c}</li>" for c in controls) or "<li>(no controls)</li>"
    box = (
        "<div class='medkit-widget'><p><b>Interactive widget, shown here as a static preview.</b>"
        " Open the notebook in JupyterLab or on Binder to move the controls. Settings shown:</p>"
        f"<ul>{items}</ul></div>"
    )
    preview = [{"output_type": "display_data", "metadata": {}, "data": {"text/html": box}}]
    return preview + [copy.deepcopy(o) for o in outputs]


def replace_widgets(notebook) -> int:
    """Swap every widget view in the notebook's outputs for its static preview."""
    states = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    count = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        new_outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                new_outputs.append(output)
                continue
            count += 1
            new_outputs.extend(
                nbformat.from_dict(o) for o in widget_preview(view.get("model_id", ""), states)
            )
        cell.outputs = new_outputs
    notebook.metadata.pop("widgets", None)
    return count


# -- pages ------------------------------------------------------------------------------------


@dataclass
class Page:
    stem: str
    title: str
    goal: str


def lesson_title_and_goal(notebook) -> tuple[str, str]:
    title, goal = "", ""
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        if not title:
            match = re.search(r"^# +(.+)$", cell.source, flags=re.M)
            title = match.group(1).strip() if match else ""
        if not goal:
            match = re.search(r"\*\*Goal:\*\*\s*(.+?)(?:\n\s*\n|$)", cell.source, flags=re.S)
            goal = " ".join(match.group(1).split()) if match else ""
        if title and goal:
            break
    return title, goal


def prepare_lesson(notebook, terms: list[Term], stem: str, *, instructor: bool) -> None:
    """Rewrite a lesson notebook in memory for the static site."""
    cells = []
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if INSTRUCTOR_TAG in tags and not instructor:
            continue
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"\]\((\d\d_[\w]+)\.(?:ipynb|py)\)", r"](\1.html)", cell.source)
        if cell.cell_type == "code":
            cell.source = "\n".join(
                line for line in cell.source.splitlines() if line.strip() != "# NBVAL_IGNORE_OUTPUT"
            )
        cells.append(cell)
    notebook.cells = cells
    linked: set[str] = set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = math_to_mathml(link_terms(cell.source, terms, linked, stem))
    replace_widgets(notebook)


def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="medkit",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
    )
    # figures in outputs are already embedded (data: URIs); embed_images would re-parse
    # inline HTML tag by tag and break inline MathML
    exporter.embed_images = False
    exporter.exclude_anchor_links = False
    return exporter


def _nav(pages: list[Page], index: int | None) -> dict:
    def link(i: int) -> dict | None:
        return {"href": f"{pages[i].stem}.html", "title": pages[i].title} if i is not None else None

    if index is None:
        return {"prev": None, "next": None}
    return {
        "prev": link(index - 1) if index > 0 else None,
        "next": link(index + 1) if index + 1 < len(pages) else None,
    }


def _markdown_notebook(title: str, sources: list[str]):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["title"] = title
    notebook.cells = [nbformat.v4.new_markdown_cell(s) for s in sources]
    return notebook


def write_page(exporter, notebook, path: Path, *, title: str, nav: dict, edition: str) -> None:
    notebook.metadata["title"] = title
    resources = {"medkit": {**nav, "edition": edition}, "metadata": {"name": title}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    path.write_text(body, encoding="utf-8")


def build_site(
    out: Path, *, lessons: list[str] | None = None, instructor: bool = False, echo=print
) -> dict:
    """Build the site into ``out``; return a summary (pages, size in bytes, seconds)."""
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    stems = lessons or sorted(p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb"))
    intro, terms = read_glossary()
    exporter = _exporter()
    notebooks, pages = {}, []
    for stem in stems:
        path = LESSONS / f"{stem}.ipynb"
        if not path.exists():
            raise SystemExit(f"no executed notebook {path}: run ./kit notebooks {stem}")
        notebook = nbformat.read(path, as_version=4)
        title, goal = lesson_title_and_goal(notebook)
        notebooks[stem] = notebook
        pages.append(Page(stem, title or stem, goal))
    edition = "instructor edition" if instructor else "participant edition"
    figures = {}
    for index, page in enumerate(pages):
        notebook = notebooks[page.stem]
        prepare_lesson(notebook, terms, page.stem, instructor=instructor)
        figures[page.stem] = sum(
            1
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if "image/png" in output.get("data", {}) or "image/svg+xml" in output.get("data", {})
        )
        write_page(
            exporter,
            notebook,
            out / f"{page.stem}.html",
            title=page.title,
            nav=_nav(pages, index),
            edition=edition,
        )
        echo(f"  {page.stem}.html ({figures[page.stem]} figures)")
    # the glossary, with links back to the lessons that use each term
    titles = {p.stem: p.title for p in pages}
    entries = [intro]
    for term in sorted(terms, key=lambda t: t.name.lower()):
        also = f"*Also:* {', '.join(term.aliases)}\n\n" if term.aliases else ""
        used = ", ".join(f"[{titles[s]}]({s}.html)" for s in dict.fromkeys(term.lessons))
        used_line = f"\n\n*Used in:* {used}" if used else ""
        body = math_to_mathml(link_terms(term.body, terms, {term.slug}, None))
        entries.append(
            f'<h2 id="{term.slug}">{html.escape(term.name)}</h2>\n\n{also}{body}{used_line}'
        )
    write_page(
        exporter,
        _markdown_notebook("Glossary", entries),
        out / "glossary.html",
        title="Glossary",
        nav=_nav(pages, None),
        edition=edition,
    )
    # the front page
    rows = "\n".join(f"| [{p.title}]({p.stem}.html) | {p.goal} |" for p in pages)
    front = (
        "# medkit: the lessons, offline\n\n"
        "Why are China's hospitals unevenly used? These pages are the kit's lessons with the "
        "outputs they gave when they were last built: read them when Binder or the network is "
        "down. Widgets appear as static previews; to move them, run the notebooks "
        "(`./kit lab`, or Binder).\n\n"
        "> The mobility datasets are **synthetic twins** (real geography, synthetic counts and "
        "moves) and the referral results are **synthetic model output**: they teach the "
        "method, they are not evidence about China.\n\n"
        f"| lesson | goal |\n|---|---|\n{rows}\n\n"
        "Terms are explained in the [glossary](glossary.html)."
    )
    if instructor:  # the instructor guide, as one more page
        guide = INSTRUCTORS.read_text(encoding="utf-8").replace("(GLOSSARY.md)", "(glossary.html)")
        guide = re.sub(
            r"`(\d\d_[\w]+)`",
            lambda m: (
                f"[`{m.group(1)}`]({m.group(1)}.html)" if m.group(1) in titles else m.group(0)
            ),
            guide,
        )
        write_page(
            exporter,
            _markdown_notebook("Teaching with medkit", [guide]),
            out / "instructors.html",
            title="Teaching with medkit",
            nav=_nav(pages, None),
            edition=edition,
        )
        front += "\n\nFor instructors: the [instructor guide](instructors.html)."
    write_page(
        exporter,
        _markdown_notebook("medkit lessons", [front]),
        out / "index.html",
        title="medkit lessons",
        nav=_nav(pages, None),
        edition=edition,
    )
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {
        "pages": [p.stem for p in pages],
        "figures": figures,
        "bytes": size,
        "seconds": time.perf_counter() - start,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the site into")
    parser.add_argument("--instructor", action="store_true", help="keep the instructor notes")
    parser.add_argument("--lessons", nargs="*", help="lessons to include (default: all)")
    args = parser.parse_args(argv)
    print(f"building the offline site in {args.out} ...")
    summary = build_site(args.out, lessons=args.lessons, instructor=args.instructor)
    print(
        f"{len(summary['pages'])} lessons + glossary + index, "
        f"{summary['bytes'] / 1024**2:.1f} MiB, built in {summary['seconds']:.1f} s; "
        f"open {args.out / 'index.html'} in a browser"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
