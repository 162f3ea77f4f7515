"""`rag eval check`: another system's citations classified against a real index (the session
engine over normans.md, 1973-oil-crisis.md and two fixtures) and against a corpus folder."""

from __future__ import annotations

import json

import pytest

from rag.cli import main as cli_main
from rag.evaluate.check import (Corpus, check, check_answers, check_citation, corpus_from_folder,
                                corpus_from_store)
from rag.evaluate.models import CheckReport, EvalInputError
from rag.store import Store

NORMANS = "wikipedia/normans"
OIL = "wikipedia/1973-oil-crisis"
CORRECT = "The Normans were famed for their martial spirit and eventually for their Christian piety"
PARAPHRASE = "The Normans were known for being warlike and later became devout Christians"
MISATTRIBUTED = "The crisis had a major impact on international relations and created a rift within NATO."
STITCHED = ("The Normans were famed for their martial spirit and "
            "agreed to swear fealty to King Charles III of West Francia.")


def answers() -> list[dict]:
    return [
        {"question": "What were the Normans famed for?", "answer": "…",
         "citations": [{"document_id": NORMANS, "text": CORRECT}, {"document_id": NORMANS, "text": PARAPHRASE}]},
        {"question": "What did the crisis do to NATO?", "answer": "…",
         "citations": [{"document_id": NORMANS, "text": MISATTRIBUTED}]},
        {"question": "What did the Normans do?", "answer": "…",
         "citations": [{"document_id": NORMANS, "text": STITCHED}]},
    ]


@pytest.fixture(scope="module")
def corpus(engine) -> Corpus:
    return corpus_from_store(Store(engine.settings.store_path))


def test_each_kind_of_citation_is_classified(corpus):
    result = check(corpus, answers())
    verdicts = [r.verdict for r in result.citations_checked]
    assert verdicts == ["verbatim", "unsupported", "misattributed", "stitched"]
    assert result.counts == {"verbatim": 1, "misattributed": 1, "stitched": 1, "unsupported": 1,
                             "offsets_mismatch": 0}
    assert [(r.answer, r.citation) for r in result.citations_checked] == [(1, 1), (1, 2), (2, 1), (3, 1)]
    correct, paraphrase, misattributed, stitched = result.citations_checked
    normans = corpus.documents[NORMANS].text
    assert normans[correct.found_start:correct.found_end] == CORRECT
    assert [h.document_id for h in misattributed.found_in] == [OIL]
    assert [f.document_id for f in stitched.fragments] == [NORMANS, NORMANS]
    for fragment in stitched.fragments:
        assert normans[fragment.start:fragment.end] == fragment.text
    assert "martial spirit" in paraphrase.closest.text
    assert 0.3 < paraphrase.closest.similarity < 1.0


def test_offsets_are_checked_when_given(corpus):
    start = corpus.documents[NORMANS].text.index(CORRECT)
    right = check_citation(corpus, {"document_id": NORMANS, "text": CORRECT, "start": start,
                                    "end": start + len(CORRECT)})
    wrong = check_citation(corpus, {"document_id": NORMANS, "text": CORRECT, "start": start + 1,
                                    "end": start + 1 + len(CORRECT)})
    assert (right.verdict, right.offsets_match) == ("verbatim", True)
    assert (wrong.verdict, wrong.offsets_match) == ("verbatim", False)
    length = len(corpus.documents[NORMANS].text)
    for first, last in ((start - length, start - length + len(CORRECT)), (start + 0.9, start + len(CORRECT) + 0.9),
                        ("x", start + len(CORRECT))):  # slice to the text, yet are not its offsets
        odd = check_citation(corpus, {"document_id": NORMANS, "text": CORRECT, "start": first, "end": last})
        assert (odd.verdict, odd.offsets_match) == ("verbatim", False), (first, last)
    report = check(corpus, [{"question": "q", "citations": [{"document_id": NORMANS, "text": CORRECT, "start": start + 1,
                                                            "end": start + 1 + len(CORRECT)}, "not a citation"]}])
    assert not report.all_verbatim() and report.counts["offsets_mismatch"] == 1
    assert report.citations_checked[1].verdict == "unsupported" and "must be an object" in report.citations_checked[1].reason


