"""rag/followup/listed.py: the items of a list of like things an answer gave, each a span of
the answer's own text, never one that runs on past its clause into the next sentence."""

from __future__ import annotations

import pytest

from rag.followup.listed import items, ordinal_item


@pytest.mark.parametrize(("text", "listed"), [
    ("There are two major subtypes of T cells: the killer T cell and the helper T cell.",
     ["the killer T cell", "the helper T cell"]),
    ("The two abbeys were Fécamp Abbey and Saint-Evroul Abbey.", ["Fécamp Abbey", "Saint-Evroul Abbey"]),
    ("The raiders came from Denmark, Iceland and Norway, in that order.", ["Denmark", "Iceland", "Norway"]),
    ("Mass is measured in grams and kilograms.", []),
    ("", []),
])
def test_a_list_of_like_things_is_read_off_the_answer(text, listed):
    assert items(text) == listed
    assert all(item in text for item in items(text))


def test_the_last_item_ends_with_its_clause_not_in_the_next_sentence():
    """"Paris and London. Later he lived in Paris" lists two cities, not "London. Later he lived in Paris"."""
    text = "He visited Paris and London. Later he lived in Paris."
    assert items(text) == ["Paris", "London"]
    assert ordinal_item("what did he do in the former?", text) == ("what did he do in Paris?", "Paris")
    assert items("The cats and the dogs ran. The cats and the dogs slept.") == []


def test_a_long_answer_with_no_list_is_read_to_its_end():
    """Every "and" of a long text is tried; each is read only near it (it once read the text from its start)."""
    text = " ".join(f"w{i}a w{i}b and" for i in range(3000)) + " Denmark, Iceland and Norway"
    assert items(text) == ["Denmark", "Iceland", "Norway"]
