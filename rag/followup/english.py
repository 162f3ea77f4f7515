"""Is a typed word English as it stands? Then it is never a typing slip.

A word the corpus never writes is read as a slip of one it does (spelling.py) only when it is
no English word: "quantify" is not "quantity", "lightening" not "lightning", "started" not
"startled". Two word lists say so: the words the embedding model's vocabulary holds whole
(about 20,000 common ones) with their other forms ("infects", "massing"), and an English
dictionary of some 160,000 words, rarer ones and names among them (pyspellchecker's list,
read as data; its spelling suggestions are not used), and either's words with an ending a
word takes ("soilers"). A misspelling is in neither.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

import numpy as np

from rag.embed.wheel import whole_words
from rag.followup.words import STOP
from rag.index import terms


@lru_cache(maxsize=1)
def _dictionary() -> np.ndarray:
    """The dictionary's words as their sorted hashes: 8 bytes a word, not a set of 160,000
    strings kept for the life of the process (a hash is only compared within it)."""
    raw = resources.files("spellchecker").joinpath("resources/en.json.gz").read_bytes()
    return np.sort(np.fromiter((hash(word) for word in json.loads(gzip.decompress(raw))), dtype=np.int64))


def in_dictionary(low: str) -> bool:
    """Is this lower-case word in the English dictionary?"""
    words = _dictionary()
    key = hash(low)
    at = int(np.searchsorted(words, key))
    return at < len(words) and int(words[at]) == key


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    return frozenset(terms(" ".join(whole_words())))  # one analysis of them all: each is one term


# endings that make a word of a word: "soilers" (the Free Soil Party's men) is no slip of "spoilers"
_ENDINGS = ("s", "es", "ed", "ing", "er", "ers", "ly", "ness", "ism", "ist", "ists", "ite", "ites")


def english(low: str) -> bool:
    """An English word as typed (lower case): a common one, another form of one, one the
    dictionary has, or one of those with an ending ("soilers"). Stop words' forms do not
    count: their stems are no term."""
    if _listed(low):
        return True
    if any(low.endswith(end) and _stem_word(low[:-len(end)]) for end in _ENDINGS):
        return True
    stems = terms(low)
    return bool(stems) and all(stem in _common_stems() for stem in stems)


def _stem_word(low: str) -> bool:
    """A word an ending makes a word of: four letters or more and no stop word ("soil", not
    "from": "fromed" is a slip of "formed")."""
    return len(low) >= 4 and low not in STOP and _listed(low)


def _listed(low: str) -> bool:
    """Is the word in either list as it stands?"""
    return low in whole_words() or in_dictionary(low)
