"""Sphinx extension of the book (loaded through ``sphinx: local_extensions`` in ``_config.yml``).

What it does:

* registers the bibliography style ``nrqb``: author-year labels everywhere ("Ahmadi et al.,
  2024a"; a, b, ... tell apart works with the same authors and year), sorted by author, year and
  title, each entry ending with its identifier as a link (arXiv id, DOI, or URL).  Citations
  (``{cite}``) show the same label, so text and bibliography use one style.
* resolves the cross-references of the API reference (``book/api.md``) the way a reader means
  them: ``LinearNetwork``, ``nrqb.LinearNetwork`` and ``nrqb.engine.LinearNetwork`` all name the
  documented ``nrqb.engine.network.LinearNetwork`` (a re-export or a short name resolves when
  exactly one documented object ends with it).  Type names in numpydoc fields that are not
  objects of nrqb (``ndarray``, ``callable``, ``float or None``) and names from numpy, scipy,
  sympy, qutip or matplotlib (no network at build time, so no intersphinx) are shown as plain
  text.  A reference to an object of nrqb that does not exist still fails the build.
* the directive ``{exercise-index}``: a table of every exercise of the book (chapter, exercise
  with its number, and the exercise's first paragraph), built from sphinx-exercise's registry
  when the book is written, so the index cannot drift from the chapters.
* sets the environment variable ``NRQB_FAST_EXIT=1`` (unless it is set already) for the kernels
  that myst-nb starts to execute the notebooks: their import cell's ``use_style()`` then freezes
  the garbage collector's heap, and each kernel shuts down in 0.1 s instead of about 0.8 s (see
  ``nrqb.book.plotting.FAST_EXIT_ENV``).
"""

from __future__ import annotations

import os
from collections import Counter

from docutils import nodes
from pybtex.plugin import register_plugin
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle as AuthorYearTitleSorting

__all__ = ["AuthorYearLabelStyle", "BookSorting", "BookStyle", "author_year_label", "ExerciseIndex",
           "ExerciseIndexTransform", "ask_kernels_for_fast_exit", "setup"]


def _last_names(person) -> str:
    """A person's last name(s) as plain text (LaTeX accents resolved, braces dropped)."""
    raw = " ".join(person.prelast_names + person.last_names)
    return Text.from_latex(raw).render_as("text").replace("{", "").replace("}", "")


def author_year_label(entry) -> str:
    """``"Ahmadi et al., 2024"``, ``"Metelmann and Clerk, 2015"``, ``"Serafini, 2017"``."""
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last_names(p) for p in persons]
    if not names:
        who = entry.fields.get("key") or entry.key
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabelStyle(BaseLabelStyle):
    """Author-year labels; equal labels get the suffixes a, b, c ... in sorted order."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year_label(e) for e in entries]
        counts = Counter(labels)
        seen: Counter = Counter()
        for label in labels:
            if counts[label] > 1:
                suffix = "abcdefghijklmnopqrstuvwxyz"[seen[label]]
                seen[label] += 1
                yield label + suffix
            else:
                yield label


class BookSorting(AuthorYearTitleSorting):
    """Author, year, title, then the citation key (so 2024a/2024b do not depend on input order)."""

    def sorting_key(self, entry):
        return super().sorting_key(entry) + (entry.key,)


class BookStyle(PlainStyle):
    """pybtex's plain style with author-year labels and author-year-title order.

    The plain templates already end every entry with its web references: the arXiv id
    (``eprint``) linked to arxiv.org, the DOI linked to doi.org, and ``url``.
    """

    default_label_style = AuthorYearLabelStyle
    default_sorting_style = BookSorting


#: packages whose objects are named in docstrings but not documented in this book
EXTERNAL = ("numpy", "np", "scipy", "sympy", "sp", "qutip", "matplotlib", "mpl", "plt", "networkx",
            "python", "builtins", "typing", "collections", "dataclasses", "IPython")


def _candidates(domain, target: str) -> list[str]:
    """Documented Python objects that ``target`` can mean (short names and re-exports)."""
    objects = domain.objects
    if target in objects:
        return [target]
    parts = target.split(".")
    # nrqb.X or nrqb.engine.X (a re-export) -> any nrqb.*.X with the same tail
    for k in range(len(parts)):
        tail = ".".join(parts[k:])
        if k > 0 and not parts[0] == "nrqb":
            break
        found = [name for name in objects if name.endswith("." + tail) and name.startswith("nrqb.")]
        if found:
            return found
    return []


def resolve_reference(app, env, node, contnode):
    """``missing-reference`` handler for the Python domain (see the module docstring)."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "").lstrip("~.")
    reftype = node.get("reftype", "")
    domain = env.get_domain("py")
    found = _candidates(domain, target)

    def link(name):
        obj = domain.objects[name]
        return make_refnode(app.builder, node["refdoc"], obj.docname, obj.node_id, contnode, name)

    # a type written in a numpydoc field or a data annotation ("ndarray", "float or None",
    # "list of (lo, hi)", "units of omega"): linked only when it names exactly one class of nrqb
    generated = "refexplicit" not in node.attributes or node.get("refspecific")
    if generated and reftype in ("class", "obj", "data"):
        classes = [n for n in found if domain.objects[n].objtype in ("class", "exception")]
        return link(classes[0]) if len(classes) == 1 else contnode
    if len(found) == 1:
        return link(found[0])
    if len(found) > 1:
        return None  # ambiguous: Sphinx warns
    if target.split(".")[0] in EXTERNAL:
        return contnode  # numpy.random.default_rng etc.: plain text, no link
    return None  # an explicit :func:/:class:/... to nothing documented: Sphinx warns


