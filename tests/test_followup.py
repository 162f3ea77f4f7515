"""rag/followup/ as pure functions: what a follow-up leans on, and what it becomes."""

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from rag.followup import (MAX_EXCHANGES, Passage, Resolved, guessed, keep_to_question, names, own_terms, passages,
                          prefer, resolve, topic)
from rag.followup.bound import uncontracted
from rag.quotes import Sentence
from rag.types import Chunk, Citation, Document, Turn

NEWCOMEN = ("The first commercially successful true engine, in that it could generate power and transmit it "
            "to a machine, was the atmospheric engine, invented by Thomas Newcomen around 1712.")
EMBARGO = ("The promise of a negotiated settlement between Israel and Syria was enough to convince Arab oil "
           "producers to lift the embargo in March 1974.")


def conversation(*pairs: tuple[str, str]) -> list[Turn]:
    turns = []
    for question, answer in pairs:
        turns += [Turn(role="user", content=question), Turn(role="assistant", content=answer)]
    return turns


def quoted_whole(turn: Turn) -> list[Passage]:
    """A store in which every assistant turn is one stored quote of document `d`."""
    return [Passage(document_id="d", start=0, end=len(turn.content), text=turn.content)] if turn.content else []


def ask(question, *pairs):
    return resolve(question, conversation(*pairs), quoted_whole)


def test_pronoun_becomes_the_previous_questions_topic():
    resolved = ask("What was it mostly used for?", ("Who invented the atmospheric engine?", NEWCOMEN))
    assert resolved.query == "What was atmospheric engine mostly used for?"
    assert resolved.leans_on == ["pronoun"] and resolved.prefer_documents == ["d"]


def test_person_pronoun_becomes_the_person_the_answer_named():
    assert ask("Where was he from?", ("Who invented the atmospheric engine?", NEWCOMEN)).query == \
        "Where was Thomas Newcomen from?"
    duke = ("Norman adventurers founded the Kingdom of Sicily under Roger II, and an expedition on behalf of "
            "their duke, William the Conqueror, led to the Norman conquest of England.")
    assert "William the Conqueror" in ask("What religion were his people?",
                                          ("Who was the duke in the Battle of Hastings?", duke)).query
    founded = ("Roughly contemporaneous with Maududi was the founding of the Muslim Brotherhood in Ismailiyah, "
               "Egypt in 1928 by Hassan al Banna.")  # a name with a lower-case join, not the place
    assert ask("What happened to him in 1949?", ("Who founded the Muslim Brotherhood?", founded)).query == \
        "What happened to Hassan al Banna in 1949?"


def test_then_becomes_the_previous_answers_time():
    resolved = ask("What was the price of oil by then?", ("When did the 1973 oil embargo end?", EMBARGO))
    assert resolved.query == "What was the price of oil by March 1974?"
    assert resolved.leans_on == ["time"]


def test_there_becomes_the_previous_answers_place():
    answer = "Trevithick's locomotive hauled a train from the ironworks near Merthyr Tydfil to Abercynon in south Wales."
    assert "Merthyr Tydfil" in ask("What was built there?", ("Where did the first railway journey go?", answer)).query
    # "there" that only says something exists is no place
    assert ask("Was there a second journey?", ("Where did the first railway journey go?", answer)).query \
        != "Was in Merthyr Tydfil a second journey?"


def test_ellipsis_takes_the_previous_frame_with_the_new_term():
    first = ("How many students did Harvard have in 1870?", "Harvard had 1,000 students in 1870.")
    assert ask("And back in 1897?", first).query == "How many students did Harvard have in 1897?"
    assert ask("What about Yale?", first).query == "How many students did Yale have in 1870?"
    assert ask("And in the library?", first).query == "How many students did Harvard have in 1870 in the library?"


def test_a_third_turn_leans_on_the_resolved_second():
    resolved = resolve("Where did that journey end?", conversation(
        ("Who built the first full-scale working railway steam locomotive?", "Richard Trevithick built it."),
        ("When did its first journey take place?", "On 21 February 1804 the first railway journey took place."),
    ), quoted_whole)
    assert "journey" in resolved.query and resolved.prefer_documents == ["d"]


def test_a_question_that_stands_alone_is_left_alone_and_prefers_nothing():
    resolved = ask("Who founded Harvard University?", ("What is Islamism?", "Islamism is a set of ideologies."))
    assert resolved.query == "Who founded Harvard University?"
    assert resolved.prefer_documents == [] and resolved.leans_on == []


def test_a_new_name_moves_on_from_the_previous_document():
    resolved = ask("What about Harvard?", ("What is Islamism?", "Islamism is a set of ideologies."))
    assert resolved.prefer_documents == []


def test_no_history_and_no_locator():
    assert resolve("  Who invented it?  ", []).query == "Who invented it?"
    only_system = [Turn(role="system", content="be brief")]
    assert resolve("Who invented it?", only_system).query == "Who invented it?"
    # without a locator the previous question still gives the topic
    assert "atmospheric engine" in resolve("What was it used for?", conversation(
        ("Who invented the atmospheric engine?", NEWCOMEN))).query


def test_only_the_recent_exchanges_are_read():
    old = [("Who invented the atmospheric engine?", NEWCOMEN)]
    recent = [(f"What is topic number {n}?", f"Topic number {n} is a thing.") for n in range(MAX_EXCHANGES)]
    seen = []
    resolve("What was it used for?", conversation(*old, *recent), lambda t: seen.append(t.content) or [])
    assert NEWCOMEN not in seen and len(seen) == MAX_EXCHANGES


def test_names_and_topic():
    assert names("It was the atmospheric engine, invented by Thomas Newcomen around 1712.") == ["Thomas Newcomen"]
    assert names("Who won the French and Indian War?") == ["French and Indian War"]
    assert names("In 1973, Nixon named William E. Simon as the first Administrator.") == [
        "Nixon", "William E. Simon", "Administrator"]
    assert names("A letter from Ludwig van Beethoven reached Hassan al Banna.") == [
        "Ludwig van Beethoven", "Hassan al Banna"]
    assert topic("When did the 1973 oil embargo end?") == "1973 oil embargo"
    assert topic("Which ancient language does the word imperialism come from?") == "imperialism"


