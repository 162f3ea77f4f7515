"""reStructuredText's inline markup reduced to what it shows: **x**, *x* and ``x`` to x,
`text <url>`_ to text, :role:`x` to x (Sphinx's ~a.b to b), word_ to word, |name| to what
its substitution replaces it with, footnote and citation references dropped, and a
backslash-escaped character to itself. restructured.py reads the blocks.
"""

from __future__ import annotations

import re

# Inline markup, one pass left to right, so that a literal's content is never read as markup.
# Linear on any input: each pattern stops at the next delimiter it needs, and a role or a
# reference name ("a.b-c_") starts only where no name goes on before it, so a long chain of
# name characters is scanned once, not once from each of its characters.
_INLINE = re.compile(
    r"(?<![\w\\])``(?P<literal>(?:[^`]|`(?!`))+?)``"
    r"|(?<![\w\\:])(?::[\w.+:-]+:)?_?`(?P<interpreted>[^`]+)`(?::[\w.+:-]+:)?(?:__?)?"
    r"|(?<![\w\\*])\*\*(?P<strong>[^\s*](?:[^*]*[^\s*])?)\*\*(?![\w*])"
    r"|(?<![\w\\*])\*(?P<emphasis>[^\s*](?:[^*]*[^\s*])?)\*(?![\w*])"
    r"|[ \t]?\[(?:#[\w.-]*|\*|\d+|[^\W\d][\w.-]*)\]_(?!\w)"
    r"|(?<![\w\\|])\|(?P<substitution>[^\s|](?:[^|\n]*[^\s|])?)\|(?:__?)?(?![\w|])"
    r"|(?<![\w\\.:+-])(?P<reference>[^\W_]+(?:[-_.:+][^\W_]+)*)__?(?!\w)"
    r"|\\(?P<escaped>.)", re.S)
_TARGET = re.compile(r"^(.*?)\s*<[^<>]*>$", re.S)


def _shown(match: re.Match, substitutions: dict[str, str]) -> str:
    """What one piece of inline markup shows."""
    if match["literal"] is not None:
        return match["literal"]
    if (text := match["interpreted"]) is not None:
        target = _TARGET.match(text)
        if target:  # `text <address>`: the text; a bare `<address>`: the address
            text = target[1] or text.strip()[1:-1]
        return text[1:].rsplit(".", 1)[-1] if text.startswith("~") else text.lstrip("!")  # Sphinx: ~a.b shows b
    for kind in ("strong", "emphasis", "reference"):
        if match[kind] is not None:
            return match[kind]
    if match["substitution"] is not None:
        return substitutions.get(match["substitution"], match["substitution"])
    if match["escaped"] is not None:
        return "" if match["escaped"].isspace() else match["escaped"]
    return ""  # a footnote or citation reference



def inline_text(text: str, substitutions: dict[str, str]) -> str:
    """What `text` shows, its inline markup reduced (`substitutions`: name → replacement text)."""
    return _INLINE.sub(lambda match: _shown(match, substitutions), text)
