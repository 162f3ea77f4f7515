"""The `rag` commands other than `eval`, each a thin shell over the Engine: it formats what the
engine returns and adds no answer text of its own. Heavy modules are imported by the commands
that need them, and library progress bars stay off except `rag ingest`'s own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from rag.cli.context import engine_for, port_problem, print_json, settings_from
from rag.config import question_problem


def cmd_ingest(args) -> int:
    if not Path(args.path).exists():  # before an index folder is made for nothing
        print(f"rag ingest: {args.path} does not exist", file=sys.stderr)
        return 2
    with engine_for(args) as engine:
        report = engine.ingest(Path(args.path), prune=args.prune, progress=not args.json,
                               claim_unplaced=args.claim_unplaced)
    if args.json:
        print_json(report.as_dict())
    else:
        print(f"added {len(report.added)}, updated {len(report.updated)}, unchanged {report.unchanged}, "
              f"removed {len(report.removed)}, chunks written {report.chunks}, failed {len(report.failed)}")
        print(report.formats_line())
        for reason in report.failed.values():
            print(f"  FAILED {reason}", file=sys.stderr)
        for reason in report.kept.values():
            print(f"  KEPT {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_ask(args) -> int:
    from rag.render import as_text

    with engine_for(args) as engine:
        answer = engine.ask(args.question, max_quotes=args.max_quotes, documents=args.doc)
        print(answer.model_dump_json(indent=2) if args.json else as_text(answer, engine.settings), flush=True)
        engine.save_query_copy()  # after the answer: the next `rag ask` starts without torch
    return 0


def cmd_chat(args) -> int:
    from rag.render import as_text, read_as
    from rag.types import Turn

    history: list[Turn] = []
    with engine_for(args) as engine:
        if args.doc:  # a mistyped --doc is said before any question; each question resolves it afresh
            engine.scope(args.doc)
        engine.serving()
        print("Ask a question (empty line or Ctrl-D to quit).")
        while question := _next_question():
            problem = question_problem(question, engine.settings)
            if problem:  # said, and the conversation goes on
                print(f"{problem}; ask it shorter.\n", file=sys.stderr)
                continue
            answer = engine.ask(question, history=history, documents=args.doc)
            if read_as(answer):  # a follow-up: say how it was read, as the UI does
                print(f"({read_as(answer)})")
            print(as_text(answer, engine.settings) + "\n")
            history += [Turn(role="user", content=question),
                        Turn.replying(answer, "\n".join(q.text for q in answer.quotes))]
    return 0


def _next_question() -> str:
    """The next line typed at `rag chat`'s prompt; empty at an empty line or end of input. Read
    from a pipe or here-doc, it is shown after the prompt, as a terminal would have echoed it: the
    transcript had answers under bare prompts."""
    try:
        question = input("> ").strip()
    except EOFError:
        return ""
    if not sys.stdin.isatty():
        print(question)
    return question


def cmd_search(args) -> int:
    with engine_for(args) as engine:
        hits = engine.search(args.query, k=args.k, mode=args.mode, read=args.read, documents=args.doc)
    if args.json:
        print_json([h.model_dump() for h in hits])
    else:
        for n, hit in enumerate(hits, start=1):
            read = "" if hit.reader is None else f" read {hit.reader:.2f}"
            # every line of the chunk indented under its header: a chunk's own line breaks ran flush left
            print(f"[{n}] {hit.score:.4f}{read} {hit.document_id} {hit.start}–{hit.end}\n"
                  f"{textwrap.indent(hit.text[:300], '    ')}\n")
    return 0


def cmd_documents(args) -> int:
    """The stored documents' ids and titles, in id order, as GET /v1/documents lists them."""
    from rag.render import one_line

    with engine_for(args) as engine:
        total, rows = engine.count_documents(args.filter), engine.documents(0, args.limit, args.filter)
    if args.json:
        print_json({"total": total, "documents": [row.model_dump() for row in rows]})
        return 0
    for row in rows:
        print(f"{row.id}\t{one_line(row.title or '')}")
    if total > len(rows):  # said apart from the list, so that `cut -f1` reads ids only
        print(f"{len(rows)} of {total} documents shown: --limit N, or a filter, for the others", file=sys.stderr)
    elif not rows:
        print(f"no document id or title holds {args.filter!r}", file=sys.stderr)
    return 0