def test_a_persons_name_after_another_name_is_a_name_of_its_own():
    """After a role and "of", or when the text gives the first name alone too; a name whose last
    word is no person's ("Harvard Business School") or a title ("Secretary of State ...") stays whole."""
    assert names("When did the president of Harvard Joseph Willard die?") == ["Harvard", "Joseph Willard"]
    assert names("Who was the founder of the Muslim Brotherhood Hassan al Banna?") == [
        "Muslim Brotherhood", "Hassan al Banna"]
    assert names("Harvard grew. Then Harvard Charles W. Eliot came.") == ["Harvard", "Harvard", "Charles W. Eliot"]
    assert names("Who was the president of Harvard Business School?") == ["Harvard Business School"]
    assert names("Where did Secretary of State Henry Kissinger go?") == ["Secretary of State Henry Kissinger"]
    assert names("Harvard University Joseph Willard") == ["Harvard University Joseph Willard"]  # nothing tells
    swapped = ask("What about David Tappan?", ("When did the president of Harvard Joseph Willard die?", ""))
    assert swapped.query == "When did the president of Harvard David Tappan die?"


def test_he_is_never_a_one_word_name_said_as_a_place():
    """"When did he die?" after a question about Lahore is not "When did Lahore die?": the
    person the answer names, else the pronoun stays and nothing answers."""
    declined = ask("When did he die?", ("What is the population of Lahore?",
                                        "The city of Lahore has 11 million people."))
    assert declined.query == "When did he die?" and declined.leans_on == ["unresolved"]
    assert ask("When did he die?", ("What is Lahore?", "Lahore is the second-largest city in Pakistan.")).leans_on \
        == ["unresolved"]
    iqbal = ask("When did he die?", ("What happened in Lahore in 1932?", "Sir Muhammad Iqbal was elected president "
                                     "of the Muslim League in 1930 at its session in Lahore in 1932."))
    assert iqbal.query == "When did Sir Muhammad Iqbal die?"
    back = ask("When was he elected president?",
               ("When did Iqbal return to Lahore?", "He came back to Lahore in 1908."))
    assert back.query == "When was Iqbal elected president?"


def _document(text: str) -> Document:
    return Document(id="wikipedia/steam-engine", title="Steam engine", text=text)


def test_passages_from_checked_citations_or_from_the_text():
    text = "Steam engines are old. " + NEWCOMEN + " It was an improvement over Savery's steam pump."
    document = _document(text)
    start = text.index(NEWCOMEN)
    chunk = Chunk(id="c", document_id=document.id, ordinal=0, start=0, end=len(text), text=text,
                  sentences=[(0, 22), (start, start + len(NEWCOMEN)), (start + len(NEWCOMEN) + 1, len(text))])
    get = {document.id: document}.get
    search = lambda query, k: [(chunk, document)]  # noqa: E731
    cited = Turn(role="assistant", content="anything",
                 citations=[Citation(document_id=document.id, start=start, end=start + len(NEWCOMEN), text=NEWCOMEN)])
    assert [p.text for p in passages(cited, get, search)] == [NEWCOMEN]
    # a citation the store does not confirm is dropped, and the text is matched instead
    forged = Turn(role="assistant", content=f"[1] “{NEWCOMEN}”",
                  citations=[Citation(document_id=document.id, start=0, end=5, text="Forged")])
    assert [p.text for p in passages(forged, get, search)] == [NEWCOMEN]
    missing = Turn(role="assistant", content="", citations=[Citation(document_id="nope", start=0, end=3)])
    assert passages(missing, get, search) == []
    # markdown block quotes with other line breaks still match (whitespace aside)
    wrapped = Turn(role="assistant", content="> " + NEWCOMEN.replace(" transmit ", "\ntransmit ") + " [1]")
    assert [p.text for p in passages(wrapped, get, search)] == [NEWCOMEN]
    # neighbouring sentences shown as one quote are one passage, as their citation would be
    both = text[start:]
    shown = Turn(role="assistant", content=f"> {both} [1]")
    assert [p.text for p in passages(shown, get, search)] == [both]


def test_prefer_moves_the_documents_hits_first_and_pulls_nothing_in():
    def hit(doc):
        return (None, Chunk(id=doc, document_id=doc, ordinal=0, start=0, end=1, text="x"), None)
    hits = [hit("a"), hit("b"), hit("c")]
    assert [h[1].document_id for h in prefer(hits, ["c"])] == ["c", "a", "b"]
    assert [h[1].document_id for h in prefer(hits, ["z"])] == ["a", "b", "c"]
    assert prefer(hits, []) == hits


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120)


@hsettings(max_examples=300, deadline=None)
@given(question=_text, pairs=st.lists(st.tuples(_text, _text), max_size=5))
def test_resolve_never_fails_and_keeps_a_question_alone_without_history(question, pairs):
    resolved = resolve(question, conversation(*pairs), quoted_whole)
    assert isinstance(resolved.query, str)
    if not any(q.strip() for q, _ in pairs):
        assert resolved.query == question.strip() and resolved.prefer_documents == []
    if resolved.prefer_documents:
        assert resolved.leans_on


@hsettings(max_examples=200, deadline=None)
@given(year=st.integers(1000, 2099))
def test_any_year_swaps_into_the_frame(year):
    first = ("How many students did Harvard have in 1870?", "Harvard had 1,000 students in 1870.")
    assert ask(f"And in {year}?", first).query == f"How many students did Harvard have in {year}?"


def _sentences(*texts: str) -> list[Sentence]:
    text = " ".join(texts)
    document = Document(id="d", title="D", text=text)
    out, at = [], 0
    for piece in texts:
        out.append(Sentence(document, at, at + len(piece), 0))
        at += len(piece) + 1
    return out


def test_a_follow_up_is_answered_only_by_sentences_about_what_it_asks():
    resolved = Resolved(query="When did Friedrich Ratzel die?", leans_on=["pronoun"], entity="Friedrich Ratzel")
    names_him, answers = _sentences("Friedrich Ratzel believed that a state needs imperialism.",
                                    "Friedrich Ratzel died in 1904.")
    assert keep_to_question([names_him, answers], "When did he die?", resolved) == [answers]
    assert keep_to_question([names_him], "When did he die?", resolved) == []
    # a question that leaned on nothing, or asks nothing of its own, is left to the quote model
    for question, plain in (("When did he die?", Resolved(query="x")), ("Who was he?", resolved)):
        assert keep_to_question([names_him], question, plain) == [names_him]
    assert own_terms("What was it mostly used for?") == {"most", "use"}
    assert own_terms("How many librarians work there?") == {"librarian", "work"}


