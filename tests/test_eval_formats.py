"""`rag eval` reads WikiQA TSV and SciFact rationales directly (tiny files written here)."""

from __future__ import annotations

import gzip
import json

from rag.evaluate import scifact, wikiqa
from rag.evaluate.run import load_dataset
from rag.ingest.load import load_bytes

HEADER = "QuestionID\tQuestion\tDocumentID\tDocumentTitle\tSentenceID\tSentence\tLabel\n"
ROWS = [
    ("Q1", "how are glacier caves formed?", "D1", "Glacier cave", "D1-0", "A glacier cave is a cave formed within the ice of a glacier .", "1"),
    ("Q1", "how are glacier caves formed?", "D1", "Glacier cave", "D1-1", "Glacier caves are often called ice caves .", "0"),
    ("Q2", "who wrote the song?", "D2", "Some song", "D2-0", "The song was released in 1999 .", "0"),
]


def write_wikiqa(folder):
    body = HEADER + "".join("\t".join(r) + "\n" for r in ROWS)
    (folder / "WikiQA-dev.tsv.gz").write_bytes(gzip.compress(body.encode()))
    return folder / "WikiQA-dev.tsv.gz"


def test_wikiqa_questions_and_corpus(tmp_path):
    path = write_wikiqa(tmp_path)
    qs = load_dataset(path)
    assert [(q.id, q.answerable) for q in qs] == [("Q1", True), ("Q2", False)]
    assert qs[0].answers == [ROWS[0][5]] and qs[0].gold_document_ids == ["wikiqa/D1"]
    assert qs[1].gold_document_ids == []
    corpus = wikiqa.write_corpus(path, tmp_path / "corpus")
    docs = [json.loads(line) for line in corpus.read_text().splitlines()]
    assert docs[0] == {"id": "wikiqa/D1", "title": "Glacier cave", "text": f"{ROWS[0][5]} {ROWS[1][5]}"}


def test_scifact_rationales_split_by_claim_hash(tmp_path):
    (tmp_path / "corpus.jsonl").write_text(json.dumps({"_id": "7", "title": "T", "text": "First. Second."}) + "\n")
    rationales = tmp_path / "rationales-train.jsonl"
    rows = [{"id": str(i), "claim": f"claim {i}", "doc_id": "7", "label": "SUPPORT", "sentences": ["Second."]}
            for i in range(20)]
    rationales.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert scifact.is_scifact(rationales)
    everything = load_dataset(rationales)
    assert len(everything) == 20 and everything[0].answers == ["Second."]
    train, report = scifact.questions(rationales, "train"), scifact.questions(rationales, "report")
    assert len(train) + len(report) == 20 and train and report
    assert not {q.id for q in train} & {q.id for q in report}
    corpus = scifact.write_corpus(rationales, tmp_path / "corpus")
    (document,) = load_bytes(corpus.read_bytes(), corpus.name)
    assert document.id == "7" and document.text == "First. Second."


def test_scifact_claims_without_evidence_are_unanswerable(tmp_path):
    """A claim whose cited abstract neither supports nor refutes it (in the queries and qrels,
    not in the rationales) must be declined: it is an unanswerable question."""
    (tmp_path / "corpus.jsonl").write_text(json.dumps({"_id": "7", "title": "T", "text": "First. Second."}) + "\n")
    rationales = tmp_path / "rationales-train.jsonl"
    rationales.write_text(json.dumps({"id": "1", "claim": "A claim.", "doc_id": "7", "label": "SUPPORT",
                                      "sentences": ["Second."]}) + "\n")
    (tmp_path / "queries-train.jsonl").write_text(
        "".join(json.dumps({"_id": i, "text": f"Claim {i}.", "metadata": {}}) + "\n" for i in ("1", "2")))
    (tmp_path / "qrels").mkdir()
    (tmp_path / "qrels" / "train.tsv").write_text("query-id\tcorpus-id\tscore\n1\t7\t1\n2\t7\t1\n")
    evidence, unverifiable = load_dataset(rationales)
    assert evidence.answerable and evidence.answers == ["Second."]
    assert (unverifiable.question, unverifiable.answerable, unverifiable.gold_document_ids) == ("Claim 2.", False, ["7"])


def test_a_scifact_pair_with_several_evidence_sets_is_asked_once(tmp_path):
    """The file has a line per evidence set; the pair is one question, and a quote holding a
    sentence of any of its sets supports it (asked once per set, one answer scored both
    supported and not)."""
    (tmp_path / "corpus.jsonl").write_text(json.dumps({"_id": "7", "title": "T", "text": "A. B. C."}) + "\n")
    rationales = tmp_path / "rationales-train.jsonl"
    rows = [{"id": "1", "claim": "c", "doc_id": "7", "label": "SUPPORT", "sentences": s} for s in (["A."], ["B.", "A."])]
    rationales.write_text("".join(json.dumps(r) + "\n" for r in rows))
    (pair,) = load_dataset(rationales)
    assert (pair.id, pair.answers) == ("1-7", ["A.", "B."])


def test_native_ids_may_be_numbers_and_files_may_start_with_a_bom(tmp_path):
    dataset = tmp_path / "q.jsonl"
    dataset.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": 1, "question": "Who?", "answers": ["x"]}).encode() + b"\n")
    (question,) = load_dataset(dataset)
    assert question.id == "1"


def test_beir_qrels_without_a_header_lose_no_judgement(tmp_path):
    from rag.evaluate import beir

    (tmp_path / "qrels").mkdir()
    (tmp_path / "qrels" / "test.tsv").write_text("q1\td1\t2\nq1\td3\t1\n")
    assert beir.qrels(tmp_path) == {"q1": {"d1": 2.0, "d3": 1.0}}
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t2\n")
    assert beir.qrels(tmp_path) == {"q1": {"d1": 2.0}}


def test_a_squad_question_without_answers_or_flag_is_unanswerable():
    from rag.evaluate.squad import questions_of

    article = {"title": "T", "paragraphs": [{"context": "C.", "qas": [
        {"id": "a", "question": "Q?", "answers": [{"text": "C", "answer_start": 0}]},
        {"id": "b", "question": "R?", "answers": []}]}]}
    assert [q.answerable for q in questions_of(article)] == [True, False]


def test_squad_articles_whose_titles_give_one_id_are_refused(tmp_path):
    import pytest

    from rag.evaluate.models import EvalInputError
    from rag.evaluate.squad import slug, write_articles

    assert slug("Париж") == "париж" and slug("Frédéric_Chopin") == "fr-d-ric-chopin"
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps({"data": [{"title": "Doc", "paragraphs": []}, {"title": "doc", "paragraphs": []}]}))
    with pytest.raises(EvalInputError, match="same id"):
        write_articles(twice, tmp_path / "corpus")
