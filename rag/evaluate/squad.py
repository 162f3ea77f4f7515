"""SQuAD 2.0 JSON as Attest data: one Markdown document per article, and eval questions.

Text from SQuAD is Wikipedia text under CC BY-SA 4.0 (Rajpurkar, Jia and Liang, 2018);
the documents built here carry that attribution in their front matter.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from rag.evaluate.models import EvalInputError

ATTRIBUTION = ("Wikipedia text via SQuAD 2.0 (Rajpurkar, Jia and Liang, 2018), "
               "licensed CC BY-SA 4.0")


class EvalQuestion(BaseModel):
    """The native eval record (one JSONL line)."""

    id: str
    question: str
    answers: list[str] = Field(default_factory=list)
    answerable: bool = True
    gold_document_ids: list[str] = Field(default_factory=list)
    history: list[dict] = Field(default_factory=list)
    kind: str = Field("", description="Conversations: what the follow-up leans on (pronoun, then, ellipsis, ...).")

    @field_validator("id", mode="before")
    @classmethod
    def _number_id(cls, value):  # "id": 1 is as good an id as "1"
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def slug(title: str) -> str:
    """An article's id: its title's ASCII letters and digits ("Frédéric_Chopin" →
    "fr-d-ric-chopin", as the shipped splits name it), or, for a title with none ("Париж"),
    its letters as they are."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or re.sub(r"[\W_]+", "-", title.lower()).strip("-")


def article_markdown(article: dict) -> str:
    title = article["title"].replace("_", " ")
    body = "\n\n".join(p["context"].strip() for p in article["paragraphs"])
    return (f"---\nid: wikipedia/{slug(article['title'])}\ntitle: {json.dumps(title)}\n"
            f"source: https://en.wikipedia.org/wiki/{article['title']}\n"
            f"license: {json.dumps(ATTRIBUTION)}\n---\n\n# {title}\n\n{body}\n")


def write_articles(squad_json: Path, folder: Path) -> list[Path]:
    data = json.loads(squad_json.read_text())["data"]
    slugs = [slug(article["title"]) for article in data]
    clashes = sorted({s for s in slugs if slugs.count(s) > 1 or not s})
    if clashes:  # one file per id: a second article of the same id would replace the first unseen
        raise EvalInputError(f"{squad_json}: articles whose titles give the same id (or none): {clashes}; "
                             f"give each article its own title")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in data:
        path = folder / f"{slug(article['title'])}.md"
        path.write_text(article_markdown(article))
        paths.append(path)
    return paths


def questions_of(article: dict) -> list[EvalQuestion]:
    """An article's questions; answerable ones name the article's document as gold."""
    gold = f"wikipedia/{slug(article['title'])}"
    out = []
    for paragraph in article["paragraphs"]:
        for qa in paragraph["qas"]:
            # a SQuAD 2.0 file converted without "is_impossible" marks them by no answers
            answerable = not qa.get("is_impossible", False) and bool(qa.get("answers"))
            out.append(EvalQuestion(
                id=qa["id"], question=qa["question"], answerable=answerable,
                answers=sorted({a["text"] for a in qa.get("answers", [])}) if answerable else [],
                gold_document_ids=[gold] if answerable else [],
            ))
    return out


def questions(squad_json: Path) -> list[EvalQuestion]:
    return [q for article in json.loads(squad_json.read_text())["data"] for q in questions_of(article)]


def sample(squad_json: Path, answerable: int, unanswerable: int) -> list[EvalQuestion]:
    """A deterministic subset: per article, the first questions of each kind in order of the
    SHA-1 of their SQuAD id (stable across runs, machines and Python versions)."""
    chosen = []
    for article in json.loads(squad_json.read_text())["data"]:
        ranked = sorted(questions_of(article), key=lambda q: hashlib.sha1(q.id.encode()).hexdigest())
        chosen += [q for q in ranked if q.answerable][:answerable]
        chosen += [q for q in ranked if not q.answerable][:unanswerable]
    return chosen


def write_beir(squad_json: Path, folder: Path) -> Path:
    """SQuAD as a BEIR folder for passage retrieval: each paragraph a corpus document
    (`<article slug>/<n>`), each answerable question a query whose one relevant document
    is its paragraph. Paragraph-level retrieval tells embeddings apart where the
    article-level ranking (ten documents) is nearly always right."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "qrels").mkdir(exist_ok=True)
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as corpus, \
            (folder / "queries.jsonl").open("w", encoding="utf-8") as queries, \
            (folder / "qrels" / "test.tsv").open("w", encoding="utf-8") as qrels:
        qrels.write("query-id\tcorpus-id\tscore\n")
        for article in json.loads(squad_json.read_text())["data"]:
            for n, paragraph in enumerate(article["paragraphs"]):
                doc_id = f"{slug(article['title'])}/{n}"
                corpus.write(json.dumps({"_id": doc_id, "title": article["title"].replace("_", " "),
                                         "text": paragraph["context"].strip(), "license": ATTRIBUTION}) + "\n")
                for qa in paragraph["qas"]:
                    if not qa.get("is_impossible", False):
                        queries.write(json.dumps({"_id": qa["id"], "text": qa["question"]}) + "\n")
                        qrels.write(f"{qa['id']}\t{doc_id}\t1\n")
    return folder
