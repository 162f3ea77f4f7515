"""The model libraries stay offline: nothing downloads weights or phones home.

`ensure_offline()` runs right before this package first imports the Hugging Face stack
(sentence-transformers, transformers, tokenizers, huggingface_hub), because those read
the flags when they load. A value the user set already wins (setdefault).
"""

from __future__ import annotations

import os

FLAGS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",  # our own threads tokenize; the library's pool would oversubscribe
}


def ensure_offline() -> None:
    """Set the offline flags in os.environ unless already set."""
    for name, value in FLAGS.items():
        os.environ.setdefault(name, value)
