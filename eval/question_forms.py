"""Questions as people type them: the SQuAD tune half asked as written, lowercased, and
lowercased without the final "?" (tune: WikiQA's search questions look like the last two).

Run: python eval/question_forms.py [--articles harvard-university,normans] [--out FILE]
[--data-dir DIR]. Corpus: all ten dev-part articles (open corpus, as eval/reader_report.py);
questions: the tune-half articles' (eval/train_reader.py), or the named ones. Attest answers
every question in every form from the same index, interleaved per question; the JSON holds
supported / answered / declined per form and each question's outcome, so two commits'
runs can be compared question by question. A --data-dir kept between runs is ingested once.
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
from eval.train_reader import SQUAD_DEV, dev_tune_articles, slug  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate.run import ask_all, score  # noqa: E402
from rag.evaluate.squad import questions_of, write_articles  # noqa: E402

METRICS = ("supported", "first_quote", "answered", "declined_unanswerable", "words_per_answer", "questions")
FORMS = {"as-written": lambda q: q,
         "lowercase": lambda q: q.lower(),
         "lowercase-no-mark": lambda q: q.lower().strip().rstrip("?").rstrip()}


def tune_questions(articles: set[str]) -> list:
    data = json.loads(SQUAD_DEV.read_text())["data"]
    return [q for a in data if slug(a["title"]) in articles for q in questions_of(a)]


def outcome(record) -> str:
    """One question's result in a word: supported, unsupported (answered without the gold),
    declined, or for an unanswerable question answered / declined."""
    if not record.answerable:
        return "declined" if not record.answer.answered else "answered"
    if not record.answer.answered:
        return "declined"
    return "supported" if record.supported else "unsupported"


def run(articles: set[str], data_dir: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_articles(SQUAD_DEV, corpus)
        engine = ingested(Engine(Settings(data_dir=data_dir)), corpus)
    engine.serving()
    engine.ask("warm up")
    questions = tune_questions(articles)
    systems = {name: (lambda form: lambda q, h: engine.ask(form(q), history=h))(form) for name, form in FORMS.items()}
    # each form answers its own wording of the same question: ask_all sends one text to all
    # systems, so the systems here reword it themselves, and the records keep the original
    answers = ask_all(questions, systems)
    out = {"articles": sorted(articles), "forms": {}, "questions": {}}
    for name, got in answers.items():
        metrics = score(engine, *got).metrics.values()
        out["forms"][name] = {k: v for k, v in metrics.items() if k in METRICS}
        for record in got[0]:
            out["questions"].setdefault(record.id, {"question": record.question})[name] = outcome(record)
    engine.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="", help="comma-separated article slugs (default: the tune half)")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "question_forms.json")
    parser.add_argument("--data-dir", type=Path, default=None, help="an index to keep between runs")
    args = parser.parse_args()
    articles = set(filter(None, args.articles.split(","))) or dev_tune_articles()
    unknown = articles - dev_tune_articles()
    if unknown:
        raise SystemExit(f"--articles: {sorted(unknown)} are not tune-half articles ({sorted(dev_tune_articles())})")
    with tempfile.TemporaryDirectory() as tmp:
        out = run(articles, args.data_dir or Path(tmp) / "data")
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out["forms"], indent=1))


if __name__ == "__main__":
    main()
