"""What every `rag` command shares: the settings its global options name, an engine made from
them, JSON printed as the API would send it, and the check of a question the engine would refuse,
made before anything heavy is loaded."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rag.config import Settings

READS_INDEX = {"ask", "chat", "search", "show", "stats", "documents"}  # a typed-wrong --data-dir makes no index


def quiet_libraries() -> None:
    """No download or weight-loading bars from huggingface/transformers (set before import)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def settings_from(args) -> Settings:
    """Settings from RAG_* variables, with --data-dir and --chroma-url where given."""
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "chroma_url", None):
        overrides["chroma_url"] = args.chroma_url
    return Settings(**overrides)


def engine_for(args):
    from rag.engine import Engine

    return Engine(settings_from(args))


def print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))
