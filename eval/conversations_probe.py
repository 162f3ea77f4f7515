"""Writes eval/datasets/conversations-probe.jsonl: conversations the team wrote to find
defects in follow-up questions (rag/followup/), as people type them: pronouns, "the
company", "And in 1185?", "Why?", "Who else?", corrections, comparisons, "Tell me more",
quoted terms, lower case without a question mark, and new questions that must not be
rewritten. Tune-side data: rules were mended after reading its failures, so it measures
nothing held out. Same format and checks as eval/conversations.py (`build`); both halves
of corpus/wikipedia/ are used. Run: python eval/conversations_probe.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conversations import build, documents, write_set  # noqa: E402

# (id, kind, document slug, [(question, phrase), ...]) as in eval/conversations.py; further
# kinds: short ("Why?", "When?"), definite ("the duke"), correction, compare, more, who-else,
# standalone (a new question in the same document, naming its own subject)
PROBE = [
    ("p-se-1", "pronoun", "steam-engine", [("Who invented the atmospheric engine?", "invented by Thomas Newcomen"),
                                           ("when did he invent it", "1712")]),
    ("p-se-2", "ellipsis", "steam-engine", [("Who invented the atmospheric engine?", "invented by Thomas Newcomen"),
                                            ("And the steam pump?", "Thomas Savery")]),
    ("p-se-3", "correction", "steam-engine", [("When was the Savery engine patented?", "In 1698 Thomas Savery patented"),
                                              ("No, I meant the Corliss steam engine", "1849")]),
    ("p-se-4", "pronoun", "steam-engine", [("What did Thomas Savery patent in 1698?", "In 1698 Thomas Savery patented"),
                                           ("How did it work?", "condensing steam to create a vacuum")]),
    ("p-se-5", "short", "steam-engine", [("Who built the first full-scale working railway steam locomotive?", "built by Richard Trevithick"),
                                         ("Where?", "United Kingdom")]),
    ("p-se-6", "more", "steam-engine", [("What did James Watt patent in 1781?", "In 1781 James Watt patented"),
                                        ("Tell me more", "ten-horsepower")]),
    ("p-se-7", "compare", "steam-engine", [("When did Savery patent his steam pump?", "In 1698 Thomas Savery patented"),
                                           ("And Newcomen's atmospheric engine?", "was used in 1712 for pumping"),
                                           ("Which came first?", "1698")]),
    ("p-se-8", "definite", "steam-engine", [("Who built the Locomotion in 1825?", "In 1825 George Stephenson built"),
                                            ("For which railway was the locomotive built?", "Stockton and Darlington Railway")]),
    ("p-no-1", "definite", "normans", [("Who conquered England in 1066?", "Duke William II of Normandy conquered England"),
                                       ("Which king did the duke kill?", "King Harold II")]),
    ("p-no-2", "who-else", "normans", [("Who led the expedition that conquered the Canarian islands?", "led by the Norman noble Jean de Bethencourt"),
                                       ("Who else?", "Gadifer de la Salle")]),
    ("p-no-3", "pronoun", "normans", [("Who was Bohemond's nephew?", "Bohemond of Taranto and his nephew Tancred"),
                                      ("What was he instrumental in?", "conquest of Jerusalem")]),
    ("p-no-4", "pronoun", "normans", [("Who were the Normans descended from?", "descended from Norse"),
                                      ("Who was their leader?", "Rollo")]),
    ("p-no-5", "pronoun", "normans", [("When did the Normans under Bohemond besiege Dyrrachium?", "in 1107, the Normans under the command of Bohemond"),
                                      ("Where did he sign the peace treaty?", "Deabolis")]),
    ("p-no-6", "ellipsis", "normans", [("What happened to Dyrrachium in 1082?", "The city's garrison resisted until February 1082"),
                                       ("And in 1185?", "invaded Dyrrachium")]),
    ("p-no-7", "switch", "normans>harvard-university", [("Who was the Norse leader?", "under their leader Rollo"),
                                                        ("What is the largest academic library system in the world?", "Harvard Library")]),
    ("p-no-8", "pronoun", "normans", [("Who did King Malcolm III of Scotland marry?", "married Edgar's sister Margaret"),
                                    ("Why did he oppose William?", "disputed Scotland's southern borders")]),
    ("p-ha-1", "unanswerable", "harvard-university", [("Who was the first president of Harvard?", "named for John Harvard (its first benefactor)"),
                                                      ("When did he die?", None)]),
    ("p-ha-2", "pronoun", "harvard-university", [("Who was Harvard's longest-serving president?", "longest-serving president"),
                                                 ("What did he eliminate from the curriculum?", "favored position of Christianity")]),
    ("p-ha-3", "definite", "harvard-university", [("When was Harvard formed?", "Harvard was formed in 1636"),
                                                  ("What was the college initially called?", "New College")]),
    ("p-ha-4", "ellipsis", "harvard-university", [("What happened to the college in 1638?", "In 1638, the college became home"),
                                                  ("And in 1639?", "renamed Harvard College")]),
    ("p-ha-5", "pronoun", "harvard-university", [("Who led Harvard through the Great Depression?", "James Bryant Conant led the university"),
                                                 ("What did he ask the faculty in 1943?", "what general education ought to be")]),
    ("p-ha-6", "ellipsis", "harvard-university", [("How many undergraduates does Harvard have?", "7,200 undergraduates"),
                                                  ("And graduate students?", "14,000")]),
    ("p-ha-7", "quoted", "harvard-university", [("What is Harvard's school color?", "The school color is crimson"),
                                                ("When was \"crimson\" adopted?", "1875")]),
    ("p-ha-8", "short", "harvard-university", [("What did John Harvard leave the school?", "He had left the school £779"),
                                               ("How many books?", "400")]),
    ("p-ha-9", "pronoun", "harvard-university", [("Where is Harvard's main campus centered?", "main campus is centered on Harvard Yard"),
                                                 ("how big is it", "209-acre")]),
    ("p-oc-1", "pronoun", "1973-oil-crisis", [("When did the 1973 oil crisis begin?", "The 1973 oil crisis began in October 1973"),
                                              ("when did it end", "March 1974")]),
    ("p-oc-2", "pronoun", "1973-oil-crisis", [("Who negotiated an Israeli troop withdrawal from the Sinai?", "Henry Kissinger had negotiated"),
                                              ("What office did he hold?", "Secretary of State")]),
    ("p-oc-3", "pronoun", "1973-oil-crisis", [("Which country faced a complete embargo in the EEC?", "Netherlands faced a complete embargo"),
                                              ("What did they impose on those who used more than their ration of electricity?", "prison sentences")]),
    ("p-oc-4", "correction", "1973-oil-crisis", [("When did the first oil shock begin?", "The 1973 oil crisis began in October 1973"),
                                                 ("sorry, I meant the second oil shock", "1979")]),
    ("p-oc-5", "short", "1973-oil-crisis", [("By how much did OPEC raise the posted price of oil in October 1973?", "raised the posted price of oil by 70%"),
                                            ("Why?", "In response to American aid to Israel")]),
    ("p-oc-6", "who-else", "1973-oil-crisis", [("Which country first announced an oil embargo on the United States?", "Libya immediately announced"),
                                               ("Who else joined?", "Saudi Arabia")]),
    ("p-oc-7", "switch", "harvard-university>1973-oil-crisis", [("When was Harvard formed?", "Harvard was formed in 1636"),
                                                                ("What did the Nixon Administration begin with the combatants?", "multilateral negotiations")]),
    ("p-eu-1", "pronoun", "european-union-law", [("What is the highest court able to interpret EU law?", "The European Court of Justice is the highest court"),
                                                 ("Can it rule on the validity of the Treaties?", "it cannot rule on their validity")]),
    ("p-eu-2", "ellipsis", "european-union-law", [("When was the Treaty of Rome signed?", "through the Treaty of Rome 1957"),
                                                  ("And the Maastricht Treaty?", "1992")]),
    ("p-eu-3", "pronoun", "european-union-law", [("In which case did a Commissioner give her dentist a job?", "Commission v Edith Cresson"),
                                                 ("Did she break any law?", "did in fact not break any law")]),
    ("p-ip-1", "pronoun", "imperialism", [("Which Latin word does imperialism come from?", "originated from the Latin word"),
                                          ("what does it mean", "rule over large territories")]),
    ("p-ip-2", "pronoun", "imperialism", [("Who wrote Imperialism, the Highest Stage of Capitalism?", "Lenin in particular exerted substantial influence"),
                                          ("Who took over after his death?", "Joseph Stalin")]),
    ("p-ip-3", "term", "imperialism", [("Who theorized Orientalism?", "Orientalism, as theorized by Edward Said"),
                                       ("What does the term refer to?", "imaginative geography of the East")]),
    ("p-ip-4", "short", "imperialism", [("What did Hobson argue could cure imperialism?", "Hobson argued that domestic social reforms"),
                                        ("How?", "removing its economic foundation")]),
    ("p-is-1", "pronoun", "islamism", [("Who founded the Jamaat-e-Islami party?", "Maududi founded the Jamaat-e-Islami party"),
                                       ("Until when did he lead it?", "1972")]),
    ("p-is-2", "ellipsis", "islamism", [("When did Maududi found the Jamaat-e-Islami party?", "Maududi founded the Jamaat-e-Islami party"),
                                        ("What about the Muslim Brotherhood?", "1928")]),
    ("p-is-3", "pronoun", "islamism", [("Where was the Muslim Brotherhood founded?", "founding of the Muslim Brotherhood in Ismailiyah"),
                                       ("When was its founder assassinated?", "1949")]),
    ("p-is-4", "short", "islamism", [("Which movement took over roughly 80% of Afghanistan?", "known as the Taliban rose to power"),
                                     ("When?", "1996")]),
    ("p-is-5", "pronoun", "islamism", [("Whose ideas became increasingly radical during his imprisonment?", "Qutb's ideas became increasingly radical"),
                                       ("When was he executed?", "1966")]),
    ("p-is-6", "switch", "islamism>steam-engine", [("Who founded the Jamaat-e-Islami party?", "Maududi founded the Jamaat-e-Islami party"),
                                                   ("Who patented a steam pump in 1698?", "Thomas Savery")]),
    ("p-in-1", "pronoun", "immune-system", [("Who formulated the clonal selection theory?", "Frank Burnet, inspired by a suggestion"),
                                            ("Who inspired him?", "Niels Jerne")]),
    ("p-in-2", "short", "immune-system", [("What did Robert Koch prove?", "Robert Koch's 1891 proofs"),
                                          ("When?", "1891")]),
    ("p-in-3", "compare", "immune-system", [("When was Koch awarded a Nobel Prize?", "Robert Koch's 1891 proofs"),
                                            ("When did Burnet formulate the clonal selection theory?", "Frank Burnet, inspired by a suggestion"),
                                            ("Which came first?", "1905")]),
    ("p-in-4", "ellipsis", "immune-system", [("Which theory of immunity did Robert Koch hold?", "held, among others, by Robert Koch"),
                                             ("What about Elie Metchnikoff?", "cellular theory")]),
    ("p-in-5", "standalone", "immune-system", [("What is the most effective manipulation of the immune system?", "vaccination represents the most effective"),
                                               ("What happens after loss of the thymus at an early age?", "severe immunodeficiency")]),
    ("p-fi-1", "pronoun", "french-and-indian-war", [("Who led the expedition to take Fort Duquesne in June 1755?", "Braddock (with George Washington as one of his aides)"),
                                                    ("How many troops did he lead?", "1,500")]),
    ("p-fi-2", "pronoun", "french-and-indian-war", [("Who was defeated in the Battle of the Monongahela?", "he was defeated in the Battle of the Monongahela"),
                                                    ("When did he die?", "a few days later")]),
    ("p-fi-3", "then", "french-and-indian-war", [("When was the Battle of Jumonville Glen?", "The dispute erupted into violence"),
                                                 ("How old was Washington then?", "22-year-old")]),
    ("p-fi-4", "definite", "french-and-indian-war", [("What did William Trent's men begin building in 1754?", "began construction of a small stockaded fort"),
                                                     ("What did the fort become?", "Fort Duquesne")]),
    ("p-fi-5", "definite", "french-and-indian-war", [("What dispute began the French and Indian War?", "It began with a dispute over control"),
                                                     ("How long did the fighting of the war last on the mainland?", "six years")]),
    ("p-cc-1", "short", "computational-complexity-theory", [("Who proved that practically relevant NP-complete problems exist?", "Stephen Cook and, working independently"),
                                                            ("When?", "1971")]),
    ("p-cc-2", "pronoun", "computational-complexity-theory", [("What is a Turing machine?", "A Turing machine is a mathematical model"),
                                                              ("Are they intended as a practical computing technology?", "thought experiment")]),
    ("p-cc-3", "ellipsis", "computational-complexity-theory", [("What is a deterministic Turing machine?", "A deterministic Turing machine is the most basic"),
                                                               ("And a probabilistic one?", "extra supply of random bits")]),
    ("p-cc-4", "standalone", "computational-complexity-theory", [("What does Cobham's thesis say?", "Cobham's thesis says"),
                                                                 ("what is the most commonly used model in complexity theory", "Turing machine")]),
]


def main() -> int:
    write_set("probe", build(PROBE, documents()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
