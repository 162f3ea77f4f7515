"""Asking within chosen documents: a scope named by document ids and id prefixes.

A name ending in "/" is a prefix ("wikipedia/" names every document whose id starts so); any
other name is one document id, exactly. `Scope` is the names resolved against the store: the
document ids and their chunk ids, which retrieval keeps to (dense by the cheapest of three
ways, `rag.retrieve.Retriever.dense`; BM25 by chunk). Answering is otherwise unchanged: the same cut-offs decline.

Invariant: a scope is never silently empty. A name that matches no stored document is an
`UnknownDocuments` error naming it, not a question quietly declined for want of text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

MAX_NAMES = 100  # names in one scope (API, MCP); a wider scope is a prefix


def is_prefix(name: str) -> bool:
    return name.endswith("/")


class UnknownDocuments(LookupError):
    """Scope names that match no stored document; the message says which and where ids are listed."""

    def __init__(self, names: list[str], hints: dict[str, str] | None = None):
        self.names = names
        said = [f"{n!r} (did you mean the prefix {hints[n]!r}?)" if hints and n in hints else repr(n) for n in names]
        super().__init__(f"no stored document matches {', '.join(said)}: name a document id exactly, or a prefix "
                         f"ending in '/' (`rag documents` and GET /v1/documents list the ids)")

    def __str__(self) -> str:  # LookupError would show the message as a tuple's repr
        return self.args[0]


@dataclass(frozen=True)
class Scope:
    """The documents a question is asked within, resolved: what retrieval may return."""

    names: tuple[str, ...]  # as asked
    document_ids: frozenset[str]
    chunk_ids: frozenset[str]

    def holds(self, document_id: str) -> bool:
        return document_id in self.document_ids


def check_names(names: Sequence[str]) -> list[str]:
    """The names, each once, in the order given; ValueError for an empty list or a blank name."""
    if isinstance(names, str):  # a lone id would otherwise be read as its characters
        raise ValueError(f"documents must be a list of ids or prefixes, not the string {names!r}")
    if not names:
        raise ValueError("documents is empty: leave it out (None) to ask the whole corpus")
    if any(not isinstance(n, str) or not n.strip() for n in names):
        raise ValueError("documents holds a blank name; each is a document id or a prefix ending in '/'")
    return list(dict.fromkeys(names))


def resolve(names: Sequence[str], stored: Callable[[list[str]], set[str]],
            prefixed: Callable[[str], list[str]], chunks: Callable[[list[str]], list[str]]) -> Scope:
    """The scope `names` name, from the store's answers: `stored` (which of these ids exist),
    `prefixed` (the ids starting with a prefix) and `chunks` (the chunk ids of documents)."""
    names = check_names(names)
    exact = [n for n in names if not is_prefix(n)]
    found = stored(exact) if exact else set()
    missing = [n for n in exact if n not in found]
    for name in names:
        if is_prefix(name):
            ids = prefixed(name)
            found.update(ids)
            if not ids:
                missing.append(name)
    if missing:
        hints = {n: n + "/" for n in missing if not is_prefix(n) and prefixed(n + "/")}
        raise UnknownDocuments(missing, hints)
    return Scope(names=tuple(names), document_ids=frozenset(found), chunk_ids=frozenset(chunks(sorted(found))))
