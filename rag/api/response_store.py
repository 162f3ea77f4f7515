"""The responses this process keeps, so that a request can continue one (`previous_response_id`)
or fetch it again (GET /v1/responses/{id}).

Kept in memory, per process (another worker, or a restart, knows none of them), and bounded:
the most recent KEPT responses, holding at most KEPT_CHARS characters of conversation together;
the least recently used goes first. A conversation is kept as its last MAX_TURNS turns, the most
/v1/ask takes as `history`, so a chain of responses is read as a long history sent there would be.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from rag.api.schemas import MAX_TURNS
from rag.types import Turn

KEPT = 1000  # responses
KEPT_CHARS = 20_000_000  # characters of conversation and response bodies: tens of MB at most


@dataclass(frozen=True)
class Kept:
    """A response as it was returned, and the conversation up to and including its answer."""

    response: dict
    turns: list[Turn]

    @property
    def size(self) -> int:
        return len(json.dumps(self.response, ensure_ascii=False)) + sum(
            len(t.content) + sum(len(c.text) for c in t.citations) for t in self.turns)


class RecentResponses:
    """A bounded, thread-safe map of response id → Kept (routes run in a thread pool)."""

    def __init__(self, most: int = KEPT, chars: int = KEPT_CHARS):
        self.most, self.chars = most, chars
        self._kept: OrderedDict[str, tuple[Kept, int]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def keep(self, ident: str, response: dict, turns: list[Turn]) -> None:
        kept = Kept(response, turns[-MAX_TURNS:])
        size = kept.size
        with self._lock:
            if ident in self._kept:
                self._held -= self._kept.pop(ident)[1]
            self._kept[ident] = (kept, size)
            self._held += size
            while len(self._kept) > self.most or (self._held > self.chars and len(self._kept) > 1):
                _, (_, dropped) = self._kept.popitem(last=False)
                self._held -= dropped

    def get(self, ident: str) -> Kept | None:
        with self._lock:
            if ident not in self._kept:
                return None
            self._kept.move_to_end(ident)
            return self._kept[ident][0]

    def __len__(self) -> int:
        return len(self._kept)
