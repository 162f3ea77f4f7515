"""Writes eval/datasets/conversations-probe2.jsonl: a second set of follow-up conversations,
written before reading rag/followup/ or the first probe's failures, as different people type
them: terse, chatty, lower case, "and what about ...", "why", "who stopped him", "how long did
it last", "what happened after that", "where was it", "which one was bigger", and follow-ups
whose answer lies in the sentence just shown. It was the held-out check of the first probe's
rule changes; once rules are mended on its failures it is tune-side too. Same format and
checks as eval/conversations.py (`build`); corpus/news/ is used besides corpus/wikipedia/.
Run: python eval/conversations_probe2.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conversations import build, documents, write_set  # noqa: E402

# (id, kind, document slug, [(question, phrase), ...]) as in eval/conversations_probe.py; a
# further kind: same (the answer is in the sentence the previous turn showed)
PROBE2 = [
    ("q2-no-1", "pronoun", "normans", [("who led the norse raiders", "under their leader Rollo"),
                                       ("who did he swear fealty to", "King Charles III of West Francia")]),
    ("q2-no-2", "pronoun", "normans", [("When did the Duchy of Normandy begin?", "The Duchy of Normandy, which began in 911"),
                                       ("what treaty established it", "Saint-Clair-sur-Epte")]),
    ("q2-no-3", "pronoun", "normans", [("Who tried to carve out an independent state in Asia Minor?", "Roussel de Bailleul even tried"),
                                       ("who stopped him", "Alexius Komnenos")]),
    ("q2-no-4", "after", "normans", [("Who conquered England in 1066?", "Duke William II of Normandy conquered England"),
                                     ("what happened after that?", "replaced the Anglo-Saxons as the ruling class")]),
    ("q2-no-5", "pronoun", "normans", [("hi! who drove the Byzantines out of southern Italy?", "ultimately drove the Byzantines out"),
                                       ("ok and what was he count of", "Apulia")]),
    ("q2-no-6", "where", "normans", [("Which Norman prince founded the Principality of Antioch?", "their prince Bohemond I founded"),
                                     ("where was it", "Levant")]),
    ("q2-ha-1", "how-long", "harvard-university", [("Who transformed Harvard into a modern research university?", "President Charles W. Eliot's long tenure"),
                                                   ("how long did his tenure last", "1869–1909")]),
    ("q2-ha-2", "same", "harvard-university", [("How big is Harvard's endowment?", "Harvard's $37.6 billion financial endowment"),
                                               ("is it the biggest of any university", "largest of any academic institution")]),
    ("q2-ha-3", "pronoun", "harvard-university", [("What league does Harvard compete in?", "The Harvard Crimson competes in 42"),
                                                  ("who's their big rival", "Yale University")]),
    ("q2-ha-4", "ellipsis", "harvard-university", [("how many US presidents went to harvard", "Harvard's alumni include eight U.S. presidents"),
                                                   ("and Nobel laureates?", "150")]),
    ("q2-ha-5", "same", "harvard-university", [("When did the undergraduate college become coeducational?", "The undergraduate college became coeducational"),
                                               ("with which college did it merge", "Radcliffe College")]),
    ("q2-ha-6", "pronoun", "harvard-university", [("when was harvard founded", "Harvard was formed in 1636"),
                                                  ("who was it named after", "John Harvard")]),
    ("q2-ha-7", "unanswerable", "harvard-university", [("Who was Harvard's longest-serving president?", "longest-serving president"),
                                                       ("where was he born", None)]),
    ("q2-oc-1", "how-long", "1973-oil-crisis", [("who proclaimed the oil embargo in 1973", "The 1973 oil crisis began in October 1973"),
                                                ("how long did it last", "March 1974")]),
    ("q2-oc-2", "pronoun", "1973-oil-crisis", [("how much had the price of oil risen by march 1974", "By the end of the embargo in March 1974"),
                                               ("what was it called later", "first oil shock")]),
    ("q2-oc-3", "pronoun", "1973-oil-crisis", [("Who did Nixon name first Administrator of the Federal Energy Office?", "Nixon named William E. Simon"),
                                               ("what did he allocate to the states", "same amount of domestic oil")]),
    ("q2-oc-4", "pronoun", "1973-oil-crisis", [("Which country was most dependent on Arab oil?", "Japan was the country most dependent on Arab oil"),
                                               ("how much of its imported oil came from the middle east", "71%")]),
    ("q2-oc-5", "pronoun", "1973-oil-crisis", [("when was the national maximum speed limit imposed", "national maximum speed limit of 55 mph"),
                                               ("who ended it", "Bill Clinton")]),
    ("q2-oc-6", "after", "1973-oil-crisis", [("when did OPEC raise the posted price of oil by 70%", "OPEC raised the posted price of oil by 70%"),
                                             ("and what did Nixon request three days later?", "$2.2 billion")]),
    ("q2-oc-7", "unanswerable", "1973-oil-crisis", [("Who was the first Administrator of the Federal Energy Office?", "Nixon named William E. Simon"),
                                                    ("when did he die", None)]),
    ("q2-fi-1", "same", "french-and-indian-war", [("Who replaced Shirley in January 1756?", "Newcastle replaced him in January 1756"),
                                                  ("who was his second in command", "James Abercrombie")]),
    ("q2-fi-2", "pronoun", "french-and-indian-war", [("Who led the French regulars that arrived in May 1756?", "led by Major General Louis-Joseph de Montcalm"),
                                                     ("what did he attack in August", "Oswego")]),
    ("q2-fi-3", "ellipsis", "french-and-indian-war", [("When did the war in North America officially end?", "officially ended with the signing of the Treaty of Paris"),
                                                      ("and in Europe?", "Treaty of Hubertusburg")]),
    ("q2-fi-4", "same", "french-and-indian-war", [("Who ordered the expulsion of the Acadians?", "Orders for the deportation were given by William Shirley"),
                                                  ("did great britain tell him to", "without direction from Great Britain")]),
    ("q2-fi-5", "pronoun", "french-and-indian-war", [("who came to power after the British government fell", "William Pitt came to power"),
                                                     ("what did he do", "significantly increased British military resources")]),
    ("q2-fi-6", "where", "french-and-indian-war", [("where was the dispute that started the war", "It began with a dispute over control"),
                                                   ("what city is there now", "Pittsburgh")]),
    ("q2-fi-7", "where", "french-and-indian-war", [("When did the British campaign to capture Canada?", "Between 1758 and 1760"),
                                                   ("where were they defeated later", "Sainte Foy")]),
    ("q2-is-1", "pronoun", "islamism", [("who founded the muslim brotherhood", "founding of the Muslim Brotherhood in Ismailiyah"),
                                        ("what was its motto", "the Qur'an is our constitution")]),
    ("q2-is-2", "pronoun", "islamism", [("Which groups take part in democratic politics as well as armed attacks?", "Hezbollah in Lebanon and Hamas"),
                                        ("what do they seek", "abolish the state of Israel")]),
    ("q2-is-3", "pronoun", "islamism", [("Who was the ideologue of the Iranian Revolution?", "views of Ali Shariati, ideologue"),
                                        ("whose views did his resemble", "Mohammad Iqbal")]),
    ("q2-im-1", "same", "immune-system", [("who inspired burnet", "Frank Burnet, inspired by a suggestion made by Niels Jerne"),
                                          ("what did burnet formulate", "clonal selection theory")]),
    ("q2-im-2", "ellipsis", "immune-system", [("Who represented the cellular theory of immunity?", "represented in particular by Elie Metchnikoff"),
                                              ("and the humoral theory?", "Robert Koch and Emil von Behring")]),
    ("q2-im-3", "pronoun", "immune-system", [("Who developed vaccination?", "exploited by Louis Pasteur"),
                                             ("what was his theory opposed to", "miasma theory")]),
    ("q2-im-4", "same", "immune-system", [("Who experimented with scorpion venom?", "Maupertuis made experiments with scorpion venom"),
                                          ("what did he observe", "immune to this venom")]),
    ("q2-se-1", "same", "steam-engine", [("what was the first recorded steam engine", "the first recorded rudimentary steam engine"),
                                         ("who described it", "Hero of Alexandria")]),
    ("q2-se-2", "pronoun", "steam-engine", [("When was the Corliss engine patented?", "Corliss steam engine, patented in 1849"),
                                            ("what medal did corliss get", "Rumford medal")]),
    ("q2-se-3", "pronoun", "steam-engine", [("how much less steam did the corliss engine use", "In addition to using 30% less steam"),
                                            ("what else did it provide", "more uniform speed")]),
    ("q2-se-4", "pronoun", "steam-engine", [("who introduced the concept of duty", "The concept of duty was first introduced by Watt"),
                                            ("what is it", "number of foot-pounds of work")]),
    ("q2-se-5", "compare", "steam-engine", [("how powerful were watt's engines", "Watt's ten-horsepower engines"),
                                            ("and by 1883?", "By 1883, engines that could provide 10,000"),
                                            ("which one was bigger", "10,000 hp")]),
    ("q2-cc-1", "same", "computational-complexity-theory", [("who wrote the seminal paper on computational complexity", "Juris Hartmanis and Richard Stearns (1965)"),
                                                            ("what did it lay out", "definitions of time and space complexity")]),
    ("q2-cc-2", "pronoun", "computational-complexity-theory", [("which institute proposed the millennium prize problems", "Millennium Prize Problems proposed by the Clay"),
                                                               ("how much is the prize", "US$1,000,000")]),
    ("q2-eu-1", "why", "european-union-law", [("what was the first major case on the primacy of EU law", "In the first major case in 1964, Costa v ENEL"),
                                              ("why did he refuse to pay his bill", "protest against the nationalisation")]),
    ("q2-eu-2", "after", "european-union-law", [("why did the constitution for europe never come into force", "referendum in France and the referendum in the Netherlands"),
                                                ("what was enacted instead", "Lisbon Treaty")]),
    ("q2-eu-3", "pronoun", "european-union-law", [("what is the main executive body of the EU", "The European Commission is the main executive body"),
                                                  ("what should it promote", "general interest of the Union")]),
    ("q2-eu-4", "same", "european-union-law", [("how often does the European Council meet", "It meets each six months"),
                                               ("who is its president", "Donald Tusk")]),
    ("q2-ip-1", "pronoun", "imperialism", [("who said imperialism was the highest form of capitalism", "The Russian leader Lenin suggested"),
                                           ("what was his book called", "Imperialism, the Highest Stage of Capitalism")]),
    ("q2-ip-2", "pronoun", "imperialism", [("which political geographers supported imperialism", "Friedrich Ratzel of Germany and Halford Mackinder"),
                                           ("what did ratzel believe", "imperialism was needed")]),
    ("q2-nw-1", "pronoun", "news/russia-2026-reservist-call-up", [("who signed the decree calling up reservists", "Vladimir Putin, has signed a decree"),
                                                                  ("when was it dated", "December 8")]),
    ("q2-nw-2", "short", "news/russia-2026-reservist-call-up", [("how long can reservist training last", "may not exceed two consecutive months"),
                                                                ("and when will the 2026 ones be held", "in winter")]),
]


def main() -> int:
    write_set("probe2", build(PROBE2, documents()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
