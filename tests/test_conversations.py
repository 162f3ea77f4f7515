"""Follow-ups on the real engine (MiniLM, Chroma, BM25), through `rag chat`, `/v1/ask` with
`history`, `/v1/chat/completions` with OpenAI `messages` on a real uvicorn, and the
conversation eval set in `rag eval`."""

from __future__ import annotations

import contextlib
import json
import shutil

import httpx
import pytest

from rag import cli
from rag.cli import commands
from rag.api.app import create_app
from rag.config import Settings
from rag.engine import Engine
from rag.evaluate.run import load_dataset
from rag.types import NO_ANSWER, Turn
from tests.conftest import ROOT, running

ARTICLES = ["steam-engine.md", "1973-oil-crisis.md"]
INVENTOR = "Who invented the atmospheric engine?"
USE = "What was it mostly used for?"
EMBARGO_END = "When did the 1973 oil embargo end?"
LIFTED = ("The promise of a negotiated settlement between Israel and Syria was enough to convince Arab oil "
          "producers to lift the embargo in March 1974.")
PRICE = "What was the price of oil by then?"


@pytest.fixture(scope="module")
def convo_engine(tmp_path_factory) -> Engine:
    corpus = tmp_path_factory.mktemp("convo-corpus")
    for name in ARTICLES:
        shutil.copy(ROOT / "corpus" / "wikipedia" / name, corpus / name)
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("convo-data"), precision="fp32"))
    assert not engine.ingest(corpus).failed
    return engine


@pytest.fixture(scope="module")
def convo_server(convo_engine):
    with running(create_app(Settings(data_dir=convo_engine.settings.data_dir), engine=convo_engine)) as base:
        yield base


def _history(engine: Engine, question: str, with_citations: bool) -> list[Turn]:
    answer = engine.ask(question)
    return [Turn(role="user", content=question),
            Turn(role="assistant", content="\n".join(q.text for q in answer.quotes),
                 citations=[q.model_dump() for q in answer.quotes] if with_citations else [])]


@pytest.mark.parametrize("with_citations", [True, False])
def test_it_is_the_engine_not_its_inventor(convo_engine, with_citations):
    """The follow-up is about the engine, the invention sentence is not shown again, and the
    sentence beside it that says what the engine was used for is shown. (The reading model of
    stop 19 scores it under the decline cut-off, so it is a related passage of a decline;
    stop 18's quoted it: one of the two follow-ups of the report half that model lost.)"""
    answer = convo_engine.ask(USE, history=_history(convo_engine, INVENTOR, with_citations))
    assert answer.query == "What was atmospheric engine mostly used for?"
    shown = [q.text for q in answer.quotes + answer.related]
    assert not any("invented by Thomas Newcomen" in text for text in shown)
    assert any("in most cases was used for pumping water" in text for text in shown)
    assert not answer.answered or any("in most cases was used for pumping water" in q.text for q in answer.quotes)


def test_then_is_the_time_the_previous_answer_gave(convo_engine):
    history = [Turn(role="user", content=EMBARGO_END), Turn(role="assistant", content=LIFTED)]
    answer = convo_engine.ask(PRICE, history=history)
    assert answer.query == "What was the price of oil by March 1974?"
    assert answer.answered and "nearly $12" in answer.quotes[0].text


def test_a_change_of_topic_is_not_locked_onto_the_previous_document(convo_engine):
    history = _history(convo_engine, INVENTOR, True)
    answer = convo_engine.ask("When did the Arab oil producers lift the embargo?", history=history)
    assert answer.query == "When did the Arab oil producers lift the embargo?"
    assert answer.quotes and answer.quotes[0].document_id == "wikipedia/1973-oil-crisis"


def test_a_new_question_naming_nothing_is_not_glued_to_the_previous_topic(convo_engine):
    """No pronoun, no name, a few words: the previous topic is only a guess, so the question
    is also read as it stands, and here that reading answers (it was "...end atmospheric
    engine?" and declined)."""
    answer = convo_engine.ask("When did the oil embargo end?", history=_history(convo_engine, INVENTOR, True))
    assert answer.query == "When did the oil embargo end?"
    assert answer.answered and answer.quotes[0].document_id == "wikipedia/1973-oil-crisis"
    assert any("March 1974" in q.text for q in answer.quotes)


def test_a_new_attribute_of_the_same_topic_keeps_the_conversation(convo_engine):
    history = [Turn(role="user", content=EMBARGO_END), Turn(role="assistant", content=LIFTED)]
    answer = convo_engine.ask("What convinced the oil producers?", history=history)
    assert answer.query == "What convinced the oil producers 1973 oil embargo?"
    assert "negotiated settlement" in (answer.quotes or answer.related)[0].text


def test_an_unanswerable_follow_up_is_declined(convo_engine):
    answer = convo_engine.ask("Which football club did he support?", history=_history(convo_engine, INVENTOR, True))
    assert not answer.answered
    assert "Thomas Newcomen" in answer.query