def test_a_guessed_topic_is_not_required_by_the_fit_checks():
    """A new question after another topic may be taken for an attribute follow-up and get
    the old topic appended; the quote is then held to the question as asked, not the guess."""
    from rag.followup import checked, resolve
    from rag.types import Turn

    history = [Turn(role="user", content="Who was the first ruler of Normandy?"),
               Turn(role="assistant", content="Rollo")]
    resolved = resolve("What code did the toll clerk use?", history)
    assert checked("What code did the toll clerk use?", resolved) == "What code did the toll clerk use?"
    pronoun = resolve("When did he die?", [Turn(role="user", content="Who was Rollo?"),
                                           Turn(role="assistant", content="Rollo was a Viking.")])
    assert checked("When did he die?", pronoun) == pronoun.query


DECREE = ("The Russian leader, Vladimir Putin, has signed a decree calling up reservists for 2026 military "
          "training assemblies that military analysts describe as a new stage of covert mobilization.")


def test_that_noun_becomes_the_phrase_the_previous_answer_named_it_with():
    resolved = ask("How long can that training last?", ("What did Putin's decree on reservists order?", DECREE))
    assert resolved.query == "How long can the 2026 military training assemblies last?"
    assert resolved.entity == "2026 military training assemblies" and resolved.prefer_documents == ["d"]
    # a name holding the noun is taken whole
    war = "The French and Indian War was fought between the colonies of British America and New France."
    assert "French and Indian War" in ask("Who won that war?", ("What was fought in North America?", war)).query


def test_ellipsis_swaps_the_name_the_frame_is_about():
    """The name right after the auxiliary is the one replaced, not the longest one."""
    answer = "One of the first Norman mercenaries to serve as a Byzantine general was Hervé in the 1050s."
    assert ask("And Robert Crispin?", ("When did Hervé serve as a Byzantine general?", answer)).query == \
        "When did Robert Crispin serve as a Byzantine general?"


def test_which_president_is_a_person_question():
    eliot = ("Following the American Civil War, President Charles W. Eliot's long tenure (1869–1909) transformed "
             "the college into a modern research university.")
    query = ask("What conviction motivated him?",
                ("Which president eliminated the Christian position from the curriculum?", eliot)).query
    assert query == "What conviction motivated President Charles W. Eliot?"


def _located(sentences: list[Sentence]):
    """A locator that finds the assistant turn as the stored sentence with its text."""
    def locate(turn: Turn) -> list[Passage]:
        return [Passage(document_id=s.document.id, start=s.start, end=s.end, text=s.text)
                for s in sentences if s.text == turn.content]
    return locate


def test_the_previous_quote_answers_a_new_question_only_when_read_as_clearly_answering():
    from dataclasses import replace

    from rag.followup import REPEAT_LOGIT, near_previous
    from rag.quotes import logit

    decree, limit = _sentences(DECREE, "Such training assemblies may not exceed two consecutive months in duration.")
    history = conversation(("What did Putin's decree on reservists order?", DECREE))
    question = "How long can that training last?"
    resolved = resolve(question, history, _located([decree, limit]))
    assert [p.start for p in resolved.answered_before] == [decree.start]
    # "training" came from the previous answer; "last" is newly asked and the decree lacks the word:
    # it stays a candidate (it might say it in other words) but lowered, the sentence after it raised
    assert keep_to_question([decree, limit], question, resolved) == [decree, limit]
    [lowered] = near_previous([replace(decree, score=0.5)], resolved, question)
    assert logit(lowered.score) == pytest.approx(-REPEAT_LOGIT)
    # beside a better sentence it would only repeat: dropped, and the sentence after it raised
    [raised] = near_previous([replace(decree, score=0.5), replace(limit, score=0.5)], resolved, question)
    assert raised.start == limit.start and raised.score > 0.5
    # asking nothing new, it is not lowered, and needs the follow-up's own words
    assert near_previous([replace(decree, score=0.5)], resolved, "How long can that training be?")[0].score == 0.5
    # a follow-up that asks nothing new ("Why did they raise it?") may be answered by the same quote
    raised = "In response to American aid to Israel, OPEC raised the posted price of oil by 70%."
    [sentence] = _sentences(raised)
    why = resolve("Why did they raise it?", conversation(("When did OPEC raise the posted price of oil?", raised)),
                  _located([sentence]))
    assert keep_to_question([sentence], "Why did they raise it?", why) == [sentence]


def test_a_sentence_beside_the_previous_quote_is_raised():
    from dataclasses import replace

    from rag.followup import NEAR_LOGIT, near_previous

    first, beside = _sentences(NEWCOMEN, "Newcomen's engine in most cases was used for pumping water.")
    far = Sentence(Document(id="d", title="D", text=first.document.text + "\nIt was used in mines."),
                   len(first.document.text) + 1, len(first.document.text) + 22, 0)
    beside, far = (replace(s, document=far.document, score=0.1) for s in (beside, far))
    resolved = ask("What was it mostly used for?", ("Who invented the atmospheric engine?", NEWCOMEN))
    resolved = resolved.model_copy(update={"answered_before": [
        Passage(document_id="d", start=0, end=len(NEWCOMEN), text=NEWCOMEN)]})
    raised, kept = near_previous([beside, far], resolved)
    assert NEAR_LOGIT > 0 and raised.score > 0.1 and kept.score == 0.1
    # nothing moves for a question that was not resolved against the conversation
    assert near_previous([beside], Resolved(query="x")) == [beside]


ROLLO = ('They were descended from Norse ("Norman" comes from "Norseman") raiders and pirates from Denmark, '
         "Iceland and Norway who, under their leader Rollo, agreed to swear fealty to King Charles III of West "
         "Francia.")


def test_he_is_the_person_the_answer_names_beside_the_questions_word():
    """Not "Iceland and Norway" (a list of places is two names) nor "Norman" (the question's own name)."""
    assert ask("When did he die?", ("Who was the leader of the Normans?", ROLLO)).query == "When did Rollo die?"
    william = "In 1066, Duke William II of Normandy conquered England killing King Harold II at the Battle of Hastings."
    assert ask("Where did his descendants rule?", ("Who was the first Duke of Normandy?", william)).query == \
        "Where did Duke William II's descendants rule?"


def test_he_after_a_who_question_nobody_answered_is_unresolved():
    resolved = ask("When did he die?", ("Who was the president of Harvard in 1950?", ""))
    assert resolved.leans_on == ["unresolved"] and resolved.query == "When did he die?"


