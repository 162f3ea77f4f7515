"""What every `rag` command shares: the settings its global options name, an engine made from
them, JSON printed as the API would send it, and the checks made before anything heavy is loaded
(a port already taken)."""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
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
    """The engine over the index the options name. Before a question, chunks without a vector are
    said with the fix: answers would otherwise be found by BM25 alone for them, unseen."""
    from rag.engine import Engine

    engine = Engine(settings_from(args))
    missing = engine.missing_vectors() if args.command in {"ask", "chat", "search"} else 0
    if missing:
        print(f"rag {args.command}: stored chunks without a vector: {missing:,} (only words find them); "
              f"`rag verify --repair` embeds them again", file=sys.stderr)
    return engine


def print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def port_problem(host: str, port: int) -> str | None:
    """Why `rag serve`, `rag ui` or `rag mcp --http` cannot listen at host:port, checked before the engine
    loads: uvicorn said it only after loading it, twenty seconds on, and exited 3."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as err:
        return f"cannot listen on {host!r} ({err.strerror}): give --host an address of this machine"
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use: stop what uses it, or choose another --port"
            return f"cannot listen on {host}:{port} ({err.strerror})"
    return None
