"""What the reading model reads: one (question, passage) pair per candidate sentence.

The passage is the document's title, the sentence, and then the sentence before it as
context, so that "it" or "he" at the start of a sentence can be resolved. The context
comes last so that truncation to the token budget drops context before the sentence.
Training (eval/train_reader.py) and the answer path (rag/embed/reader.py) build pairs with
this one function, so the model reads at run time exactly what it was trained on.
"""

from __future__ import annotations

MAX_TOKENS = 64  # question + passage, in MiniLM word pieces
CONTEXT_CHARS = 200  # of the previous sentence, at most


def passage(title: str, sentence: str, previous: str = "") -> str:
    """`title: sentence | previous sentence` (the context part only when there is one)."""
    text = f"{title.strip()}: {sentence.strip()}" if title.strip() else sentence.strip()
    context = " ".join(previous.split())[-CONTEXT_CHARS:]
    return f"{text} | {context}" if context else text
