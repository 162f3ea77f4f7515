"""The seed news page, exactly as scraped: boilerplate never reaches the stored text, every
real sentence does; and prose that only mentions giving is never taken for an appeal."""

import json

import pytest

from rag.ingest.appeals import is_appeal, without_appeals
from rag.ingest.clean import clean_text
from rag.ingest.load import load_bytes
from tests.conftest import FIXTURES, ROOT

SEED = FIXTURES / "russia-2026-reservist-call-up.scraped.txt"
SHARED_SEED = ROOT.parent / "shared" / "datasets" / "news" / SEED.name
CORPUS_SEED = ROOT / "corpus" / "news" / "russia-2026-reservist-call-up.md"
HEADLINE = "Putin Launches 2026 Stage of Covert Mobilization to Replace Russia’s Mounting War Casualties"
BOILERPLATE = ["- Category", "- Latest news",
               "Every article pushes back against disinformation. Your support keeps our team in the field."]
IMAGE_FRAGMENTS = ["457ad7ae19a951ebdca94e9b6bf6309d", "111f0e5095e02c02446ffed57bfb0ab1", ".png", ".jpeg"]
ARGUMENT = ("Some argue that we are not obliged to help distant strangers: governments can save them or "
            "other people can donate money. Therefore the moral duty to act is dramatically reduced.")


def real_lines() -> list[str]:
    raw = SEED.read_text(encoding="utf-8")
    return [line for line in raw.splitlines()
            if line.strip() and line not in BOILERPLATE and not line.endswith((".png)", ".jpeg)"))]


def test_fixture_is_the_shared_file_byte_for_byte():
    if not SHARED_SEED.is_file():
        pytest.skip("../shared/datasets/news is not beside this checkout")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_page_boilerplate_never_reaches_stored_text_and_every_sentence_does():
    (doc,) = load_bytes(SEED.read_bytes(), "news/russia-2026-reservist-call-up.scraped.txt")
    for junk in ["Category", "Latest news", "pushes back against disinformation", "Your support",
                 "our team in the field", *IMAGE_FRAGMENTS]:
        assert junk not in doc.text, junk
    lines = real_lines()
    assert len(lines) == 10  # the headline and nine sentences
    for line in lines:
        assert line in doc.text, line
    assert doc.title == HEADLINE


def test_corpus_document_is_the_cleaned_seed_page():
    (doc,) = load_bytes(CORPUS_SEED.read_bytes(), "news/russia-2026-reservist-call-up.md")
    assert doc.text == clean_text(SEED.read_text(encoding="utf-8"))
    assert (doc.id, doc.title) == ("news/russia-2026-reservist-call-up", HEADLINE)
    assert (doc.source, doc.date, doc.author) == ("", "", "")  # the page gives none: none invented


def test_an_argument_about_donating_is_prose_not_an_appeal():
    assert clean_text(ARGUMENT) == ARGUMENT
    record = json.dumps({"id": "ethics-1", "title": "Distance", "text": ARGUMENT})
    (doc,) = load_bytes(record.encode(), "ethics.jsonl")
    assert doc.text == ARGUMENT


@pytest.mark.parametrize("prose", [
    "The foundation said it would donate $2 million to the hospital, and our correspondent confirmed it.",
    "Volunteers asked residents to donate blood after the crash, and we saw queues form within the hour.",
    "“Your support means everything,” the candidate told the crowd before the vote.",
    "In 1998 the newsletter of the society had 4,000 subscribers, most of them teachers.",
])
def test_prose_about_giving_survives(prose):
    assert clean_text(prose) == prose


@pytest.mark.parametrize("appeal", [
    "Sign up for our newsletter and never miss a story from your city.",
    "Support independent journalism. Donate today.",
    "If you value our reporting, please consider making a donation.",
    "Already a subscriber? Log in to continue reading.",
    "Become a member and read without ads.",
])
def test_appeals_are_removed(appeal):
    assert is_appeal(appeal)
    assert clean_text(f"A real sentence stays.\n{appeal}\nAnother one stays too.") == \
        "A real sentence stays.\nAnother one stays too."


def test_an_appeal_inside_a_paragraph_goes_and_the_prose_around_it_stays():
    line = ("The council met on Monday. It approved the budget after a long debate. "
            "Your donation helps us keep this site free. The vote was 7 to 2.")
    assert without_appeals(line) == ("The council met on Monday. It approved the budget after a long debate. "
                                     "The vote was 7 to 2.")
