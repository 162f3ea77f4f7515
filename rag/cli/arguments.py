"""The `rag` argument parser: every command, its options and its help, and the global options
(--data-dir, --chroma-url), which work before or after the command. Values are checked here as
the API checks them (ranges, blank ids), so a mistyped option is an argparse error."""

from __future__ import annotations

import argparse
import os

from rag.cli.commands import (cmd_ask, cmd_chat, cmd_config, cmd_documents, cmd_ingest, cmd_mcp, cmd_search,
                              cmd_serve, cmd_show, cmd_stats, cmd_ui, cmd_verify)
from rag.cli.eval_commands import eval_parser


def _bounded(low: int, high: int):
    """An argparse type: an integer in [low, high], as the API accepts it."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low} to {high}")
        return value
    return parse


def _doc_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--doc", action="append", metavar="ID", type=_document_name,
                        help="only within this document id, or every id under a prefix ending in '/' "
                             "(e.g. wikipedia/); repeat for more")


def _document_name(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("a document id or a prefix ending in '/', not blank")
    return text


def _global_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--data-dir", default=default, help="index folder (default ./data, or RAG_DATA_DIR)")
    parser.add_argument("--chroma-url", default=default,
                        help="use a Chroma server, e.g. http://127.0.0.1:8001 (RAG_CHROMA_URL)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="rag", description="Attest: answers made only of cited quotes.")
    _global_options(top, None)
    # the same options after the command; SUPPRESS keeps a value given before it
    after = argparse.ArgumentParser(add_help=False)
    _global_options(after, argparse.SUPPRESS)
    sub = top.add_subparsers(dest="command", required=True)

    def command(name: str, **kwargs) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[after], **kwargs)  # every command takes them

    p = command("ingest", help="ingest a folder or file (incremental)")
    p.add_argument("path", help="a folder (walked recursively) or one file")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--claim-unplaced", action="store_true",
                   help="with --prune: files an index from before folders were recorded holds with no "
                        "folder, and that are not in this one, are taken as this folder's and pruned "
                        "(only when every such file came from it)")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.set_defaults(func=cmd_ingest)

    p = command("ask", help="answer one question with quotes")
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--json", action="store_true", help="the whole answer as JSON (quotes with offsets)")
    p.add_argument("--max-quotes", type=_bounded(1, 10), default=None,
                   help="at most this many quotes, 1 to 10 (default: the setting, RAG_MAX_QUOTES)")
    _doc_option(p)
    p.set_defaults(func=cmd_ask)

    p = command("chat", help="multi-turn questions in the terminal")
    _doc_option(p)
    p.set_defaults(func=cmd_chat)

    p = command("search", help="ranked chunks for a query")
    p.add_argument("query", help="the words to search for, in quotes")
    p.add_argument("-k", type=_bounded(1, 100), default=5, help="how many chunks, 1 to 100 (default 5)")
    p.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid",
                   help="retrieval: hybrid (default), dense vectors only, or BM25 only")
    p.add_argument("--read", action="store_true",
                   help="rerank the chunks answering would read by their best sentence's quote probability")
    p.add_argument("--json", action="store_true", help="the hits as JSON, with offsets")
    _doc_option(p)
    p.set_defaults(func=cmd_search)

    p = command("documents", help="the stored documents: id and title, in id order")
    p.add_argument("filter", nargs="?", default="", help="only ids or titles holding this text")
    p.add_argument("--limit", type=_bounded(1, 1_000_000), default=1000, help="at most this many (default 1000)")
    p.add_argument("--json", action="store_true", help="{total, documents: [{id, title, ...}]} as JSON")
    p.set_defaults(func=cmd_documents)

    p = command("show", help="a document's stored text and metadata")
    p.add_argument("document_id", help="as quotes cite it, e.g. wikipedia/normans")
    p.add_argument("--json", action="store_true", help="text and metadata as JSON")
    p.set_defaults(func=cmd_show)

    p = command("stats", help="index statistics")
    p.set_defaults(func=cmd_stats)

    p = command("config", help="every setting (RAG_* variables): the value in effect and what it does")
    p.add_argument("--json", action="store_true", help="the settings as JSON")
    p.set_defaults(func=cmd_config)

    p = command("verify", help="check store, Chroma and BM25 agree")
    p.add_argument("--repair", action="store_true", help="make them agree: drop vectors of no stored chunk, "
                                                          "embed again documents missing any, rebuild BM25")
    p.set_defaults(func=cmd_verify)

    p = command("serve", help="start the HTTP API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_bounded(1, 65535), default=8000, help="port (default 8000)")
    p.set_defaults(func=cmd_serve)

    p = command("mcp", help="serve the corpus to MCP clients (stdio, or streamable HTTP with --http)")
    p.add_argument("--http", action="store_true", help="streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="with --http: address (default 127.0.0.1)")
    p.add_argument("--port", type=_bounded(1, 65535), default=8765, help="with --http: port (default 8765)")
    p.set_defaults(func=cmd_mcp)

    p = command("ui", help="start the Streamlit UI")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_bounded(1, 65535), default=8501, help="port (default 8501)")
    p.add_argument("--api-url", default=os.environ.get("RAG_API_URL", "http://127.0.0.1:8000"),
                   help="the Attest API the UI talks to (RAG_API_URL; default http://127.0.0.1:8000)")
    p.set_defaults(func=cmd_ui)

    eval_parser(command, after)
    return top