class exercise_index(nodes.General, nodes.Element):
    """Placeholder for the exercise table, filled in when the page is written."""


class ExerciseIndex(SphinxDirective):
    """``{exercise-index}``: the table of every exercise of the book (see the module docstring)."""

    has_content = False

    def run(self):
        return [exercise_index()]


def _chapter_key(env, docname: str):
    num = env.toc_secnumbers.get(docname, {}).get("")
    return (0, tuple(num)) if num else (1, (docname,))


class ExerciseIndexTransform(SphinxPostTransform):
    """Replace ``exercise_index`` nodes by the table (before cross-references are resolved)."""

    default_priority = 5

    def run(self, **kwargs):
        for node in list(self.document.findall(exercise_index)):
            table = self._table()
            node.replace_self(table)
            if any(table.findall(nodes.math)):
                # the page gets its math now, after reading: tell the math domain, so that
                # MathJax is loaded on it
                self.env.get_domain("math").data["has_equations"][self.env.docname] = True

    def _table(self):
        env, builder, here = self.env, self.app.builder, self.env.docname
        registry = getattr(env, "sphinx_exercise_registry", {})
        items = [(label, v) for label, v in registry.items() if v.get("type") in ("exercise", "exercise-start")]
        items.sort(key=lambda lv: (_chapter_key(env, lv[1]["docname"]), lv[1]["node"].get("serial_number", 0)))
        table = nodes.table(classes=["exercise-index"])
        group = nodes.tgroup(cols=3)
        table += group
        for width in (22, 18, 60):
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        row = nodes.row()
        for text in ("chapter", "exercise", "topic"):
            row += nodes.entry("", nodes.paragraph(text=text))
        head += row
        body = nodes.tbody()
        group += body
        for label, v in items:
            doc, ex = v["docname"], v["node"]
            num = env.toc_secnumbers.get(doc, {}).get("")
            title = env.titles[doc].astext() if doc in env.titles else doc
            chapter = (".".join(map(str, num)) + ". " if num else "") + title
            fig = env.toc_fignumbers.get(doc, {}).get("exercise", {}).get(label)
            name = "Exercise " + ".".join(map(str, fig)) if fig else "Exercise"
            subtitle = next(iter(ex.findall(lambda n: n.__class__.__name__ == "exercise_subtitle")), None)
            if subtitle is not None and subtitle.astext().strip():
                name += f" ({subtitle.astext().strip().strip('()')})"
            row = nodes.row()
            row += nodes.entry("", nodes.paragraph("", "", make_refnode(builder, here, doc, "", nodes.Text(chapter))))
            row += nodes.entry("", nodes.paragraph("", "", make_refnode(builder, here, doc, label, nodes.Text(name))))
            topic = next(iter(ex.findall(nodes.paragraph)), None)
            cell = nodes.entry()
            if topic is not None:
                topic = topic.deepcopy()
                for n in topic.findall(nodes.Element):
                    n["ids"] = []
                    if n.get("refdoc"):
                        n["refdoc"] = here
                cell += topic
            row += cell
            body += row
        return table


#: the environment variable of ``nrqb.book.plotting.FAST_EXIT_ENV`` (a test checks they agree)
FAST_EXIT_ENV = "NRQB_FAST_EXIT"


def ask_kernels_for_fast_exit() -> None:
    """Set ``NRQB_FAST_EXIT=1`` in this process's environment, unless it is set already; the
    kernels that myst-nb starts inherit it."""
    os.environ.setdefault(FAST_EXIT_ENV, "1")


def setup(app):
    ask_kernels_for_fast_exit()
    app.add_node(exercise_index)
    app.add_directive("exercise-index", ExerciseIndex)
    app.add_post_transform(ExerciseIndexTransform)
    app.connect("missing-reference", resolve_reference)
    register_plugin("pybtex.style.labels", "nrqb_author_year", AuthorYearLabelStyle, force=True)
    register_plugin("pybtex.style.formatting", "nrqb", BookStyle, force=True)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
