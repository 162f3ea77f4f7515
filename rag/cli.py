"""`rag`: a thin command line over the Engine (ingest, ask, chat, search, show, serve, ui,
verify, eval). It formats what the engine returns and adds no answer text of its own.

Global options (--data-dir, --chroma-url) work before or after the command. Commands that
read the index say so when it is empty or missing, naming where they looked. Heavy modules
are imported by the commands that need them, and library progress bars stay off except
`rag ingest`'s own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from pydantic import ValidationError

from rag.config import Settings

READS_INDEX = {"ask", "chat", "search", "show", "stats"}  # a typed-wrong --data-dir makes no index


def _quiet_libraries() -> None:
    """No download or weight-loading bars from huggingface/transformers (set before import)."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _question_problem(question: str, settings: Settings) -> str | None:
    if not question.strip():
        return "the question is blank"
    limit = settings.answer.max_question_chars
    if len(question) > limit:
        return f"the question is {len(question):,} characters; the limit is {limit:,} (RAG_MAX_QUESTION_CHARS)"
    return None


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


def _settings(args) -> Settings:
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    if getattr(args, "chroma_url", None):
        overrides["chroma_url"] = args.chroma_url
    return Settings(**overrides)


def _engine(args):
    from rag.engine import Engine

    return Engine(_settings(args))


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def cmd_ingest(args) -> int:
    if not Path(args.path).exists():  # before an index folder is made for nothing
        print(f"rag ingest: {args.path} does not exist", file=sys.stderr)
        return 2
    with _engine(args) as engine:
        report = engine.ingest(Path(args.path), prune=args.prune, progress=not args.json,
                               claim_unplaced=args.claim_unplaced)
    if args.json:
        _print_json(report.as_dict())
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

    with _engine(args) as engine:
        answer = engine.ask(args.question, max_quotes=args.max_quotes, documents=args.doc)
        print(answer.model_dump_json(indent=2) if args.json else as_text(answer, engine.settings), flush=True)
        engine.save_query_copy()  # after the answer: the next `rag ask` starts without torch
    return 0


def cmd_chat(args) -> int:
    from rag.render import as_text
    from rag.types import Turn

    history: list[Turn] = []
    with _engine(args) as engine:
        if args.doc:  # a mistyped --doc is said before any question; each question resolves it afresh
            engine.scope(args.doc)
        engine.serving()
        print("Ask a question (empty line or Ctrl-D to quit).")
        while question := _next_question():
            problem = _question_problem(question, engine.settings)
            if problem:  # said, and the conversation goes on
                print(f"{problem}; ask it shorter.\n", file=sys.stderr)
                continue
            answer = engine.ask(question, history=history, documents=args.doc)
            print(as_text(answer, engine.settings) + "\n")
            history += [Turn(role="user", content=question),
                        Turn(role="assistant", content="\n".join(q.text for q in answer.quotes),
                             citations=[q.model_dump() for q in answer.quotes])]
    return 0


def _next_question() -> str:
    """The next line typed at `rag chat`'s prompt; empty at an empty line or end of input."""
    try:
        return input("> ").strip()
    except EOFError:
        return ""


def cmd_search(args) -> int:
    with _engine(args) as engine:
        hits = engine.search(args.query, k=args.k, mode=args.mode, read=args.read, documents=args.doc)
    if args.json:
        _print_json([h.model_dump() for h in hits])
    else:
        for n, hit in enumerate(hits, start=1):
            read = "" if hit.reader is None else f" read {hit.reader:.2f}"
            print(f"[{n}] {hit.score:.4f}{read} {hit.document_id} {hit.start}–{hit.end}\n    {hit.text[:300]}\n")
    return 0


def cmd_show(args) -> int:
    with _engine(args) as engine:
        document = engine.document(args.document_id)
    if document is None:
        print(f"no document {args.document_id!r}; `rag search` or GET /v1/documents lists them",
              file=sys.stderr)
        return 2
    if args.json:
        _print_json(document.model_dump())
    else:
        print(f"{document.title}\n{document.source}\n\n{document.text}")
    return 0


def cmd_config(args) -> int:
    """Every setting: its RAG_ variable, the value in effect here, and what it does."""
    from rag.config import GROUPS, described

    settings = _settings(args)
    rows = []
    for group, variable, _, description in described():
        name = variable.removeprefix("RAG_").lower()
        value = getattr(getattr(settings, group) if group in GROUPS else settings, name)
        rows.append({"group": group, "variable": variable, "value": value, "description": description})
    if args.json:
        _print_json([{**row, "value": None if row["value"] is None else str(row["value"])} for row in rows])
        return 0
    for group in dict.fromkeys(row["group"] for row in rows):
        print(f"[{group}]")
        for row in (r for r in rows if r["group"] == group):
            print(f"  {row['variable']}={'' if row['value'] is None else row['value']}\n      {row['description']}")
    return 0