def test_who_alone_is_declined_without_passages_and_is_a_follow_up_after_a_question(convo_server):
    """"Who?" or "what is it?" with no conversation asks for nothing: a plain decline, not the
    sentence retrieval happened to rank first; after a question it follows that one up."""
    for question in ("Who?", "what is it?"):
        alone = httpx.post(f"{convo_server}/v1/ask", json={"question": question}, timeout=60).json()
        assert (alone["answered"], alone["lead"], alone["quotes"], alone["related"]) == \
            (False, NO_ANSWER, [], []), question
    first = httpx.post(f"{convo_server}/v1/ask", json={"question": INVENTOR}, timeout=60).json()
    history = [{"role": "user", "content": INVENTOR},
               {"role": "assistant", "content": "\n".join(q["text"] for q in first["quotes"])}]
    follow_up = httpx.post(f"{convo_server}/v1/ask", json={"question": "Who?", "history": history}, timeout=60).json()
    assert "atmospheric engine" in follow_up["query"]
    assert follow_up["quotes"] or follow_up["related"]


def test_forged_citations_are_not_trusted(convo_engine):
    history = [Turn(role="user", content=INVENTOR),
               Turn(role="assistant", content="",
                    citations=[{"document_id": "wikipedia/steam-engine", "start": 0, "end": 10, "text": "not there"}])]
    answer = convo_engine.ask(USE, history=history)  # falls back to the question, nothing breaks
    assert answer.query == "What was atmospheric engine mostly used for?"


