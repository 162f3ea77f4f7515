"""Defects the team's probe conversations found (eval/datasets/conversations-probe.jsonl), as
pure functions of rag/followup/: whom "he" is, what an elliptical "And the steam pump?" takes
the place of, and when a word ending like a participle is the term asked about."""

from rag.followup import names, resolve
from rag.quotes import term_asked
from tests.test_followup import ask, conversation, quoted_whole

HARVARD = ("Established originally by the Massachusetts legislature and soon thereafter named for John Harvard "
           "(its first benefactor), Harvard is the United States' oldest institution of higher learning, and the "
           "Harvard Corporation (formally, the President and Fellows of Harvard College) is its first chartered "
           "corporation.")


def test_he_after_an_office_is_no_one_when_the_answer_never_says_the_office():
    """The quote names no president ("President and Fellows of ..." is the corporation): "he"
    stays and is declined, not "When did John Harvard die?"."""
    resolved = ask("When did he die?", ("Who was the first president of Harvard?", HARVARD))
    assert resolved.query == "When did he die?" and resolved.leans_on == ["unresolved"]
    simon = ("In 1973, Nixon named William E. Simon as the first Administrator of the Federal Energy Office, a "
             "short-term organization created to coordinate the response to the embargo.")  # an office of it
    assert ask("Where did he go to college?", ("Who was the first administrator of the Federal Energy Office?",
                                               simon)).query == "Where did William E. Simon go to college?"


def test_he_is_the_one_who_did_it_past_an_aside():
    """An aside between the doer and the verb; a name that only did something in the aside
    ("inspired by ... Niels Jerne") is not the doer."""
    braddock = ("Braddock (with George Washington as one of his aides) led about 1,500 army troops and provincial "
                "militia on an expedition in June 1755 to take Fort Duquesne.")
    assert ask("How many troops did he lead?", ("Who led the expedition to take Fort Duquesne?", braddock)
               ).query == "How many troops did Braddock lead?"
    burnet = ("In the mid-1950s, Frank Burnet, inspired by a suggestion made by Niels Jerne, formulated the clonal "
              "selection theory (CST) of immunity.")
    assert ask("Who inspired him?", ("Who formulated the clonal selection theory?", burnet)).query == \
        "Who inspired Frank Burnet?"


def test_he_is_no_people_no_common_noun_and_no_describing_word():
    bohemond = ("A few years after the First Crusade, in 1107, the Normans under the command of Bohemond, Robert's "
                "son, landed in Valona and besieged Dyrrachium.")
    assert ask("Where did he sign the peace treaty?", ("When did the Normans under Bohemond besiege Dyrrachium?",
                                                       bohemond)).query == "Where did Bohemond sign the peace treaty?"
    cresson = ("This resulted in one main case, Commission v Edith Cresson where the European Court of Justice held "
               "that a Commissioner giving her dentist a job did in fact not break any law.")
    assert ask("Did she break any law?", ("In which case did a Commissioner give her dentist a job?", cresson)
               ).query == "Did Edith Cresson break any law?"
    lenin = ("Lenin in particular exerted substantial influence over later Marxist conceptions of imperialism with "
             "his work Imperialism, the Highest Stage of Capitalism.")
    assert ask("Who took over after his death?", ("Who wrote Imperialism, the Highest Stage of Capitalism?", lenin)
               ).query == "Who took over after Lenin's death?"


def test_he_after_who_did_a_name_do_is_that_name():
    margaret = "King Malcolm III of Scotland married Edgar's sister Margaret."
    assert ask("Why did he oppose William?", ("Who did King Malcolm III of Scotland marry?", margaret)).query == \
        "Why did King Malcolm III of Scotland oppose William?"


def test_a_word_that_opens_a_sentence_is_not_part_of_a_name():
    assert names("While Qutb's ideas became radical, the Brotherhood stayed moderate.") == ["Qutb", "Brotherhood"]
    assert names("Although Maududi talked about revolution. However Al Banna agreed.") == ["Maududi", "Al Banna"]


def test_an_elliptical_thing_takes_the_place_of_the_thing_asked_about():
    newcomen = ("Who invented the atmospheric engine?", "The atmospheric engine was invented by Thomas Newcomen.")
    assert ask("And the steam pump?", newcomen).query == "Who invented the steam pump?"
    students = ("How many undergraduates does Harvard have?", "Harvard has 7,200 undergraduates.")
    assert ask("And graduate students?", students).query == "How many graduate students does Harvard have?"
    # a time or place is still added, and an ordinal goes with the thing it numbered
    price = ("What was the price of oil by March 1974?", "The price had risen to $12 by March 1974.")
    assert ask("And before the embargo?", price).query == "What was the price of oil by March 1974 before the embargo?"
    shock = ("When did the first oil shock begin?", "The 1973 oil crisis began in October 1973.")
    assert ask("sorry, I meant the second oil shock", shock).query == "When did the second oil shock begin?"


