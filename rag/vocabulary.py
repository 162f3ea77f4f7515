"""The words a set of texts writes, each in the form they write it in most: what a typing slip
is spelt as (rag/followup/spelling.py). A follow-up's come from the documents its conversation
quoted; a first question's from the whole index, kept with the BM25 index (rag/index.py).

`near` finds the written words a typed word might be one slip from without reading every word:
those with the same letters (two neighbouring letters swapped), or a length one apart at most
and the same first two letters and last letter, or the same first letter and last two (a letter
wrong, missing or added inside a word keeps one end's two letters). Invariant: `near` returns
every word one such slip away, and the words grouped so are made on first use, so a vocabulary
nobody respells against costs nothing more than its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

WRITTEN = re.compile(r"[^\W\d_][\w'’-]*[^\W\d_]|[^\W\d_]")  # a word: letters at both ends


class Vocabulary:
    """Each written word, lower-cased, to its most written form ("watt's" → "Watt's")."""

    def __init__(self, forms: dict[str, str] | None = None):
        self.forms: dict[str, str] = forms or {}
        self._groups: tuple[dict, dict] | None = None

    def __contains__(self, low: str) -> bool:
        return low in self.forms

    def __getitem__(self, low: str) -> str:
        return self.forms[low]

    def __len__(self) -> int:
        return len(self.forms)

    def __iter__(self) -> Iterator[str]:
        return iter(self.forms)

    def near(self, low: str) -> list[str]:
        """The written words (lower case) a slip of `low` may be: the same letters in another
        order, or at most one letter more or fewer and one end's two letters the same."""
        if not low:
            return []
        same_letters, same_ends = self._grouped()
        found = list(same_letters.get("".join(sorted(low)), ()))
        for length in (len(low) - 1, len(low), len(low) + 1):
            for end in _ends(low):
                found += same_ends.get((end, length), ())
        return list(dict.fromkeys(found))

    def _grouped(self) -> tuple[dict, dict]:
        if self._groups is None:  # one assignment: a second thread building too is only wasted work
            same_letters: dict[str, list[str]] = {}
            same_ends: dict[tuple[str, int], list[str]] = {}
            for low in self.forms:
                same_letters.setdefault("".join(sorted(low)), []).append(low)
                for end in _ends(low):
                    same_ends.setdefault((end, len(low)), []).append(low)
            self._groups = (same_letters, same_ends)
        return self._groups


def _ends(low: str) -> tuple[str, str]:
    """The first two letters and the last, and the first and the last two ("^" and "$" keep
    them apart): one slip inside a word leaves one of the two as it was."""
    return f"{low[:2]}^{low[-1]}", f"{low[0]}${low[-2:]}"


def vocabulary(texts: Iterable[str]) -> Vocabulary:
    """Each word the texts write, lower-cased, to the form they write it in most ("Watt's")."""
    forms: dict[str, dict[str, int]] = {}
    for text in texts:
        for word in WRITTEN.findall(text):
            said = forms.setdefault(word.lower(), {})
            said[word] = said.get(word, 0) + 1
    return Vocabulary({low: max(said, key=said.get) for low, said in forms.items()})
