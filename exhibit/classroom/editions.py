"""Plain Jupyter notebooks generated from the book's MyST chapters: reader, student and teacher editions.

The chapters are written once, as MyST Markdown notebooks, for the book. JupyterLab shows MyST directives and
roles as raw text, and an exercise chapter holds its solutions right under each exercise. This module turns a
chapter into a notebook with plain Markdown:

* ``reader``: a story chapter; code cells that the book hides start collapsed;
* ``student``: an exercise chapter with the tasks, starter cells and checks, and **no solution cells**;
* ``teacher``: the same with every solution, under a "Solution" heading.

Citations become author–year text with a reference list at the end, links to other chapters point at their
notebooks, and a directive or role with no plain form stops with the file, cell and line named.

    python -m exhibit.classroom.editions notebooks            # reader + student editions (what Binder's postBuild runs)
    python -m exhibit.classroom.editions out --teacher        # adds the teacher editions (``*-teacher.ipynb``)
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from exhibit.data import project_root

KINDS = ("reader", "student", "teacher")
OUT_DIR = "notebooks"
TEACHER_SUFFIX = "-teacher"
JUPYTEXT_HEADER = "---\njupytext:"

_FENCE = re.compile(r"^(?P<fence>:{3,}|`{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_TARGET = re.compile(r"^\([\w-]+\)=\s*$")
_ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<body>[^`]*)`")
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)\s#]+\.md)(?P<anchor>#[^)]*)?\)")
_CHECK = re.compile(r"\bcheck\.(exercise_\d+)\(")
_GLUE = re.compile(r"\{glue(?::text)?\}`(?P<key>[\w-]+)(?::(?P<spec>[^`]*))?`")
_ADMONITIONS = {"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning",
                "caution": "Caution", "seealso": "See also", "admonition": ""}

SOLUTION_START, SOLUTION_END = "solution-start", "solution-end"


class EditionError(ValueError):
    """A chapter uses MyST with no plain-Markdown form; the message names file, cell and line."""

    def _render_traceback_(self) -> list[str]:
        return [f"EditionError: {self}"]


@dataclass
class _Context:
    source: str                       # the chapter's path relative to the repository, for messages
    pages: set[str]                   # notebook chapters (relative paths), so links can point at their notebooks
    here: Path                        # the chapter's folder, relative to the repository
    cited: list[str] = field(default_factory=list)


def is_notebook_page(path: Path) -> bool:
    """A MyST Markdown notebook (a chapter with code), as opposed to a text page."""
    return path.suffix == ".md" and path.read_text(encoding="utf-8").startswith(JUPYTEXT_HEADER)


def notebook_pages(root: Path) -> list[Path]:
    """Every notebook chapter of the book, relative to the repository root."""
    found = [root / "index.md", *sorted((root / "chapters").rglob("*.md"))]
    return [p.relative_to(root) for p in found if p.is_file() and is_notebook_page(p)]


def _short_cite(keys: list[str], ctx: _Context) -> str:
    from exhibit.data.sources import short_cite

    ctx.cited.extend(k for k in keys if k not in ctx.cited)
    return "(" + "; ".join(short_cite(k) for k in keys) + ")"


def _normalise(here: Path, target: str) -> str:
    parts: list[str] = list(here.parts)
    for part in target.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _roles(line: str, ctx: _Context, where: str) -> str:
    def role(match: re.Match) -> str:
        name, body = match["name"], match["body"]
        if name in ("glue", "glue:text"):
            return match.group(0)  # a computed value: see _glued_cell
        if name in ("cite:p", "cite:t", "cite"):
            return _short_cite([k.strip() for k in body.split(",") if k.strip()], ctx)
        if name in ("download", "doc", "ref", "numref", "term"):
            return body.split("<")[0].strip() if "<" in body else body
        raise EditionError(f"{where}: the role {{{name}}} has no plain-Markdown form")

    line = _ROLE.sub(role, line)
    return _LINK.sub(lambda m: _link_text(m, ctx), line)


def _link_text(match: re.Match, ctx: _Context) -> str:
    if _normalise(ctx.here, match["target"]) in ctx.pages:
        return f"[{match['text']}]({match['target'][:-3]}.ipynb{match['anchor'] or ''})"
    return match["text"]


def _contents(ctx: _Context) -> list[str]:
    """The book's table of contents (``_toc.yml``) as a Markdown list; chapters with code link to their notebook."""
    import yaml

    root = project_root()
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    lines = []
    for part in toc.get("parts", []):
        lines.append(f"- **{part['caption']}**")
        for chapter in part.get("chapters", []):
            page = f"{chapter['file']}.md"
            title = next((line[2:].strip() for line in (root / page).read_text(encoding="utf-8").splitlines()
                          if line.startswith("# ")), chapter["file"])
            if page in ctx.pages:
                rel = Path(_relative(ctx.here, page)).with_suffix(".ipynb").as_posix()
                lines.append(f"  - [{title}]({rel})")
            else:
                lines.append(f"  - {title}")
    return lines