def test_an_elliptical_the_name_takes_the_place_of_the_name_said_with_the():
    founded = ("When did Maududi found the Jamaat-e-Islami party?", "Maududi founded the Jamaat-e-Islami party in 1941.")
    assert ask("What about the Muslim Brotherhood?", founded).query == "When did Maududi found the Muslim Brotherhood?"


def test_a_word_ending_like_a_participle_is_the_term_when_said_as_one():
    for question, term in (("Where does the term lobbying come from?", "lobbying"),
                           ("When was the term offshoring first used?", "offshoring"),
                           ('What does the word "Viking" mean?', "Viking"),
                           ("Who coined the term gerrymandered?", "gerrymandered")):
        assert term_asked(question) == term, question
    for question in ("When was the term added?", "What is the term used for a king?",
                     "What is the term describing a slow body?"):
        assert term_asked(question) == "", question


def test_a_name_that_describes_a_noun_is_read_with_it():
    turing = ("What is a Turing machine?", "A Turing machine is a mathematical model of a general computing machine.")
    assert ask("Are they practical?", turing).query == "Are Turing machine practical?"
    deterministic = ("What is a deterministic Turing machine?", "A deterministic Turing machine is the most basic.")
    assert ask("And a probabilistic one?", deterministic).query == "What is a probabilistic Turing machine?"
    # "the Latin word" is a language's word: the question is about imperialism
    latin = ("Which Latin word does imperialism come from?", 'Its name originated from the Latin word "imperium".')
    assert ask("what does it mean", latin).query == "what does imperialism mean"
    # after "did" the word that follows the name is its verb: "Dyrrachium fall" describes nothing
    fell = ("When did Dyrrachium fall to the Normans?", "Dyrrachium was betrayed to the Normans in February 1082.")
    assert ask("How many men were in its garrison?", fell).query == "How many men were in Dyrrachium's garrison?"


def test_it_after_what_did_a_person_do_is_the_thing_done():
    savery = ("What did Thomas Savery patent in 1698?",
              "In 1698 Thomas Savery patented a steam pump that used steam in direct contact with the water.")
    assert ask("How did it work?", savery).query == "How did steam pump work?"


def test_who_else_asks_the_previous_question_again():
    libya = ("Which country first announced an oil embargo on the United States?",
             "Libya immediately announced it would embargo oil shipments to the United States.")
    for question in ("Who else?", "Who else joined?", "who else"):
        resolved = ask(question, libya)
        assert resolved.continues == libya[0] and resolved.query == libya[0], question


def test_it_after_a_possessive_is_the_thing_owned():
    campus = ("Where is Harvard's main campus centered?", "Its 209-acre main campus is centered on Harvard Yard.")
    assert ask("how big is it", campus).query == "how big is Harvard's main campus"
    # a person's name that owns a thing is still a person: "he" is Qutb
    qutb = ("Whose ideas became radical during his imprisonment?",
            "While Qutb's ideas became increasingly radical during his imprisonment prior to his execution in 1966, "
            "the leadership of the Brotherhood remained moderate.")
    assert ask("When was he executed?", qutb).query == "When was Qutb executed?"


def test_those_who_is_no_demonstrative():
    ration = ("Which country faced a complete embargo?", "The Netherlands faced a complete embargo.")
    assert "those who used more" in ask("What did they impose on those who used more electricity?", ration).query


def test_which_came_first_after_an_elliptical_new_thing_compares_the_two():
    """"And Newcomen's atmospheric engine?" is about the engine now, not still about Savery."""
    resolved = resolve("Which came first?", conversation(
        ("When did Savery patent his steam pump?", "In 1698 Thomas Savery patented a steam pump."),
        ("And Newcomen's atmospheric engine?", "Newcomen's atmospheric engine was used in 1712 in a mine.")),
        quoted_whole)
    assert resolved.leans_on == ["compare"] and [p.text[:7] for p in resolved.compared] == ["In 1698", "Newcome"]
    # a new time is the same thing at another time: still about the price
    assert ask("What about Japan?", ("What was the price of oil in the United States in 1974?", "")).entity == \
        "price of oil"


def test_the_noun_is_the_name_an_earlier_turn_gave_it():
    william = ("Who conquered England in 1066?",
               "In 1066, Duke William II of Normandy conquered England killing King Harold II at the Battle of Hastings.")
    resolved = ask("Which king did the duke kill?", william)
    assert resolved.query == "Which king did Duke William II of Normandy kill?" and resolved.leans_on == ["definite"]
    war = ("What dispute began the French and Indian War?", "It began with a dispute over the Forks of the Ohio.")
    assert ask("How long did the fighting of the war last?", war).query == \
        "How long did the fighting of French and Indian War last?"
    # no name holds the noun: the previous topic is added as before
    assert ask("What did the fort become?", ("What did Trent's men build?", "They built a small fort.")
               ).leans_on == ["attribute"]