def test_a_decline_is_not_an_answer_to_lean_on():
    """Its related passages are "not an answer": a plain client sends the decline's text back."""
    decline = Turn(role="assistant", content=f"The corpus does not answer this.\n\n*Related passages (not an answer):*\n\n- {NEWCOMEN}")
    stored = _document(NEWCOMEN)
    chunk = Chunk(id="c", document_id=stored.id, ordinal=0, start=0, end=len(NEWCOMEN), text=NEWCOMEN,
                  sentences=[(0, len(NEWCOMEN))])
    answered = Turn(role="assistant", content=NEWCOMEN)
    assert [p.text for p in passages(answered, lambda _id: stored, lambda _text, _k: [(chunk, stored)])] == [NEWCOMEN]
    assert passages(decline, lambda _id: stored, lambda _text, _k: [(chunk, stored)]) == []


def test_nothing_to_read_leans_on_nothing():
    assert ask("???", ("Who was the leader of the Normans?", ROLLO)).query == "???"


def test_a_guessed_topic_the_answer_left_out_is_not_carried_on():
    """The second question was answered as a new one (its quote says nothing of the immune
    system), so "it" is the atmospheric engine, not the immune system."""
    immune = "The immune system is a system of many biological structures and processes within an organism."
    resolved = ask("What was it mostly used for?", ("What is the immune system?", immune),
                   ("Who invented the atmospheric engine?", NEWCOMEN))
    assert resolved.query == "What was atmospheric engine mostly used for?"


def test_a_bare_fragment_is_a_guess_a_led_ellipsis_is_not():
    bare = ask("Steam engine efficiency?", ("Who was the leader of the Normans?", ROLLO))
    led = ask("And in 1897?", ("Who was president in 1890?", "Someone was president in 1890."))
    assert bare.leans_on == ["fragment"] and guessed(bare)
    assert led.leans_on == ["ellipsis"] and not guessed(led)


def test_an_ellipsis_takes_the_place_of_the_term_of_its_kind():
    innate = "Innate immunity is the first line of defence."
    assert ask("And adaptive immunity?", ("What is innate immunity?", innate)).query == "What is adaptive immunity?"
    price = "Before the embargo the price of oil was $3 per barrel."
    assert ask("And after?", ("What was the price of oil before the embargo?", price)).query == \
        "What was the price of oil after the embargo?"


def test_a_possessive_is_not_part_of_the_name():
    assert names("What does Putin's decree order?") == ["Putin"]
    assert topic("What does Putin’s decree order?") == "Putin"


def test_a_short_follow_up_is_not_a_guess():
    """"How much?" asks nothing alone: it is read with the conversation only."""
    resolved = ask("How much?", ("What is the prize for solving P versus NP?", "The prize is US$1,000,000."))
    assert resolved.leans_on == ["short"] and not guessed(resolved)


def test_a_possessive_after_the_questions_own_subject_is_that_subjects():
    treasurer = ("The society's treasurer, Bartholomew Keane, kept the accounts in a green ledger.")
    history = ("Who was the society's treasurer?", treasurer)
    # the newsletter's masthead, not Bartholomew's: the question names what "its" points at
    own = ask("What did the society newsletter print in its masthead?", history)
    assert "Bartholomew" not in own.query and "pronoun" not in own.leans_on
    # no subject of its own before the possessive: the conversation's
    assert "treasurer" in ask("What was the colour of its cover?", ("What did the treasurer keep?", treasurer)).query
    assert "pronoun" in ask("What did they do with their money?", history).leans_on


def test_he_after_who_was_a_name_is_that_person():
    """"Who was Stephen Cook?" names its person: "he" is Cook, not Levin whom the answer names beside him."""
    cook = ("The field really began to flourish in 1971 when the US researcher Stephen Cook and, working "
            "independently, Leonid Levin in the USSR, proved that there exist practically relevant problems "
            "that are NP-complete.")
    assert ask("What did he prove?", ("Who was Stephen Cook?", cook)).query == "What did Stephen Cook prove?"
    watt = ("The centrifugal governor was adopted by James Watt for use on a steam engine in 1788 after Watt’s "
            "partner Boulton saw one at a flour mill Boulton & Watt were building.")
    assert ask("What did he patent?", ("who was James Watt", watt)).query == "What did James Watt patent?"
    # a "Who was the <role>?" question still takes the person the answer names
    assert ask("When did he die?", ("Who was the leader of the Normans?", ROLLO)).query == "When did Rollo die?"
    tusk = "The President of the Council is currently Poland Prime Minister Donald Tusk."
    assert ask("When was he born?", ("Who is the President of the Council?", tusk)).query == \
        "When was Poland Prime Minister Donald Tusk born?"


def test_an_ellipsis_sharing_the_frames_name_takes_the_place_of_its_term():
    """"What about helper T cells?" after "What are killer T cells?" became "What are killer
    helper T cells cells?": the one-letter name "T" was swapped for the whole new term."""
    killer = "Killer T cells are a sub-group of T cells that kill cells that are infected with viruses."
    assert ask("What about helper T cells?", ("What are killer T cells?", killer)).query == "What are helper T cells?"
    assert ask("And helper T cells?", ("What do killer T cells recognize?", killer)).query == \
        "What do helper T cells recognize?"


def test_then_after_a_range_of_years_is_the_range_or_its_end():
    """"What happened then?" after 1754–1763 became "What happened in 1763?" (or 1760, the
    last year of a weaker second quote)."""
    war = "The French and Indian War (1754–1763) was the North American theater of the worldwide Seven Years' War."
    asked = ("The French and Indian War was fought from 1754 to 1763.", war)
    assert ask("What happened then?", asked).query == "What happened between 1754 and 1763?"
    assert ask("Who ruled Canada by then?", asked).query == "Who ruled Canada by 1763?"
    assert ask("Who ruled Canada before then?", asked).query == "Who ruled Canada before 1754?"
    fought = ("When was the war fought?", "The war was fought from 1754 to 1763.")
    assert ask("What happened since then?", fought).query == "What happened since 1763?"


def test_then_is_the_time_of_the_best_quote():
    """The previous answer's first quote, not the last year of all its quotes."""
    first = Passage(document_id="d", start=0, end=10, text="The war ended in 1763 with the Treaty of Paris.")
    second = Passage(document_id="d", start=20, end=30, text="Montreal was captured in 1760.")
    resolved = resolve("What happened then?", conversation(("When did the war end?", "x")), lambda _t: [first, second])
    assert resolved.query == "What happened in 1763?"