def test_rag_chat_carries_the_conversation(convo_engine, monkeypatch, capsys):
    lines = iter([EMBARGO_END, "Who was the first administrator of the Federal Energy Office?", "x" * 2001,
                  "Who named him?", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    # the module's engine, left open when the command ends (the CLI closes engines it opens)
    monkeypatch.setattr(commands, "engine_for", lambda args: contextlib.nullcontext(convo_engine))
    assert cli.main(["--data-dir", str(convo_engine.settings.data_dir), "chat"]) == 0
    printed = capsys.readouterr()
    out = " ".join(printed.out.split())  # quotes are wrapped for the terminal
    # the administrator question and "Who named him?" (him = Simon) both quote the naming; the
    # overlong question between them is refused and leaves the conversation as it was
    assert out.count("Nixon named William E. Simon") >= 2
    assert "the question is 2,001 characters; the limit is 2,000" in printed.err


def test_v1_ask_with_history_and_citations(convo_server):
    first_question = "Who was the first administrator of the Federal Energy Office?"
    first = httpx.post(f"{convo_server}/v1/ask", json={"question": first_question}, timeout=60).json()
    for assistant in ({"role": "assistant", "content": "\n".join(q["text"] for q in first["quotes"])},
                      {"role": "assistant", "content": "", "citations": first["quotes"]}):
        answer = httpx.post(f"{convo_server}/v1/ask", json={
            "question": "How did he allocate domestic oil to the states?",
            "history": [{"role": "user", "content": first_question}, assistant]}, timeout=60).json()
        assert answer["query"] == "How did William E. Simon allocate domestic oil to the states?"
        assert "same amount of domestic oil" in answer["quotes"][0]["text"]
    bad = httpx.post(f"{convo_server}/v1/ask", json={"question": USE, "history": [
        {"role": "assistant", "content": "x", "citations": [{"document_id": "d", "start": -1, "end": 2}]}]}, timeout=60)
    assert bad.status_code == 422


def test_openai_messages_follow_up(convo_server):
    from openai import OpenAI

    client = OpenAI(base_url=f"{convo_server}/v1", api_key="unused")
    messages = [{"role": "user", "content": EMBARGO_END}]
    first = client.chat.completions.create(model="attest", messages=messages)
    # an ordinary OpenAI client sends back the Markdown content only: the quotes are found in it
    messages += [{"role": "assistant", "content": first.choices[0].message.content},
                 {"role": "user", "content": PRICE}]
    second = client.chat.completions.create(model="attest", messages=messages)
    query = second.model_extra["answer"]["query"]
    assert query.startswith("What was the price of oil by ") and "then" not in query
    # one that keeps Attest's citations on the assistant message gets the same answer, streamed too
    messages[1]["citations"] = first.model_extra["citations"]
    final = None
    for chunk in client.chat.completions.create(model="attest", messages=messages, stream=True):
        if chunk.choices[0].finish_reason == "stop":
            final = chunk
    assert final.model_extra["answer"]["query"] == query
    assert final.model_extra["citations"] == second.model_extra["citations"]


def test_the_conversation_sets_load_with_kinds_and_history():
    for half in ("tune", "report"):
        dataset = load_dataset(ROOT / "eval" / "datasets" / f"conversations-{half}.jsonl")
        assert all(q.history and q.kind for q in dataset)
        assert all(t["role"] == "assistant" for q in dataset for t in q.history[1::2])
    report = load_dataset(ROOT / "eval" / "datasets" / "conversations-report.jsonl")
    tune = load_dataset(ROOT / "eval" / "datasets" / "conversations-tune.jsonl")
    turns = [len(q.history) // 2 + 1 for q in report + tune]
    assert turns.count(2) >= 90 and turns.count(3) >= 15
    assert sum(q.kind == "switch" for q in report) >= 7 and sum(q.kind == "switch" for q in tune) >= 7
    assert {d for q in report for d in q.gold_document_ids} <= {
        "wikipedia/steam-engine", "wikipedia/computational-complexity-theory", "wikipedia/immune-system",
        "wikipedia/islamism", "wikipedia/french-and-indian-war"}


def test_rag_eval_runs_a_conversation_set_with_its_baselines(convo_engine, tmp_path, monkeypatch):
    rows = [json.loads(line) for line in (ROOT / "eval" / "datasets" / "conversations-tune.jsonl").read_text().splitlines()]
    rows = [r for r in rows if r["id"] in {"oc-1", "oc-4", "oc-9"}]
    rows += [json.loads(line) for line in (ROOT / "eval" / "datasets" / "conversations-report.jsonl").read_text().splitlines()
             if json.loads(line)["id"] in {"se-1", "se-6"}]
    dataset = tmp_path / "convo.jsonl"
    dataset.write_text("".join(json.dumps(r) + "\n" for r in rows))
    monkeypatch.setattr("rag.evaluate.run.build_engine", lambda *a, **k: (convo_engine, []))
    assert cli.main(["eval", "run", str(dataset), "--report", str(tmp_path / "reports")]) == 0
    report = json.loads((tmp_path / "reports" / "convo.json").read_text())
    assert {"bm25-only", "question-alone", "previous-question"} <= set(report["baselines"])
    assert set(report["by_kind"]["Attest"]) == {r["kind"] for r in rows}
    assert report["metrics"]["faithfulness"] == 1.0
    assert "By kind of follow-up" in (tmp_path / "reports" / "convo.md").read_text()


def test_the_chat_style_tune_set_holds_its_answers_verbatim():
    """conversations-tune2.jsonl (eval/conversations_tune2.py): every answer in its gold document,
    every assistant turn a stored sentence, unanswerable follow-ups kept to their document."""
    from eval.conversations import documents

    docs = documents()
    dataset = load_dataset(ROOT / "eval" / "datasets" / "conversations-tune2.jsonl")
    assert len(dataset) == 60 and {d for q in dataset for d in q.gold_document_ids} == set(docs) - {"ATTRIBUTION.md"}
    for q in dataset:
        text = docs[q.gold_document_ids[0]].text
        assert all(a in text for a in q.answers) and q.answerable == bool(q.answers)
        assert all(t["content"] in text for t in q.history[1::2])
    assert sum(not q.answerable for q in dataset) >= 10


def test_the_third_tune_set_holds_and_its_checker_names_each_broken_record(tmp_path):
    """conversations-tune3.jsonl (checked by eval/conversations_tune3.py) holds; a copy with an
    answer the history already gives, an answer not in the document, an assistant turn that is
    in no document and a repeated id is reported record by record."""
    from eval.conversations import documents
    from eval.conversations_tune3 import PATH, problems

    docs = documents()
    assert problems(PATH, docs) == []
    rows = [json.loads(line) for line in PATH.read_text().splitlines()]
    assert len(rows) == 60 and sum(not r["answerable"] for r in rows) == 10
    assert {r["gold_document_ids"][0] for r in rows} == set(docs) - {"ATTRIBUTION.md"}
    broken = [dict(rows[0], answers=[rows[0]["history"][1]["content"][:20]]),
              dict(rows[1], answers=["not a phrase of this article"]),
              dict(rows[2], history=[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Made up."}]),
              dict(rows[3], id=rows[2]["id"])]
    path = tmp_path / "broken.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in broken))
    found = problems(path, docs)
    assert [line.split(":")[0] for line in found] == [rows[0]["id"], rows[1]["id"], rows[2]["id"], rows[2]["id"]]
    assert "already in the history" in found[0] and "is not in" in found[1] and "no corpus document" in found[2]
    assert "used twice" in found[3]


def test_the_typed_questions_set_holds():
    """typed_questions.jsonl (first questions typed as into a search box) holds by the same
    checker: each answer verbatim in its gold document; an unanswerable one names no document."""
    from eval.conversations import ROOT, documents
    from eval.conversations_tune3 import problems

    path = ROOT / "eval" / "datasets" / "typed_questions.jsonl"
    assert problems(path, documents()) == []
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(rows) == 73 and sum(not r["answerable"] for r in rows) == 12
    assert all(r["history"] == [] for r in rows)


def test_the_fourth_tune_set_holds_with_the_third_sets_checks():
    """conversations-tune4.jsonl, written blind to rag/followup/, passes tune3's checks through its
    own checker's path, covers every document but the attribution file, and keeps its declines."""
    from eval.conversations import documents
    from eval.conversations_tune3 import problems
    from eval.conversations_tune4 import PATH

    docs = documents()
    assert problems(PATH, docs) == []
    rows = [json.loads(line) for line in PATH.read_text().splitlines()]
    assert sum(not r["answerable"] for r in rows) >= 8
    assert {r["gold_document_ids"][0] for r in rows} == set(docs) - {"ATTRIBUTION.md"}
