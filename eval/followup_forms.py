"""Follow-ups as people type them in chat: the conversation sets asked as written, lowercased,
without their "?", and both (the forms of eval/question_forms.py); and each of those with a
"user-only" history ("user-only", "user-only-lowercase", ...): the same conversations with the
assistant turns taken out, as an API client that sends only its user's turns asks them.

A person who types "what about japan" typed the question before it the same way, so a form
rewrites every user turn of a conversation; the assistant turns are quotes and stay as they are.
Run: python eval/followup_forms.py [--sets tune,tune2,probe,probe2,report] [--forms as-written,lowercase]
[--data-dir DIR] [--out FILE]. Default sets: the tune-side conversation sets (never the held-out
one). Attest answers every form of a question from the same index, interleaved per question;
the JSON holds supported / answered / declined per set and form, and each question's outcome,
resolved query and first quote, so two commits' runs can be compared question by question. A
--data-dir kept between runs is ingested once (from corpus/).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.harness import ingested  # noqa: E402
from eval.question_forms import FORMS as QUESTION_FORMS, METRICS, outcome  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate.run import ask_all, load_dataset, score  # noqa: E402
from rag.types import Turn  # noqa: E402

SETS = {name: REPO / f"eval/datasets/conversations-{name}.jsonl" for name in ("tune", "tune2", "probe", "probe2", "report")}
TYPED = {**QUESTION_FORMS, "no-mark": lambda q: q.strip().rstrip("?").rstrip()}
USER_ONLY = "user-only"
# a form: how the user turns are typed, and whether the history keeps its assistant turns
FORMS = {**{name: (form, False) for name, form in TYPED.items()},
         USER_ONLY: (TYPED["as-written"], True),
         **{f"{USER_ONLY}-{name}": (form, True) for name, form in TYPED.items() if name != "as-written"}}


def typed(form, history: list[Turn], user_only: bool = False) -> list[Turn]:
    """The conversation as the same person typed it: every user turn in the form; user_only
    takes the assistant turns out."""
    return [turn.model_copy(update={"content": form(turn.content)}) if turn.role == "user" else turn
            for turn in history if turn.role == "user" or not user_only]


def run_set(engine: Engine, path: Path, forms: list[str]) -> dict:
    questions = load_dataset(path)
    systems = {name: (lambda form, user_only: lambda q, h: engine.ask(form(q), history=typed(form, h, user_only)))(
        *FORMS[name]) for name in forms}
    answers = ask_all(questions, systems)
    out = {"forms": {}, "questions": {}}
    for name, got in answers.items():
        out["forms"][name] = {k: v for k, v in score(engine, *got).metrics.values().items() if k in METRICS}
        for record in got[0]:
            row = out["questions"].setdefault(record.id, {"question": record.question})
            quote = record.answer.quotes[0].text if record.answer.quotes else ""
            row[name] = {"outcome": outcome(record), "query": record.answer.query, "first_quote": quote[:160]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="tune,tune2,probe,probe2", help=f"comma-separated, of {sorted(SETS)}")
    parser.add_argument("--forms", default=",".join(FORMS), help=f"comma-separated, of {list(FORMS)}")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "followup_forms.json")
    parser.add_argument("--data-dir", type=Path, default=None, help="an index of corpus/ to keep between runs")
    args = parser.parse_args()
    sets, forms = args.sets.split(","), args.forms.split(",")
    if unknown := [s for s in sets if s not in SETS] + [f for f in forms if f not in FORMS]:
        raise SystemExit(f"unknown sets or forms: {unknown} (sets: {sorted(SETS)}; forms: {list(FORMS)})")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        fresh = not (data_dir / "store.sqlite").exists()  # before the engine, which creates it
        engine = Engine(Settings(data_dir=data_dir))
        if fresh:
            ingested(engine, REPO / "corpus")
        engine.serving()
        engine.ask("warm up")
        out = {name: run_set(engine, SETS[name], forms) for name in sets}
        engine.close()
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({name: got["forms"] for name, got in out.items()}, indent=1))


if __name__ == "__main__":
    main()