def test_whitespace_may_differ_but_not_words(corpus):
    reflowed = CORRECT.replace(" for their ", "\n  for  their ")
    assert check_citation(corpus, {"document_id": NORMANS, "text": reflowed}).verdict == "verbatim"
    one_word = CORRECT.replace("famed", "famous")
    assert check_citation(corpus, {"document_id": NORMANS, "text": one_word}).verdict != "verbatim"


def test_unknown_document_is_unsupported_or_misattributed(corpus):
    gone = check_citation(corpus, {"document_id": "nowhere", "text": PARAPHRASE})
    assert gone.verdict == "unsupported" and "nowhere" in gone.reason
    elsewhere = check_citation(corpus, {"document_id": "nowhere", "text": CORRECT})
    assert elsewhere.verdict == "misattributed"


def test_cli_against_index_and_against_corpus_folder(engine, corpus_dir, tmp_path, capsys):
    path = tmp_path / "answers.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in answers()))
    out = tmp_path / "check.json"
    assert cli_main(["--data-dir", str(engine.settings.data_dir), "eval", "check", str(path),
                     "--output", str(out)]) == 1
    printed = capsys.readouterr().out
    for word in ("VERBATIM", "UNSUPPORTED", "MISATTRIBUTED", "STITCHED", "closest"):
        assert word in printed
    from_index = json.loads(out.read_text())
    assert from_index["counts"]["verbatim"] == 1
    # the written JSON keeps its shape: a verdict's own fields only, no nulls
    assert set(from_index["citations_checked"][0]) == {"answer", "citation", "question", "document_id", "text",
                                                       "verdict", "found_start", "found_end"}
    assert CheckReport.model_validate(from_index).counts == from_index["counts"]
    assert cli_main(["eval", "check", str(path), "--corpus", str(corpus_dir), "--json"]) == 1
    from_folder = json.loads(capsys.readouterr().out)
    assert [r["verdict"] for r in from_folder["citations_checked"]] == \
        [r["verdict"] for r in from_index["citations_checked"]]
    assert corpus_from_folder(corpus_dir).documents.keys() == corpus_from_store(Store(engine.settings.store_path)).documents.keys()
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"question": "q", "answer": "a",
                                "citations": [{"document_id": NORMANS, "text": CORRECT}]}) + "\n")
    assert cli_main(["eval", "check", str(good), "--corpus", str(corpus_dir)]) == 0


def test_bad_answers_file_names_the_line(tmp_path, corpus_dir, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q", "citations": []}\nnot json\n')
    with pytest.raises(EvalInputError, match="bad.jsonl:2"):
        check_answers(bad, corpus=corpus_dir)
    assert cli_main(["eval", "check", str(bad), "--corpus", str(corpus_dir)]) == 2
    assert "bad.jsonl:2: not valid JSON" in capsys.readouterr().err


def test_missing_answers_or_index_is_a_message(tmp_path, capsys):
    assert cli_main(["eval", "check", str(tmp_path / "none.jsonl")]) == 2
    assert "no answers file at" in capsys.readouterr().err
    answers_file = tmp_path / "a.jsonl"
    answers_file.write_text('{"question": "q", "citations": []}\n')
    assert cli_main(["--data-dir", str(tmp_path / "empty"), "eval", "check", str(answers_file)]) == 2
    assert "no index at" in capsys.readouterr().err
    assert cli_main(["eval", "check", str(answers_file), "--corpus", str(tmp_path / "nowhere")]) == 2
    assert "no corpus at" in capsys.readouterr().err


def test_an_eval_with_nothing_to_ask_or_nothing_to_answer_from_stops(tmp_path, capsys):
    """Declining everything from an empty index, or answering no question, would "pass"."""
    dataset = tmp_path / "q.jsonl"
    dataset.write_text('{"id": "1", "question": "Who?", "answers": ["x"], "answerable": true}\n')
    assert cli_main(["--data-dir", str(tmp_path / "none"), "eval", "run", str(dataset)]) == 2
    assert "no index at" in capsys.readouterr().err and not (tmp_path / "none").exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert cli_main(["eval", "run", str(empty), "--corpus", str(tmp_path)]) == 2
    assert "holds no questions" in capsys.readouterr().err
    assert cli_main(["eval", "run", str(dataset), "--corpus", str(tmp_path / "nowhere")]) == 2
    assert "no corpus at" in capsys.readouterr().err