def test_a_relative_that_is_no_demonstrative():
    """"the treaty that ended the war" was rewritten "the treaty the ended the war ...":
    a "that" after a noun and before a verb relates; it points back nowhere."""
    war = "The French and Indian War (1754–1763) was the North American theater of the worldwide Seven Years' War."
    asked = ("When did the French and Indian War start?", war)
    assert "the treaty that ended" in ask("Who signed the treaty that ended the war?", asked).query
    assert ask("What was the treaty that ended it?", asked).query == \
        "What was the treaty that ended French and Indian War?"
    engine = ("Where was the first mine engine?", "The first engine was built in Cornwall.")
    assert ask("Who built the engine that pumped water there?", engine).query == \
        "Who built the engine that pumped water in Cornwall?"
    # a demonstrative still points back
    assert ask("Who won that war?", asked).query == "Who won the French and Indian War?"
    # "said that a treaty ...": a "that" before an article or a pronoun opens a clause, no
    # determiner (it was rewritten "Who said the a treaty ...")
    said = ask("Who said that a treaty was signed?", asked).query
    assert said.startswith("Who said that a treaty was signed"), said


def test_it_after_a_common_noun_is_the_thing_the_answer_names():
    paris = ("The war in North America officially ended with the signing of the Treaty of Paris on "
             "10 February 1763.")
    assert ask("Where was it signed?", ("Who signed the treaty that ended the war in 1763?", paris)).query == \
        "Where was Treaty of Paris signed?"
    # an answer naming no such thing leaves the noun as the question gave it
    assert "treaty" in ask("Where was it signed?", ("Who signed the treaty?", "It was signed in 1763.")).query


def test_he_is_the_one_who_did_what_the_question_asks_not_a_place_or_month_beside_it():
    kissinger = ("By January 18, 1974, US Secretary of State Henry Kissinger had negotiated an Israeli troop "
                 "withdrawal from parts of the Sinai Peninsula.")
    assert ask("What was his job?", ("Who negotiated the Israeli troop withdrawal from the Sinai?", kissinger)
               ).query == "What was Henry Kissinger's job?"
    conant = ("James Bryant Conant led the university through the Great Depression and World War II and began "
              "to reform the curriculum.")
    assert ask("When did he die?", ("Who led Harvard through World War II?", conant)).query == \
        "When did James Bryant Conant die?"
    braddock = ("None succeeded and the main effort by Braddock was a disaster; he was defeated in the Battle of "
                "the Monongahela on July 9, 1755 and died a few days later.")
    assert ask("When did he die?", ("Who was defeated at the Battle of the Monongahela?", braddock)).query == \
        "When did Braddock die?"
    named = ("Established originally by the Massachusetts legislature and soon thereafter named for John Harvard "
             "(its first benefactor), Harvard is the oldest institution, and the Harvard Corporation is its first "
             "chartered corporation.")
    assert ask("Was he its first benefactor?", ("Who is Harvard named after?", named)).query.startswith(
        "Was John Harvard")


def test_it_after_what_noun_was_done_is_that_noun():
    limit = "In 1974 a national maximum speed limit of 55 mph was imposed."
    assert topic("What speed limit was imposed in 1974?") == "speed limit"
    assert ask("Who ended it?", ("What speed limit was imposed in 1974?", limit)).query == "Who ended speed limit?"


def test_in_what_year_asks_about_what_the_previous_question_asked():
    canary = "Between 1402 and 1405, the expedition led by Jean de Bethencourt conquered the Canary Islands."
    resolved = ask("In what year?", ("Who conquered the Canary Islands?", canary))
    assert resolved.leans_on == ["short"] and not guessed(resolved)
    assert resolved.query == "In what year? conquered Canary Islands"
    assert ask("When?", ("Who conquered the Canary Islands?", canary)).query == "When? conquered Canary Islands"


def test_an_ellipsis_of_a_names_part_keeps_the_rest_of_the_name():
    juncker = "The Commission's President is Jean-Claude Juncker."
    assert ask("And of the European Council?", ("Who is the President of the European Commission?", juncker)
               ).query == "Who is the President of the European Council?"


def test_a_correction_takes_the_place_of_what_the_previous_question_asked_about():
    shock = 'It was later called the "first oil shock", followed by the 1979 oil crisis.'
    for correction in ("No, I meant the second oil crisis", "Sorry, I meant the second oil crisis."):
        resolved = ask(correction, ("When did the first oil shock begin?", shock))
        assert resolved.query == "When did the second oil crisis begin?" and resolved.leans_on == ["ellipsis"]


def test_in_what_year_may_be_answered_by_a_sentence_without_the_word_year():
    assert own_terms("In what year?") == set() and own_terms("At which battle?") != set()


def test_who_was_a_name_with_more_after_it_is_still_that_person():
    resolved = resolve("What did he eliminate from the curriculum?",
                       [Turn(role="user", content="Who was Charles W. Eliot at Harvard?")])
    assert resolved.query == "What did Charles W. Eliot eliminate from the curriculum?"
    # a possessive asks for a person by role ("Harvard's first president"): the answer names him
    assert "Harvard" not in resolve("When did he die?", [Turn(role="user", content="Who was Harvard's first president?")]).query


def test_a_follow_ups_verb_is_found_in_its_irregular_forms():
    resolved = ask("When did it begin?", ("What is the Strategic Petroleum Reserve?", "It is a stockpile."))
    began = "Development of the Strategic Petroleum Reserve began in 1975."
    sentence = Sentence(_document(began), 0, len(began), 0, "c", 0)
    assert keep_to_question([sentence], "When did it begin?", resolved) == [sentence]


def test_a_participle_inside_the_subject_does_not_end_it():
    assert topic("What is the earliest known reference to immunity?") == "earliest known reference"
    assert topic("When was the university founded in 1636?") == "university"  # the verb still ends it


def test_a_place_the_question_only_happened_in_is_not_its_topic():
    """After a declined "What was the price of petrol in London in 1974?", "it" is the price,
    not London ("When did London end?" was asked before); a name that is more than a place
    stays the topic, and so does a place when the question has no subject of its own."""
    assert topic("What was the price of petrol in London in 1974?") == "price of petrol"
    assert topic("What is the tallest building in the United States?") == "tallest building"
    assert topic("Who founded Harvard University in Cambridge?") == "Harvard University"
    assert topic("What happened in London in 1974?") == "London"
    resolved = ask("When did it end?", ("What was the price of petrol in London in 1974?", ""))
    assert "London" not in resolved.query and "price of petrol" in resolved.query