def cmd_show(args) -> int:
    with engine_for(args) as engine:
        document = engine.document(args.document_id)
        near = [] if document else [row.id for row in engine.documents(0, 5, args.document_id.strip("/"))]
    if document is None:  # the ids holding what was typed ("normans"), as `rag documents normans` lists them
        hint = f"ids holding it: {', '.join(near)}" if near else "`rag documents` or GET /v1/documents lists them"
        print(f"rag show: no document {args.document_id!r}; {hint}", file=sys.stderr)
        return 2
    if args.json:
        print_json(document.model_dump())
    else:
        print(f"{document.title}\n{document.source}\n\n{document.text}")
    return 0


def cmd_config(args) -> int:
    """Every setting: its RAG_ variable, the value in effect here, and what it does."""
    from rag.config import GROUPS, described

    settings = settings_from(args)
    rows = []
    for group, variable, _, description in described():
        name = variable.removeprefix("RAG_").lower()
        value = getattr(getattr(settings, group) if group in GROUPS else settings, name)
        rows.append({"group": group, "variable": variable, "value": value, "description": description})
    if args.json:
        print_json([{**row, "value": None if row["value"] is None else str(row["value"])} for row in rows])
        return 0
    for group in dict.fromkeys(row["group"] for row in rows):
        print(f"[{group}]")
        for row in (r for r in rows if r["group"] == group):
            print(f"  {row['variable']}={'' if row['value'] is None else row['value']}\n      {row['description']}")
    return 0


def cmd_stats(args) -> int:
    with engine_for(args) as engine:
        print_json(engine.stats().model_dump())
    return 0


def cmd_verify(args) -> int:
    with engine_for(args) as engine:
        report = engine.verify(repair=args.repair)
    print_json(report.model_dump())
    return 0 if report.ok or report.repaired else 1


def cmd_serve(args) -> int:
    taken = port_problem(args.host, args.port)
    if taken:
        print(f"rag serve: {taken}", file=sys.stderr)
        return 2
    import uvicorn

    from rag.api.app import create_app
    from rag.unavailable import index_problem

    settings = settings_from(args)
    problem = index_problem(settings)
    if problem:  # it serves anyway (uploads fill it), but a mistyped --data-dir must not pass unseen
        print(f"rag serve: {problem}. Serving it as it is: every question declines until documents are "
              f"ingested there or uploaded (POST /v1/documents).", file=sys.stderr, flush=True)
    if settings.runtime.serve_threads:
        import torch

        torch.set_num_threads(settings.runtime.serve_threads)
    uvicorn.run(create_app(settings, host=args.host), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_mcp(args) -> int:
    taken = port_problem(args.host, args.port) if args.http else None
    if taken:
        print(f"rag mcp: {taken}", file=sys.stderr)
        return 2
    from rag.integrations.mcp_server import serve

    return serve(settings_from(args), http=args.http, host=args.host, port=args.port)


def cmd_ui(args) -> int:
    taken = port_problem(args.host, args.port)
    if taken:
        print(f"rag ui: {taken}", file=sys.stderr)
        return 2
    app = Path(__file__).resolve().parents[2] / "ui" / "app.py"
    env = dict(os.environ, RAG_API_URL=args.api_url)
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
               "--server.address", args.host, "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"]
    if os.name == "posix":  # `rag ui` becomes Streamlit: a child would outlive a `kill` of it, holding the port
        os.execve(sys.executable, command, env)
    return subprocess.call(command, env=env)
