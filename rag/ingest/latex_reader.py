"""The reading of LaTeX's body for latex.py: a scanner that reads each character once and
writes what the typeset page shows, numbering sections, floats and equations as LaTeX does so
that a \\ref can be given its number. Where a citation, label or footnote mark was, it writes
DROPPED (latex.py closes the space up); a reference is REF key REF, numbered once every label is
known. A group nested deeper than MAX_DEPTH raises RecursionError.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.ingest.headings import Marked
from rag.ingest.latex_commands import ACCENTS, ESCAPED, HIDDEN_ARGUMENTS, SKIPPED_FIRST, SYMBOLS, accented

MAX_DEPTH = 64
MAX_OPTION = 500  # a longer [...] is text in brackets, not a command's option
LEVELS = {"part": 1, "chapter": 1, "section": 2, "subsection": 3, "subsubsection": 4, "paragraph": 5,
           "subparagraph": 6}
_NUMBERED = ["chapter", "section", "subsection", "subsubsection"]
_FLOATS = {"figure": "Figure", "figure*": "Figure", "wrapfigure": "Figure", "table": "Table", "table*": "Table",
           "sidewaystable": "Table", "algorithm": "Algorithm"}
_MATH = {"equation", "equation*", "align", "align*", "gather", "gather*", "multline", "multline*", "eqnarray",
         "eqnarray*", "displaymath", "math", "flalign", "flalign*"}
_VERBATIM = {"verbatim", "verbatim*", "lstlisting", "minted", "Verbatim"}
_SKIPPED = {"comment", "tikzpicture", "picture", "filecontents", "filecontents*"}
_ROWS = {"tabular", "tabular*", "tabularx", "longtable", "array"}
_LISTS = {"itemize", "enumerate", "description"}  # an item's mark: "- ", its number, or its [term]
DROPPED = "\x01"  # where a citation or label was: the space before it goes, as the reader sees
REF = "\x02"


_BRACES = re.compile(r"\\.|[{}]", re.S)  # an escaped character, or a brace


@lru_cache(maxsize=16)
def _closing(src: str) -> dict[int, int]:
    """Each "{" of `src` that closes, to its "}": found once for the text, so that no group is
    scanned for twice."""
    found, opened = {}, []
    for mark in _BRACES.finditer(src):
        if mark[0] == "{":
            opened.append(mark.start())
        elif mark[0] == "}" and opened:
            found[opened.pop()] = mark.start()
    return found


def group(src: str, i: int, open_: str = "{", close: str = "}") -> tuple[str, int]:
    """The text of the balanced group opening at src[i] (spaces before it skipped), and the index
    after it; ("", i) where none opens there or it never closes (a stray brace, which the reader
    skips: the text after it is read as text). An [option] is at most MAX_OPTION characters long."""
    j = i
    while j < len(src) and src[j] in " \t\n" and src[j:j + 2] != "\n\n":
        j += 1
    if j >= len(src) or src[j] != open_:
        return "", i
    if open_ == "[":
        k = src.find(close, j, j + MAX_OPTION)
        return (src[j + 1:k], k + 1) if k != -1 else ("", i)
    k = _closing(src).get(j)
    return (src[j + 1:k], k + 1) if k is not None else ("", i)


def environment_end(src: str, name: str, i: int) -> tuple[str, int]:
    """The body of environment `name` starting at i, and the index after its \\end{name}."""
    begin, end = "\\begin{" + name + "}", "\\end{" + name + "}"
    depth, k = 1, i
    while True:
        next_end = src.find(end, k)
        if next_end == -1:
            return src[i:], len(src)
        next_begin = src.find(begin, k, next_end)
        if next_begin == -1:
            depth -= 1
            if depth == 0:
                return src[i:next_end], next_end + len(end)
            k = next_end + len(end)
        else:
            depth += 1
            k = next_begin + len(begin)


class Reader:
    def __init__(self) -> None:
        self.headings: list[Marked] = []
        self.notes: list[str] = []
        self.counters: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        self.current = ""  # the number a \label names: the last section, float or equation
        self.lists: list[list[int]] = []  # per open list: [kind (0 itemize, 1 enumerate, 2 description), items]
        self.appendix = False

    def read(self, src: str, depth: int = 0) -> str:
        if depth > MAX_DEPTH:
            raise RecursionError
        out: list[str] = []
        i = 0
        while i < len(src):
            ch = src[i]
            if ch == "\\":
                text, i = self.command(src, i + 1, depth)
                out.append(text)
            elif ch == "{":
                inner, after = group(src, i)
                out.append(self.read(inner, depth + 1))
                i = after if after != i else i + 1
            elif ch == "$":
                close = "$$" if src.startswith("$$", i) else "$"
                end = src.find(close, i + len(close))
                end = len(src) if end == -1 else end + len(close)
                out.append(src[i:end])  # math as written
                i = end
            elif ch == "\n":
                j = i
                while j < len(src) and src[j] in " \t\n":
                    j += 1
                out.append("\n\n" if src.count("\n", i, j) > 1 else " ")
                i = j
            else:
                for mark, shown in (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("`", "‘"), ("~", " "),
                                    ("}", "")):
                    if src.startswith(mark, i):
                        out.append(shown)
                        i += len(mark)
                        break
                else:
                    out.append(ch)
                    i += 1
        return "".join(out)

    def command(self, src: str, i: int, depth: int) -> tuple[str, int]:
        """What the command after a backslash at src[i - 1] shows, and the index after it."""
        if i >= len(src):
            return "", i
        if not src[i].isalpha():
            ch = src[i]
            if ch in "([":  # \( math \) and \[ display math \]: as written
                end = src.find("\\" + ")]"["([".index(ch)], i)
                end = len(src) if end == -1 else end + 2
                return src[i - 1:end], end
            if ch in ACCENTS and ch not in ESCAPED:
                return self.accent(src, i + 1, ch, depth)
            if ch == "\\":
                _, after = group(src, i + 1, "[", "]")  # \\[2pt]
                return "\n", after
            return ESCAPED.get(ch, ch), i + 1
        j = i
        while j < len(src) and src[j].isalpha():
            j += 1
        if j < len(src) and src[j] == "*":
            j += 1
        name = src[i:j]
        while j < len(src) and src[j] in " \t":  # TeX skips spaces after a control word
            j += 1
        if name in ACCENTS and len(name) == 1:
            return self.accent(src, j, name, depth)
        if name in ("begin", "end"):
            env, j = group(src, j)
            return (self.environment(src, env.strip(), j, depth) if name == "begin" else ("", j))
        if name.rstrip("*") in LEVELS:
            return self.heading(src, name, j, depth)
        if name == "item":
            return self.item(src, j, depth)
        if name == "footnote":
            _, j = group(src, j, "[", "]")
            note, j = group(src, j)
            self.notes.append(self.read(note, depth + 1))
            return DROPPED, j
        if name in ("ref", "eqref", "autoref", "cref", "Cref", "vref", "nameref"):
            key, j = group(src, j)  # the number, once every label is known; "(3)" for an equation
            return REF + ("(" if name == "eqref" else "") + key.strip() + REF, j
        if name == "appendix":
            self.appendix, self.counters = True, {}
            return "", j
        if name == "caption":  # outside a float (\captionof)
            _, j = group(src, j, "[", "]")
            text, j = group(src, j)
            return "\n\n" + self.read(text, depth + 1) + "\n\n", j
        if name in SYMBOLS:
            return SYMBOLS[name], j
        if name in HIDDEN_ARGUMENTS:
            return self.hidden(src, name, j)
        _, j = group(src, j, "[", "]")
        if name in SKIPPED_FIRST:
            _, j = group(src, j)
        arg, after = group(src, j)
        return (self.read(arg, depth + 1), after) if after != j else ("", j)

    def hidden(self, src: str, name: str, j: int) -> tuple[str, int]:
        """A command that shows nothing, read past its [options] and its {arguments}."""
        needed = HIDDEN_ARGUMENTS[name]
        while True:
            _, after = group(src, j, "[", "]")
            if after == j:
                if not needed:
                    break
                arg, after = group(src, j)
                if after == j:
                    break
                needed -= 1
                if name == "label":
                    self.labels[arg.strip()] = self.current
            j = after
        return (DROPPED if HIDDEN_ARGUMENTS[name] else ""), j

    def accent(self, src: str, i: int, accent: str, depth: int) -> tuple[str, int]:
        arg, after = group(src, i)
        if after != i:
            letter = self.read(arg, depth + 1)
        else:
            after = i + 1 if i < len(src) else i
            letter = src[i:after]
        return accented(letter[:1], accent) + letter[1:], after

    def number(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        if kind in _NUMBERED:  # a section's number counts within its chapter's, a subsection's within its section's
            for lower in _NUMBERED[_NUMBERED.index(kind) + 1:]:
                self.counters.pop(lower, None)
            used = [k for k in _NUMBERED[:_NUMBERED.index(kind) + 1] if k in self.counters]
            parts = [str(self.counters[k]) for k in used]
            if self.appendix and parts:
                parts[0] = chr(ord("A") + int(parts[0]) - 1)
            return ".".join(parts)
        return str(self.counters[kind])

    def heading(self, src: str, name: str, j: int, depth: int) -> tuple[str, int]:
        _, j = group(src, j, "[", "]")
        title, j = group(src, j)
        text = " ".join(self.read(title, depth + 1).replace(DROPPED, " ").split())
        kind = name.rstrip("*")
        if not name.endswith("*") and kind in _NUMBERED:
            self.current = self.number(kind)
            text = f"{self.current} {text}"
        self.headings.append(Marked(text, LEVELS[kind]))
        return "\n\n" + text + "\n\n", j

    def item(self, src: str, j: int, depth: int) -> tuple[str, int]:
        term, after = group(src, j, "[", "]")
        if not self.lists:
            return "\n", j
        kind = self.lists[-1]
        kind[1] += 1
        if after != j:  # \item[term]: the term the reader sees in place of a bullet
            return "\n" + self.read(term, depth + 1) + " ", after
        return "\n" + ("- ", f"{kind[1]}. ", "")[kind[0]], j

    def environment(self, src: str, name: str, j: int, depth: int) -> tuple[str, int]:
        body, after = environment_end(src, name, j)
        if name in _SKIPPED:
            return "", after
        if name in _VERBATIM:
            return "\n\n" + body.strip("\n") + "\n\n", after
        if name in _MATH:
            self.current = self.number("equation") if "*" not in name else self.current
            for label in re.finditer(r"\\label\s*\{([^{}]*)\}", body):
                self.labels[label[1].strip()] = self.current
            shown = re.sub(r"\\(?:label|nonumber|notag)(?:\{[^{}]*\})?", "", body)
            return " " + " ".join(shown.split()) + " ", after
        if name in _FLOATS:
            return self.float(body, _FLOATS[name], depth), after
        if name in _ROWS:
            return self.rows(body, depth), after
        if name == "abstract":
            self.headings.append(Marked("Abstract", LEVELS["section"]))
            return "\n\nAbstract\n\n" + self.read(body, depth + 1) + "\n\n", after
        if name == "thebibliography":
            _, body_at = group(body, 0)
            entries = re.split(r"\\bibitem\s*(?:\[[^\]]{0,500}\])?\s*\{[^{}]*\}", body[body_at:])[1:]
            self.headings.append(Marked("References", LEVELS["section"]))
            lines = [f"[{n}] " + " ".join(self.read(entry, depth + 1).split()) for n, entry in enumerate(entries, 1)]
            return "\n\nReferences\n\n" + "\n".join(lines) + "\n\n", after
        if name in _LISTS:
            self.lists.append([("itemize", "enumerate", "description").index(name), 0])
            text = self.read(body, depth + 1)
            self.lists.pop()
            return "\n" + text + "\n", after
        _, body_at = group(body, 0, "[", "]")  # an environment's own options
        return self.read(body[body_at:], depth + 1), after

    def float(self, body: str, kind: str, depth: int) -> str:
        """A figure's or a table's caption as "Figure 1: ...", and a table's rows after it."""
        self.current = self.number(kind)
        shown = []
        for match in re.finditer(r"\\caption\s*(?:\[[^\]]{0,500}\])?", body):
            text, _ = group(body, match.end())
            shown.append(f"{kind} {self.current}: " + " ".join(self.read(text, depth + 1).split()))
        for label in re.finditer(r"\\label\s*\{([^{}]*)\}", body):
            self.labels[label[1].strip()] = self.current
        for table in re.finditer(r"\\begin\{(tabular\*?|tabularx|longtable)\}", body):
            inner, _ = environment_end(body, table[1], table.end())
            shown.append(self.rows(inner, depth))
        return "\n\n" + "\n\n".join(s for s in shown if s.strip()) + "\n\n"

    def rows(self, body: str, depth: int) -> str:
        """A tabular's rows, one a line, its cells joined by " | " (its column spec left out)."""
        _, at = group(body, 0, "[", "]")
        _, at = group(body, at)
        rows = []
        for row in re.split(r"\\\\(?:\s*\[[^\]]{0,500}\])?", body[at:]):
            cells = [" ".join(self.read(cell, depth + 1).replace(DROPPED, " ").split())
                     for cell in re.split(r"(?<!\\)&", row)]
            if any(cells):
                rows.append(" | ".join(cell for cell in cells if cell))
        return "\n".join(rows)