def cmd_stats(args) -> int:
    with _engine(args) as engine:
        _print_json(engine.stats().model_dump())
    return 0


def cmd_verify(args) -> int:
    with _engine(args) as engine:
        report = engine.verify(repair=args.repair)
    _print_json(report.model_dump())
    return 0 if report.ok or args.repair else 1


def cmd_serve(args) -> int:
    import uvicorn

    from rag.api.app import create_app

    settings = _settings(args)
    if settings.runtime.serve_threads:
        import torch

        torch.set_num_threads(settings.runtime.serve_threads)
    uvicorn.run(create_app(settings, host=args.host), host=args.host, port=args.port, log_level="info")
    return 0


def cmd_mcp(args) -> int:
    from rag.integrations.mcp_server import serve

    return serve(_settings(args), http=args.http, host=args.host, port=args.port)


def cmd_ui(args) -> int:
    app = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    env = dict(os.environ, RAG_API_URL=args.api_url)
    return subprocess.call([sys.executable, "-m", "streamlit", "run", str(app), "--server.port",
                            str(args.port), "--server.address", args.host, "--server.headless", "true",
                            "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"], env=env)


def cmd_eval(args) -> int:
    """`rag eval run DATASET` runs an eval; `rag eval check ANSWERS.jsonl` checks others' citations.
    The library returns typed reports; this prints them and turns gates into the exit code."""
    from rag.evaluate.models import EvalInputError

    if getattr(args, "eval_alias", False):
        print(f"`rag eval DATASET` is deprecated: use `rag eval run {args.dataset}`", file=sys.stderr)
    try:
        return _eval_check(args) if args.eval_command == "check" else _eval_run(args)
    except EvalInputError as err:
        print(err, file=sys.stderr)
        return 2


def _eval_run(args) -> int:
    from rag.evaluate import report as reporting
    from rag.evaluate.run import check_gates, run

    report = run(Path(args.dataset), corpus=Path(args.corpus) if args.corpus else None,
                 data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None,
                 limit=args.limit, baselines=args.baselines)
    for reason in report.not_ingested:  # skipped files and records: said, not fatal
        print(f"  not ingested: {reason}", file=sys.stderr)
    # where the API's Eval page reads reports (RAG_EVAL_REPORTS_DIR), unless told otherwise; a
    # --limit run is a smoke run and never takes the name of the dataset's full report
    folder = Path(args.report) if args.report else _settings(args).eval_reports_dir
    paths = reporting.write(report, folder, f"{report.dataset}-first{args.limit}" if args.limit else report.dataset)
    print(reporting.terminal(reporting.system_rows(report)))
    if report.by_kind:
        print("\n" + reporting.terminal(reporting.kind_rows(report)))
    if report.retrieval:
        print("\n" + reporting.terminal(reporting.retrieval_rows(report)))
    print("\nreports: " + ", ".join(str(p) for p in paths))
    failures = check_gates(report.gate_metrics(), args.fail_under)
    if report.violations:
        failures.append(f"{len(report.violations)} faithfulness violations")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


def _eval_check(args) -> int:
    from rag.evaluate.check import check_answers
    from rag.evaluate.report import check_terminal

    result = check_answers(Path(args.answers), corpus=Path(args.corpus) if args.corpus else None,
                           data_dir=Path(args.data_dir) if getattr(args, "data_dir", None) else None)
    print(result.to_json() if args.json else check_terminal(result))
    if args.output:
        Path(args.output).write_text(result.to_json(indent=1), encoding="utf-8")
    return 0 if result.all_verbatim() else 1


class _EvalCommands(argparse._SubParsersAction):
    """`run` and `check`; a first word that is neither is the deprecated `rag eval DATASET`
    (older scripts use it), read as `rag eval run DATASET`. argparse checks the word against
    `choices` before calling the action, so `choices` admits any word and the action decides."""

    class _AnyWord(dict):
        def __contains__(self, word) -> bool:
            return True

    def admit_any_word(self) -> None:
        """Called once `run` and `check` are added (add_parser refuses names already 'in' it)."""
        self._name_parser_map = self.choices = self._AnyWord(self._name_parser_map)

    def __call__(self, parser, namespace, values, option_string=None):
        if values and values[0] not in self._name_parser_map.keys():
            values = ["run", *values]
            namespace.eval_alias = True
        super().__call__(parser, namespace, values, option_string)