def test_which_came_first_is_the_two_dated_quotes():
    """"Which came first?" quotes the sentence that dated each of the last two things asked
    about; it was read as the last question plus "first" ("Which is older? Yale founded" quoted
    "Older than The Game by 23 years, the Harvard-Yale Regatta ..."). Without two dated
    answers it is any follow-up."""
    paris = "The war officially ended with the signing of the Treaty of Paris on 10 February 1763."
    rome = "More formal institutions were established through the Treaty of Rome 1957."
    for question in ["Which came first?", "Which one was earlier?", "Which is older?", "So which of them came first?"]:
        resolved = ask(question, ("When was the Treaty of Paris signed?", paris),
                       ("When was the Treaty of Rome signed?", rome))
        assert resolved.leans_on == ["compare"] and [p.text for p in resolved.compared] == [paris, rome]
    undated = ask("Which came first?", ("What is the complexity class P?", "P is a class."),
                  ("What is NP?", "NP is a class."))
    assert "compare" not in undated.leans_on and not undated.compared  # read as any follow-up
    one = ask("Which one was the first?", ("Which treaties formed the European Union?", rome))
    assert "compare" not in one.leans_on and not one.compared
    assert ask("Which treaty came first in 1763?", ("When was the Treaty of Paris signed?", paris)).leans_on != [
        "compare"]


def test_which_one_was_bigger_is_the_two_quotes_giving_an_amount():
    """"which one was bigger" after two answers giving amounts quotes both, also of one thing at
    two times; it was read as "which one was bigger powerful watt's engines 1883" and declined."""
    watt = "Watt's ten-horsepower engines enabled a wide range of manufacturing machinery to be powered."
    later = "By 1883, engines that could provide 10,000 hp had become feasible."
    for question in ["which one was bigger", "Which was larger?", "and which one was more powerful?"]:
        resolved = ask(question, ("how powerful were watt's engines", watt), ("and by 1883?", later))
        assert resolved.leans_on == ["compare"] and [p.text for p in resolved.compared] == [watt, later]
    none = ask("Which one was bigger?", ("What is P?", "P is a class."), ("What is NP?", "NP is a class."))
    assert not none.compared  # no amounts: read as any follow-up
    paris = "The war officially ended with the signing of the Treaty of Paris on 10 February 1763."
    assert not ask("Which came first?", ("When did the war end?", paris), ("And the war?", paris)).compared


def test_after_did_the_subjects_last_word_is_its_verb():
    """"Who built it?" after "When did the steam engine appear in England?" was "Who built
    steam engine appear?" (and before that "Who built England?")."""
    assert topic("When did the steam engine appear in England?") == "steam engine"
    assert topic("When did feudalism collapse?") == "feudalism"
    assert topic("What does the immune system do?") == "immune system"
    assert topic("When did the 1973 oil embargo end?") == "1973 oil embargo"
    assert ask("Who built it?", ("When did the steam engine appear in England?", "")).query == "Who built steam engine?"


def test_that_before_the_questions_verb_is_a_pronoun_not_a_determiner():
    """"When did that change?" after a declined question was "When did the change Harvard?"
    and quoted a sentence on "the changing" of Harvard's theology; "that journey" still points back."""
    resolved = ask("When did that change?", ("How much does a Harvard degree cost in Tokyo?", ""))
    assert "the change" not in resolved.query and "cost" in resolved.query
    journey = ask("When did that journey end?", ("Who took the railway journey in 1804?",
                                                 "Trevithick took the railway journey in 1804."))
    assert journey.query == "When did the railway journey end?"


def test_an_ellipsis_swaps_the_place_with_its_article_and_preposition():
    """"What about Japan?" was "... in the Japan in 1974?" and "And in Japan?" "... in the in Japan ..."."""
    price = ("What was the price of oil in the United States in 1974?", "US prices were significantly higher.")
    for japan in ("What about Japan?", "And in Japan?", "What about in Japan?"):
        assert ask(japan, price).query == "What was the price of oil in Japan in 1974?"
    assert ask("And the Netherlands?", price).query == "What was the price of oil in the Netherlands in 1974?"
    assert ask("What about in 1990?", price).query == "What was the price of oil in the United States in 1990?"
    students = ("How many students did Harvard have in 1870?", "Harvard had 1,000 students in 1870.")
    assert ask("And at Yale?", students).query == "How many students did Yale have in 1870?"


def test_an_ellipsis_takes_the_place_of_the_name_said_with_the_same_preposition():
    """"And to Spain?" is what France ceded to Spain, not what "to Spain" ceded to Great Britain."""
    ceded = ("What territory did France cede to Great Britain?", "France ceded Canada to Great Britain.")
    assert ask("And to Spain?", ceded).query == "What territory did France cede to Spain?"
    assert ask("And Spain?", ceded).query == "What territory did Spain cede to Great Britain?"
    settlers = ("How many European settlers lived in the French North American colonies?", "About 60,000.")
    assert ask("What about in the British colonies?", settlers).query == \
        "How many European settlers lived in the British colonies?"
    team = ("How many games did the Harvard football team win?", "")
    assert ask("What about Yale?", team).query == "How many games did the Yale football team win?"


def test_the_word_is_the_term_asked_about():
    normans = "The Normans were the people who in the 10th and 11th centuries gave their name to Normandy."
    resolved = ask("Where does the word come from?", ("Who were the Normans?", normans))
    assert resolved.query == "Where does the word Normans come from?" and resolved.leans_on == ["term"]
    assert ask("Who coined the term?", ("What is imperialism?", "")).query == "Who coined the term imperialism?"
    assert ask("When was the term first used?", ("What is Islamism?", "")).query == \
        "When was the term Islamism first used?"
    # a word that says what it names is left alone
    assert "the name of" in ask("What is the name of the river?", ("Who were the Normans?", normans)).query
    assert "original word mean" in ask("What does the original word mean?", (
        "Which ancient language does the word imperialism come from?", "It comes from Latin imperium.")).query


