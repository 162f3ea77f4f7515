"""`rag eval`: its parser (`run`, `check`, and `rag eval DATASET`, the deprecated spelling of
`run`) and its two commands, which print the library's typed reports and turn gates into the
exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rag.cli.context import settings_from


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
    folder = Path(args.report) if args.report else settings_from(args).eval_reports_dir
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


def eval_parser(command, after: argparse.ArgumentParser) -> None:
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