def _eval_parser(command, after: argparse.ArgumentParser) -> None:
    p = command("eval", help="offline eval: `eval run DATASET`, `eval check ANSWERS.jsonl`",
                description="rag eval run DATASET: ask every question and report metrics. "
                            "rag eval check ANSWERS.jsonl: classify another system's citations "
                            "(verbatim, misattributed, stitched, unsupported).")
    p.set_defaults(func=cmd_eval, eval_alias=False)
    sub = p.add_subparsers(dest="eval_command", required=True, action=_EvalCommands, metavar="{run,check}")

    r = sub.add_parser("run", parents=[after], help="ask every question of a dataset; JSON, Markdown and PNG reports")
    r.add_argument("dataset", help="native .jsonl, SQuAD 2.0 .json, a BEIR folder, WikiQA .tsv(.gz) or SciFact")
    r.add_argument("--corpus", help="use this corpus folder (a temporary index) instead of --data-dir")
    r.add_argument("--limit", type=int, default=0, help="the first N questions only")
    r.add_argument("--baselines", action=argparse.BooleanOptionalAction, default=None,
                   help="also run bm25-only, dense-only and top-chunk (default: on up to 300 questions)")
    r.add_argument("--fail-under", default="", help="metric=value,... exits 1 when below (e.g. hybrid.ndcg@10=0.5)")
    r.add_argument("--report", default=None, help="folder for JSON, Markdown and PNG reports (default: the one "
                                                   "the API's Eval page serves, RAG_EVAL_REPORTS_DIR)")

    c = sub.add_parser("check", parents=[after], help="classify another system's citations against a corpus")
    c.add_argument("answers", help="JSONL of {question, answer, citations: [{document_id, text, start?, end?}]}")
    c.add_argument("--corpus", help="a corpus folder to check against, instead of the index in --data-dir")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.add_argument("--output", help="also write the JSON result here")
    sub.admit_any_word()


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
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=cmd_serve)

    p = command("mcp", help="serve the corpus to MCP clients (stdio, or streamable HTTP with --http)")
    p.add_argument("--http", action="store_true", help="streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    p.add_argument("--host", default="127.0.0.1", help="with --http: address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="with --http: port (default 8765)")
    p.set_defaults(func=cmd_mcp)

    p = command("ui", help="start the Streamlit UI")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8501, help="port (default 8501)")
    p.add_argument("--api-url", default=os.environ.get("RAG_API_URL", "http://127.0.0.1:8000"),
                   help="the Attest API the UI talks to (RAG_API_URL; default http://127.0.0.1:8000)")
    p.set_defaults(func=cmd_ui)

    _eval_parser(command, after)
    return top


def main(argv: list[str] | None = None) -> int:
    from rag.embed.offline import ensure_offline

    ensure_offline()  # before any command imports a model library
    args = parser().parse_args(argv)
    if args.command != "ingest":
        _quiet_libraries()
    try:
        settings = _settings(args)
    except ValidationError as err:  # a bad RAG_* value: say which, not a traceback
        for problem in err.errors():
            name = "RAG_" + str(problem["loc"][-1]).upper() if problem["loc"] else "a setting"
            shown = "(hidden)" if name == "RAG_API_TOKEN" else repr(problem.get("input"))  # a secret
            print(f"rag: {name} = {shown}: {problem['msg']}", file=sys.stderr)
        return 2
    if args.command == "ask":  # the question first: it is the user's to fix, and cheap to check
        problem = _question_problem(args.question, settings)
        if problem:
            print(f"rag ask: {problem}", file=sys.stderr)
            return 2
    if args.command in READS_INDEX and not getattr(args, "chroma_url", None):
        from rag.store import index_problem

        problem = index_problem(settings)
        if problem:
            print(problem, file=sys.stderr)
            return 2
    from rag.scope import UnknownDocuments
    from rag.store import IndexUnavailable

    try:
        code = args.func(args)
        sys.stdout.flush()  # here, so that a reader gone early (`| head`) is caught below
        return code
    except (IndexUnavailable, UnknownDocuments) as err:  # said, with where: no traceback
        print(f"rag {args.command}: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `rag stats | head`: the reader left, which is no error to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so exit's flush cannot raise again
        return 0


if __name__ == "__main__":
    sys.exit(main())