def test_he_is_never_an_institution():
    """"Who was the first president of Harvard?" was answered by a sentence naming the Harvard
    Corporation beside "President": "he" was the Corporation."""
    chartered = ("Established originally by the Massachusetts legislature and soon thereafter named for John Harvard "
                 "(its first benefactor), Harvard is the United States' oldest institution of higher learning, and "
                 "the Harvard Corporation (formally, the President and Fellows of Harvard College) is its first "
                 "chartered corporation.")
    query = ask("When did he take office?", ("Who was the first president of Harvard?", chartered)).query
    assert "Corporation" not in query and "United States" not in query
    resolved = ask("When did he die?", ("Who was the first president of Harvard?", "The Harvard Corporation chose."))
    assert resolved.leans_on == ["unresolved"]


def test_they_after_who_won_is_the_winner_or_stays():
    """"They" after "Who won ...?" is who won: the name the answer gives for it, else the
    pronoun stays and the answer's document is preferred (it was "When did January drive ...?")."""
    won = ("Who won the Rose Bowl in 1920?", "Harvard won the Rose Bowl in 1920.")
    resolved = ask("Who is their coach?", won)
    assert resolved.query == "Who is Harvard's coach?" and resolved.leans_on == ["answer"]
    election = ("Who won the January 2006 legislative election in Palestine?",
                "In the January 2006 legislative election it won the majority of the seats, and in 2007 it drove "
                "the PLO out of Gaza.")
    resolved = ask("When did they drive the PLO out of Gaza?", election)
    assert resolved.query == "When did they drive the PLO out of Gaza?"
    assert resolved.leans_on == ["answer"] and resolved.prefer_documents == ["d"]
    third = resolve("How many people did they kill?", conversation(
        election, ("When did they drive the PLO out of Gaza?", election[1])), quoted_whole)
    assert third.query == "How many people did they kill?" and third.leans_on == ["answer"]
    assert "January" not in topic(election[0])  # a month is not what is asked about
    # who someone is: "they" is them; "them" beside "his" is the thing, "his" the answer
    assert ask("What did they do?", ("Who were the Normans?", "The Normans were Norse.")).query == \
        "What did Normans do?"
    assert ask("When did his agreement with them break down?", (
        "Who released Islamists from prison?", "Sadat released Islamists from prison.")).query == \
        "When did Sadat's agreement with Islamists break down?"


# a quoted document for the casing of lower-case turns (rag/followup/casing.py)
OIL = ("In 1974 the price of oil in the United States rose. Japan was the country most dependent on Arab oil, "
       "and prices in Japan rose too. The French and Indian War began in New France, where the fort at the forks "
       "was built; Fort Duquesne and Fort Necessity were the French forts. Its first general was Hervé. The "
       "European Economic Community (EEC) met. The English king was crowned with the title of King Harold II.")


def test_a_lower_case_turn_takes_the_capitals_its_documents_write():
    from rag.followup.casing import recased

    assert recased("what about japan", [OIL]) == "What about Japan"
    assert recased("and the united states", [OIL]) == "And the United States"
    assert recased("what about the french", [OIL]) == "What about the French"
    assert recased("when did the french and indian war begin", [OIL]) == "When did the French and Indian War begin"
    assert recased("and new france", [OIL]) == "And New France"  # a name starting on a stop word
    assert recased("who was hervé", [OIL]) == "Who was Hervé"  # once, never in lower case
    assert recased("what did the eec do", [OIL]) == "What did the EEC do"  # "(EEC)" starts no sentence


def test_a_turn_is_recased_only_where_its_documents_say_so():
    from rag.followup.casing import recased

    assert recased("What about japan", [OIL]) == "What about japan"  # typed with a capital: as typed
    assert recased("what about japan", []) == "what about japan"  # nothing to read the casing from
    assert recased("tell us more", ["The US and the UK. The US met."]) == "Tell us more"  # "us" is no "US"
    # "Fort Duquesne" says how a longer name is written, not "fort"; "King" once beside "the king" is a title
    assert recased("what did the fort become", [OIL]) == "What did the fort become"
    assert recased("which king did he kill", [OIL]) == "Which king did he kill"
    assert recased("  and   the united   states ?", [OIL]) == "  And   the United   States ?"  # only case changes


def test_a_lower_case_follow_up_is_resolved_as_if_typed_with_capitals():
    frame = "what was the price of oil in the united states in 1974"
    texts = {"d": OIL}.get

    def lower(question: str, typed_frame: str = frame):
        return resolve(question, conversation((typed_frame, OIL)), quoted_whole, lambda i: texts(i, ""))

    assert lower("what about japan").query == "What was the price of oil in Japan in 1974?"
    assert lower("what about japan").query == lower("What about Japan?").query
    assert lower("what about japan", "What was the price of oil in the United States in 1974?").query == \
        "What was the price of oil in Japan in 1974?"
    assert lower("and in 1979").query == "What was the price of oil in the United States in 1979?"
    # a question that stands alone is read as typed, lower case and all
    assert lower("who wrote the treaty of paris about new france").query == \
        "who wrote the treaty of paris about new france"


def test_a_conversation_that_quoted_nothing_is_recased_by_what_its_questions_find():
    """Only user turns sent (or every answer a decline): the capitals come from the documents the
    earlier question finds by BM25 (rag/followup/casing.py `texts_to_read`)."""
    from rag.followup.casing import SEARCHED_CHUNKS, texts_to_read

    oil = Document(id="d", title="D", text=OIL)
    searched: list[tuple[str, int]] = []

    def search(text: str, k: int):
        searched.append((text, k))
        return [(Chunk(id="c", document_id="d", ordinal=0, start=0, end=len(OIL), text=OIL), oil)]

    def asked(question: str, earlier: str):
        return resolve(question, [Turn(role="user", content=earlier)], quoted_whole, None, search)

    lower = "what was the price of oil in the united states in 1974"
    typed = "What was the price of oil in the United States in 1974?"
    for earlier, question in [(lower, "what about japan"), (typed, "what about japan"), (lower, "What about Japan?")]:
        assert asked(question, earlier).query == "What was the price of oil in Japan in 1974?", (earlier, question)
    assert searched[0] == (lower, SEARCHED_CHUNKS)  # the earlier question is searched, not the follow-up
    searched.clear()  # nothing in lower case: nothing searched
    assert asked("What about Japan?", typed).query == "What was the price of oil in Japan in 1974?" and not searched
    # a quoted document gives the capitals as before: nothing is searched
    assert texts_to_read([lower, "what about japan"], [OIL], search) == [OIL] and not searched
    assert texts_to_read([lower, "what about japan"], [], None) == []