def _relative(here: Path, page: str) -> str:
    return os.path.relpath(page, here.as_posix() or ".").replace(os.sep, "/")


def _markdown(text: str, ctx: _Context, cell: int) -> list[str]:
    """Plain Markdown pieces of one MyST cell; solution markers come back as the bare strings
    :data:`SOLUTION_START` / :data:`SOLUTION_END` between the pieces."""
    lines, out, pieces = text.split("\n"), [], []
    i = 0
    while i < len(lines):
        where = f"{ctx.source}, markdown cell {cell}, line {i + 1}"
        line = lines[i]
        opened = _FENCE.match(line)
        if _TARGET.match(line):
            i += 1
            continue
        if not opened:
            out.append(_roles(line, ctx, where))
            i += 1
            continue
        fence, name, arg = opened["fence"], opened["name"], opened["arg"].strip()
        j = i + 1
        while j < len(lines) and _OPTION.match(lines[j]):
            j += 1
        end = next((k for k in range(j, len(lines)) if lines[k].strip() == fence), None)
        if end is None:
            raise EditionError(f"{where}: the directive {{{name}}} is not closed by {fence}")
        body = "\n".join(lines[j:end]).strip("\n").split("\n")
        if name in (SOLUTION_START, SOLUTION_END):
            pieces.append("\n".join(out).strip())
            pieces.append(name)
            out = []
        elif name == "exercise":
            out.append(f"> **{_roles(arg, ctx, where)}**\n>")
            out.extend("> " + _roles(b, ctx, where) if b.strip() else ">" for b in body)
        elif name in _ADMONITIONS:
            title = _roles(arg, ctx, where) or _ADMONITIONS[name]
            out.append(f"> **{title}**\n>")
            out.extend("> " + _roles(b, ctx, where) if b.strip() else ">" for b in body)
        elif name == "tableofcontents":
            out.extend(_contents(ctx))
        elif name == "bibliography":
            from exhibit.data.sources import bibliography, cite_text

            out.extend(f"- {cite_text(k, notes=False)}" for k in sorted(bibliography()))
        else:
            raise EditionError(f"{where}: the directive {{{name}}} has no plain-Markdown form")
        i = end + 1
    pieces.append("\n".join(out).strip())
    return pieces


def _code_cell(cell) -> nbformat.NotebookNode:
    """A chapter's code cell for a plain notebook: its tags kept, code the book hides starting collapsed."""
    tags = list(cell.metadata.get("tags", []))
    new = nbformat.v4.new_code_cell(cell.source)
    if tags:
        new.metadata["tags"] = tags
    if "remove-input" in tags or "hide-input" in tags:
        new.metadata["jupyter"] = {"source_hidden": True}
    return new


def _text_cells(piece: str) -> list[nbformat.NotebookNode]:
    """Markdown cells; a paragraph with computed values (``{glue:text}`key:spec```) becomes a collapsed code cell
    that writes the same paragraph with the values the notebook computed (:func:`exhibit.figures.present.glued`)."""
    cells, plain = [], []
    for block in piece.split("\n\n"):
        if not _GLUE.search(block):
            plain.append(block)
            continue
        if plain:
            cells.append(nbformat.v4.new_markdown_cell("\n\n".join(plain)))
            plain = []
        cells.append(_glued_paragraph(block))
    if plain:
        cells.append(nbformat.v4.new_markdown_cell("\n\n".join(plain)))
    return cells


