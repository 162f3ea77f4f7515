"""`rag`: a thin command line over the Engine (ingest, ask, chat, search, documents, show, serve, ui,
verify, eval). It formats what the engine returns and adds no answer text of its own.

Global options (--data-dir, --chroma-url) work before or after the command. Commands that
read the index say so when it is empty or missing, naming where they looked. Heavy modules
are imported by the commands that need them, and library progress bars stay off except
`rag ingest`'s own. The commands are in commands.py and eval_commands.py, their options in
arguments.py, what they share in context.py; `main` here checks what is cheap to check and runs one.
"""

from __future__ import annotations

import os
import sys

from pydantic import ValidationError

from rag.cli.arguments import parser
from rag.cli.context import READS_INDEX, quiet_libraries, settings_from
from rag.config import question_problem

__all__ = ["main", "parser"]


def main(argv: list[str] | None = None) -> int:
    from rag.embed.offline import ensure_offline

    ensure_offline()  # before any command imports a model library
    args = parser().parse_args(argv)
    quiet_libraries()  # `rag ingest`'s own bar is plain tqdm: these settings leave it on
    try:
        settings = settings_from(args)
    except ValidationError as err:  # a bad RAG_* value: say which, not a traceback
        for problem in err.errors():
            name = "RAG_" + str(problem["loc"][-1]).upper() if problem["loc"] else "a setting"
            shown = "(hidden)" if name == "RAG_API_TOKEN" else repr(problem.get("input"))  # a secret
            print(f"rag: {name} = {shown}: {problem['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        return 2
    asked = {"ask": ("question", "question"), "search": ("query", "query")}.get(args.command)
    if asked:  # the question first: it is the user's to fix, and cheap to check
        problem = question_problem(getattr(args, asked[0]), settings, asked[1])
        if problem:
            print(f"rag {args.command}: {problem}", file=sys.stderr)
            return 2
    if args.command in READS_INDEX | {"verify"} and not getattr(args, "chroma_url", None):
        from rag.unavailable import index_problem

        problem = index_problem(settings)
        # verify checks an empty index too, but a missing one is a mistyped --data-dir, not an index to make
        if problem and (args.command != "verify" or not settings.store_path.is_file()):
            print(problem, file=sys.stderr)
            return 2
    from rag.scope import UnknownDocuments
    from rag.unavailable import IndexUnavailable

    try:
        code = args.func(args)
        sys.stdout.flush()  # here, so that a reader gone early (`| head`) is caught below
        return code
    except (IndexUnavailable, UnknownDocuments) as err:  # said, with where: no traceback
        print(f"rag {args.command}: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback; a write cut off is safe (docs/design.md)
        kept = ("; the documents written so far are kept (a file cut off is read again): "
                "run it again to ingest the rest") if args.command == "ingest" else ""
        print(f"\nrag {args.command}: interrupted{kept}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `rag stats | head`: the reader left, which is no error to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so exit's flush cannot raise again
        return 0