def test_a_fronted_topic_is_what_the_pronoun_after_it_names():
    """"Back to X, ...", "and X, ...": the phrase before the comma is the pronoun's referent,
    not the previous answer's subject (rag/followup/bound.py)."""
    algeria = ("When did France take Algeria?", "France took control of Algeria in 1830.")
    manchuria = ("And Manchuria?", "In 1931 Japan conquered Manchuria from China.")
    resolved = resolve("back to france, when did it let algeria go", conversation(algeria, manchuria), quoted_whole)
    assert resolved.query == "when did france let algeria go" and resolved.leans_on == ["topic"]
    assert resolved.entity == "france" and resolved.prefer_documents == []
    blum = ("What did Blum do?", "In 1967, Manuel Blum developed an axiomatic complexity theory.")
    assert ask("and Karp, how many problems did he show were NP-complete", blum).query == \
        "how many problems did Karp show were NP-complete"
    assert ask("As for the Dutch, what did they ban?", ("What did the UK ban?", "The UK banned flying.")).query == \
        "what did the Dutch ban?"
    # no topic of its own: an interjection, or a clause, before the comma
    for question in ("sorry, when did he die", "well, when did he die", "and when he died, where was he",
                     "and in 1712, where was he", "and back then, where was he"):
        assert "Thomas Newcomen" in ask(question, ("Who invented the atmospheric engine?", NEWCOMEN)).query


def test_a_reported_speakers_pronoun_is_its_own():
    woods = ("When did the US leave Bretton Woods?", "On August 15, 1971, the US pulled out of the Bretton Woods Accord.")
    resolved = ask("When did OPEC say it would price oil in gold?", woods)
    assert resolved.query == "When did OPEC say it would price oil in gold?" and resolved.leans_on == []
    # a pronoun that is no speaker's, or does not agree with it, still leans on the conversation
    assert "atmospheric engine" in ask("When did Watt say it was inefficient and who used it?",
                                       ("Who invented the atmospheric engine?", NEWCOMEN)).query
    assert "atmospheric engine" in ask("When did Watt say it was inefficient?",
                                       ("Who invented the atmospheric engine?", NEWCOMEN)).query
    assert ask("Did Rollo say he would convert?", ("Who led the Normans?", "Rollo led them.")).leans_on == []


def test_a_correction_that_asks_a_whole_question_is_that_question():
    woods = ("when did the us leave bretton woods", "On August 15, 1971, the US pulled out of the Bretton Woods Accord.")
    resolved = ask("no I meant when OPEC said it would price oil in gold", woods)
    assert resolved.query == "when OPEC said it would price oil in gold" and resolved.leans_on == ["restated"]
    # typed in lower case, it is read with the capitals the quoted document gives OPEC
    texts = {"d": "In September 1971, OPEC said it would price oil in gold. OPEC met."}.get
    lower = resolve("no i meant when opec said it would price oil in gold", conversation(woods), quoted_whole,
                    lambda i: texts(i, ""))
    assert lower.query == "when OPEC said it would price oil in gold"
    # the question said again may still lean on the conversation
    assert ask("No, I meant when did he die?", ("Who invented the atmospheric engine?", NEWCOMEN)).query == \
        "when did Thomas Newcomen die?"


def test_a_bare_no_gives_the_corrected_term():
    causes = ("main cause of immunodeficiency in developed countries?",
              "In developed countries, obesity, alcoholism, and drug use are common causes of poor immune function.")
    resolved = ask("no, in developing countries", causes)
    assert resolved.query == "main cause of immunodeficiency in developing countries?"
    assert resolved.leans_on == ["ellipsis"]
    # "no, the other one" is the other one of the topic, as without the "no"
    assert "other atmospheric engine" in ask("no, the other one", ("Who invented the atmospheric engine?",
                                                                  NEWCOMEN)).query


def test_a_contracted_question_word_is_read_as_its_two_words():
    worst = ("what's quicksort's worst case", "The worst-case is when the input is sorted, taking time O(n2).")
    assert uncontracted("what's quicksort's worst case, who’s he") == "what is quicksort's worst case, who is he"
    assert ask("and the average", worst).query == "what is quicksort's average case?"
    assert ask("who's it named after", ("what's the harvard yard", "Harvard Yard is the main campus.")).query == \
        "who is harvard yard named after"


def test_one_new_word_takes_the_place_of_the_frames_modifier():
    settlers = ("how many british settlers were there", "British settlers numbered about 1.5 million.")
    assert ask("what about the french", settlers).query == "how many french settlers were there?"
    # a term of more words stands for the whole phrase, as before
    students = ("How many undergraduates does Harvard have?", "Harvard has 7,200 undergraduates.")
    assert ask("And graduate students?", students).query == "How many graduate students does Harvard have?"


def test_which_country_may_be_answered_by_a_sentence_without_the_word_country():
    resolved = Resolved(query="which country was fis in", leans_on=["pronoun"], entity="fis")
    led, names_it = _sentences("Founded as a broad Islamist coalition in 1989 it was led by Abbassi Madani.",
                               "The FIS was an Islamist movement in Algeria.")
    assert keep_to_question([led, names_it], "which country was it in", resolved) == [led, names_it]
    # the kind asked is dropped only where a verb follows it: "which country's leader" keeps it
    assert keep_to_question([led], "how big was the country it ruled", resolved) == []


def test_the_noun_with_a_name_before_it_is_the_name_holding_both():
    """"the Italian court" (a lower-case turn recased by rag/followup/casing.py) is the name an
    earlier answer gave a court that is Italian; a name the conversation said is nothing new."""
    costa = ("He claimed the Italian nationalisation law conflicted with the Treaty of Rome, and requested a "
             "reference be made to both the Italian Constitutional Court and the Court of Justice.")
    resolved = ask("And what did the Italian court say?", ("What did he claim?", costa))
    assert "Italian Constitutional Court" in resolved.query and resolved.leans_on == ["definite"]
    # a modifier no name of the answer holds leaves the question as it is
    assert ask("And what did the French court say?", ("What did he claim?", costa)).leans_on != ["definite"]


def test_that_ending_a_question_is_a_pronoun():
    """"How many square miles was that?": a demonstrative with nothing after it points back, as
    "this" and "those" do."""
    ceded = ("What did France give up at the end?", "France ceded its territory east of the Mississippi.")
    resolved = ask("how many square miles was that", ceded)
    assert resolved.leans_on == ["pronoun"] and "that" not in resolved.query
    assert resolved.query == ask("how many square miles was this", ceded).query
