"""A short bullet list a person wrote in a .txt file, or in Markdown under no heading, is kept
when most of its items state something (a number, an article), and
its items can be quoted; a scraped page's menus, whose items only name pages, still go
(eval/cleaning.py measures both on more lists)."""

from __future__ import annotations

import pytest

from rag.config import Settings
from rag.engine import Engine
from rag.ingest.clean import clean_text, says_something
from rag.ingest.load import load_bytes

PROSE = "The club met on Sunday to plan the spring walk along the coast."
TRIP = "- Bring a packed lunch\n- Coach leaves at 7:40\n- Tickets cost £12"  # dropped as crumbs until now


@pytest.mark.parametrize("items", [
    ["- Founded 1911", "- 412 ships in 2018", "- Head office in Oslo"],
    ["- 2 eggs", "- 200 g flour", "- a pinch of salt"],
    ["- Check the boiler pressure", "- Bleed the radiators", "- Replace the filter"],
])
def test_a_list_whose_items_state_something_is_kept_on_a_page_too(items):
    text = f"{PROSE}\n\n" + "\n".join(items) + f"\n\n{PROSE}"
    assert clean_text(text) == text


@pytest.mark.parametrize("items", [
    ["- Main page", "- Contents", "- Current events", "- Random article", "- Contact us"],
    ["- About us", "- Privacy policy", "- Terms of use"],
    ["- Page 2", "- Page 3", "- Page 4"],
    ["- Sign in", "- Create account", "- My account"],
    ["» Ukraine war", "» Opinion", "» Europe"],
])
def test_a_menu_still_goes(items):
    text = f"{PROSE}\n\n" + "\n".join(items) + f"\n\n{PROSE}"
    assert clean_text(text) == f"{PROSE}\n\n{PROSE}"


def test_most_items_decide_and_a_page_number_states_nothing():
    assert says_something("- Tickets cost £12") and says_something("- a pinch of salt")
    assert not says_something("- Page 2") and not says_something("- Sleeping bag")
    assert not says_something("- milk")  # a list of bare words reads as tags do: it still goes
    mostly_menu = f"{PROSE}\n\n- World\n- Business\n- Top 10 stories\n\n{PROSE}"
    assert "Top 10" not in clean_text(mostly_menu)


def test_markdown_under_no_heading_keeps_the_list():
    (doc,) = load_bytes(f"{PROSE}\n\n{TRIP}\n".encode(), "walk.md")
    assert TRIP in doc.text


def test_a_txt_list_item_answers_and_is_quoted_exactly(tmp_path):
    engine = Engine(Settings(data_dir=tmp_path / "data", precision="fp32"))
    try:
        report = engine.ingest_files([("notes/spring-walk.txt", f"Spring walk\n\n{PROSE}\n\n{TRIP}\n".encode())])
        assert not report.failed, report.failed
        answer = engine.ask("When does the coach leave?")
        assert answer.answered, answer
        quote = answer.quotes[0]
        document = engine.document(quote.document_id)
        assert quote.text == document.text[quote.start:quote.end]
        assert "7:40" in quote.text
    finally:
        engine.close()