def _glued_paragraph(block: str) -> nbformat.NotebookNode:
    parts, last = [], 0
    for match in _GLUE.finditer(block):
        parts += [repr(block[last:match.start()]), f"glued({match['key']!r}, {(match['spec'] or '')!r})"]
        last = match.end()
    parts.append(repr(block[last:]))
    source = ("from IPython.display import Markdown\nfrom exhibit.figures.present import glued\n\n"
              "Markdown(" + " + ".join(p for p in parts if p != "''") + ")")
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.update({"tags": ["remove-input"], "jupyter": {"source_hidden": True}})
    return cell


def _references(cited) -> list:
    """The closing "References cited above" cell, when the chapter cites anything."""
    if not cited:
        return []
    from exhibit.data.sources import cite_text

    return [nbformat.v4.new_markdown_cell(
        "## References cited above\n\n" + "\n".join(f"- {cite_text(k, notes=False)}" for k in cited))]


def edition(root: Path, page: Path, kind: str, pages: set[str] | None = None) -> nbformat.NotebookNode:
    """One chapter (``page``, relative to ``root``) as a plain notebook of the given kind."""
    import jupytext

    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    pages = pages if pages is not None else {p.as_posix() for p in notebook_pages(root)}
    ctx = _Context(page.as_posix(), pages, page.parent)
    source = jupytext.read(root / page)
    cells, in_solution, exercises, has_solutions = [], False, [], False
    for n, cell in enumerate(source.cells, start=1):
        if cell.cell_type == "markdown":
            for piece in _markdown(cell.source, ctx, n):
                if piece == SOLUTION_START:
                    in_solution, has_solutions = True, True
                    if kind == "teacher":
                        cells.append(nbformat.v4.new_markdown_cell("**Solution** (teacher's edition)"))
                elif piece == SOLUTION_END:
                    in_solution = False
                elif piece and not (in_solution and kind == "student"):
                    cells += _text_cells(piece)
            continue
        if in_solution and kind == "student":
            continue
        if not in_solution:
            exercises += [e for e in _CHECK.findall(cell.source) if e not in exercises]
        cells.append(_code_cell(cell))
    if in_solution:
        raise EditionError(f"{ctx.source}: a {SOLUTION_START} has no {SOLUTION_END}")
    cells += _references(ctx.cited)
    shown = kind if has_solutions else "reader"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.update({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "exhibit": {"edition": shown, "source": page.as_posix(), "exercises": exercises},
    })
    return notebook


def has_solutions(path: Path) -> bool:
    return f"{{{SOLUTION_START}}}" in path.read_text(encoding="utf-8")


def write_editions(out: Path, root: Path | None = None, teacher: bool = False) -> list[Path]:
    """Write the reader and student editions of every notebook chapter under ``out`` (same layout as the
    book: ``out/chapters/apollo-soyuz.ipynb``), plus ``*-teacher.ipynb`` beside exercise chapters if asked."""
    root = root or project_root()
    pages = notebook_pages(root)
    names = {p.as_posix() for p in pages}
    written = []
    for page in pages:
        exercise = has_solutions(root / page)
        kinds = (["student"] + (["teacher"] if teacher else [])) if exercise else ["reader"]
        for kind in kinds:
            suffix = TEACHER_SUFFIX if kind == "teacher" else ""
            target = out / page.parent / f"{page.stem}{suffix}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(edition(root, page, kind, names), target)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exhibit.classroom.editions", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default=OUT_DIR, help=f"output folder (default: {OUT_DIR})")
    parser.add_argument("--teacher", action="store_true", help="also write the teacher editions")
    args = parser.parse_args(argv)
    try:
        written = write_editions(Path(args.out), teacher=args.teacher)
    except (EditionError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} notebooks under {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
