"""Writes eval/datasets/conversations-{tune,report}.jsonl from the hand-written specs below.

Each conversation is a list of (question, phrase) turns about one corpus document. For an
earlier turn the phrase picks the gold answer sentence (the stored sentence that holds
it, verbatim), which becomes the assistant turn of `history`; for the last turn it is
the gold answer (SQuAD-style match), or None when the corpus does not answer it. The
report half is on the articles the reading model is not trained on; the tune half on the
rest. Run: python eval/conversations.py (checks every phrase against corpus/).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rag.ingest.sentences import sentence_spans
from rag.ingest.load import load_bytes

ROOT = Path(__file__).resolve().parent.parent
REPORT_ARTICLES = {"steam-engine", "computational-complexity-theory", "immune-system", "islamism",
                   "french-and-indian-war"}

# (id, kind, document slug, [(question, phrase), ...]); kinds: pronoun, that, then, there,
# ellipsis, attribute (a new attribute of the same entity, no pronoun), unanswerable, and
# switch: a new question about another document, naming nothing, after the earlier turns
# (slug "earlier>last"; it must not be read as a follow-up of the earlier topic)
SPECS = [
    # ---- report half ------------------------------------------------------------------
    ("se-1", "pronoun", "steam-engine", [("Who invented the atmospheric engine?", "invented by Thomas Newcomen"),
                                         ("What was it mostly used for?", "pumping water")]),
    ("se-2", "pronoun", "steam-engine", [("Who patented a steam engine with continuous rotary motion in 1781?", "In 1781 James Watt patented"),
                                         ("How many horsepower was his engine?", "ten")]),
    ("se-3", "ellipsis", "steam-engine", [("How many horsepower was Watt's engine?", "ten-horsepower"),
                                          ("And by 1883?", "10,000 hp")]),
    ("se-4", "pronoun", "steam-engine", [("Where was the first full-scale working railway steam locomotive built?", "built by Richard Trevithick"),
                                         ("Who built it?", "Richard Trevithick")]),
    ("se-5", "that", "steam-engine", [("Who built the first full-scale working railway steam locomotive?", "built by Richard Trevithick"),
                                      ("When did its first journey take place?", "21 February 1804"),
                                      ("Where did that journey end?", "Abercynon")]),
    ("se-6", "unanswerable", "steam-engine", [("Who invented the atmospheric engine?", "invented by Thomas Newcomen"),
                                              ("When was he born?", None)]),
    ("se-7", "unanswerable", "steam-engine", [("Who described a steam turbine in 1629?", "Giovanni Branca in 1629"),
                                              ("Where did he die?", None)]),
    ("se-8", "attribute", "steam-engine", [("What device recycles the boiler water in most steam engines?", "have a water pump to recycle"),
                                           ("Which kind do utility and industrial boilers use?", "multi-stage centrifugal")]),
    ("se-9", "pronoun", "steam-engine", [("What is sometimes present in the crown of the boiler's firebox?", "Lead fusible plugs"),
                                         ("What happens to them if the water level drops?", "melts")]),
    ("se-10", "then", "steam-engine", [("When did Watt patent his rotary steam engine?", "In 1781 James Watt patented"),
                                       ("And what hauled the first railway train in 1804?", "Trevithick's unnamed steam locomotive")]),
    ("cc-1", "pronoun", "computational-complexity-theory", [("What is the most commonplace model in complexity theory?", "most commonly used model"),
                                                           ("What does it manipulate on a strip of tape?", "symbols")]),
    ("cc-2", "that", "computational-complexity-theory", [("What type of problem is the traveling salesman problem?", "Notable examples include the traveling salesman problem"),
                                                         ("How many outputs does that type of problem expect for each input?", "single output")]),
    ("cc-3", "attribute", "computational-complexity-theory", [("What are two basic resources used to measure complexity?", "time and storage"),
                                                             ("And what is counted for circuit complexity?", "number of gates")]),
    ("cc-4", "unanswerable", "computational-complexity-theory", [("What is the most commonplace model in complexity theory?", "most commonly used model"),
                                                                ("When was the first one built?", None)]),
    ("cc-5", "ellipsis", "computational-complexity-theory", [("What are the two simple word answers to a decision problem?", "yes or no"),
                                                            ("And the two integer answers?", "1 or 0")]),
    ("cc-6", "pronoun", "computational-complexity-theory", [("Whose thesis says a problem is feasible if it admits a polynomial time algorithm?", "Cobham's thesis says"),
                                                           ("What does it mean for a problem to be solved with a feasible amount of resources?", "polynomial time algorithm")]),
    ("cc-7", "unanswerable", "computational-complexity-theory", [("Whose thesis says a problem is feasible if it admits a polynomial time algorithm?", "Cobham's thesis says"),
                                                                ("Which university did he teach at?", None)]),
    ("im-1", "pronoun", "immune-system", [("Who won the Nobel Prize in 1905?", "Robert Koch"),
                                          ("What did he prove caused infectious disease?", "microorganisms")]),
    ("im-2", "pronoun", "immune-system", [("What is the most abundant type of phagocyte?", "most abundant type of phagocyte"),
                                          ("What share of leukocytes do they make up?", "50% to 60%")]),
    ("im-3", "pronoun", "immune-system", [("What does the immune system protect organisms against?", "protects against disease"),
                                          ("Which part of it protects the brain?", "neuroimmune system")]),
    ("im-4", "ellipsis", "immune-system", [("Which enzymes in saliva are antibacterial?", "lysozyme and phospholipase A2"),
                                           ("And what does semen contain to kill pathogens?", "defensins and zinc")]),
    ("im-5", "unanswerable", "immune-system", [("What virus did Walter Reed discover?", "yellow fever virus by Walter Reed"),
                                               ("Where did he study medicine?", None)]),
    ("im-6", "unanswerable", "immune-system", [("What is it called when the immune system attacks normal tissues?", "autoimmunity"),
                                               ("How many people suffer from it worldwide?", None)]),
    ("im-7", "pronoun", "immune-system", [("What is one of the first responses of the immune system to infection?", "Inflammation is one of the first responses"),
                                          ("What causes its symptoms?", "increased blood flow into tissue"),
                                          ("Which compounds trigger it?", "eicosanoids and cytokines")]),
    ("im-8", "then", "immune-system", [("When was the earliest known reference to immunity?", "plague of Athens in 430 BC"),
                                       ("Who noted then that people who had recovered could nurse the sick?", "Thucydides")]),
    ("im-9", "pronoun", "immune-system", [("Which cells engulf pathogens and foreign particles?", "that engulf, or eat"),
                                          ("Once they have eaten a pathogen, in what vesicle is it trapped?", "phagosome")]),
    ("is-1", "pronoun", "islamism", [("When was the Muslim Brotherhood founded?", "Egypt in 1928 by Hassan al Banna"),
                                     ("Who founded it?", "Hassan al Banna"),
                                     ("What happened to him in 1949?", "assassinated")]),
    ("is-2", "pronoun", "islamism", [("Which organization did Iqbal join in London?", "All India Muslim League"),
                                     ("When did he return to Lahore?", "1908")]),
    ("is-3", "pronoun", "islamism", [("When did Maududi found the Jamaat-e-Islami party?", "1941"),
                                     ("What profession did he choose instead of law?", "journalism")]),
    ("is-4", "pronoun", "islamism", [("Who released Islamists from prison to gain political support?", "Sadat"),
                                     ("When did his agreement with them break down?", "1975")]),
    ("is-5", "unanswerable", "islamism", [("Where does Hamas originate?", "Hamas in Palestine"),
                                          ("How many members does it have?", None)]),
    ("is-6", "then", "islamism", [("When did Western governments support fledgling Islamists?", "During the 1970s"),
                                  ("Who did the US aid then against the Soviet Union?", "mujahideen")]),
    ("is-7", "unanswerable", "islamism", [("When did Maududi found the Jamaat-e-Islami party?", "1941"),
                                          ("How many children did he have?", None)]),
    ("is-8", "there", "islamism", [("Where was the Muslim Brotherhood founded?", "Egypt in 1928 by Hassan al Banna"),
                                   ("Who was the president there who released Islamists from prison?", "Anwar Sadat")]),
    ("fi-1", "pronoun", "french-and-indian-war", [("When was the French and Indian War?", "1754"),
                                                  ("Who fought in it?", "New France")]),
    ("fi-2", "ellipsis", "french-and-indian-war", [("How many European settlers lived in the French North American colonies?", "60,000"),
                                                   ("And in the British colonies?", "2 million")]),
    ("fi-3", "pronoun", "french-and-indian-war", [("Which British general led the 1755 attack on the French?", "met with General Edward Braddock"),
                                                  ("Where was he defeated?", "Battle of the Monongahela")]),
    ("fi-4", "unanswerable", "french-and-indian-war", [("Who increased British military resources in the colonies?", "William Pitt"),
                                                       ("What was his salary?", None)]),
    ("fi-5", "there", "french-and-indian-war", [("Where did Old Briton live?", "village of Pickawillany"),
                                                ("How many people did the French war party kill there?", "14")]),
    ("fi-6", "that", "french-and-indian-war", [("What was the first battle of the war?", "Battle of Jumonville Glen"),
                                               ("When was that battle?", "May 1754")]),
    ("fi-7", "ellipsis", "french-and-indian-war", [("What territory did France cede to Great Britain?", "east of the Mississippi"),
                                                   ("And to Spain?", "French Louisiana west of the Mississippi River")]),
    ("fi-8", "pronoun", "french-and-indian-war", [("Who was the British Army commander who arrived in 1755?", "met with General Edward Braddock"),
                                                  ("What did the governors plan with him?", "four-way attack"),
                                                  ("How did his main effort end?", "disaster")]),
    ("fi-9", "unanswerable", "french-and-indian-war", [("Where did Old Briton live?", "village of Pickawillany"),
                                                       ("How many people live there today?", None)]),
    ("se-11", "pronoun", "steam-engine", [("Who invented the atmospheric engine?", "invented by Thomas Newcomen"),
                                          ("What was it mostly used for?", "pumping water"),
                                          ("What was it an improvement over?", "Savery's steam pump")]),
    ("cc-8", "ellipsis", "computational-complexity-theory", [("What kind of problems are one of the central objects of study in complexity theory?", "are one of the central objects"),
                                                            ("What are their two simple word answers?", "either yes or no"),
                                                            ("And the integer ones?", "1 or 0")]),
    ("im-10", "pronoun", "immune-system", [("What is the most abundant type of phagocyte?", "most abundant type of phagocyte"),
                                           ("What share of leukocytes do they make up?", "50% to 60%"),
                                           ("What is their movement toward the site of inflammation called?", "chemotaxis")]),
    ("is-9", "pronoun", "islamism", [("Which organization did Iqbal join in London?", "All India Muslim League"),
                                     ("When did he return to Lahore?", "came back to Lahore in 1908"),
                                     ("When was he elected president of the Muslim League?", "1930")]),
    ("fi-10", "there", "french-and-indian-war", [("Where did Old Briton live?", "village of Pickawillany"),
                                                 ("How many people did the French war party kill there?", "killing 14 people"),
                                                 ("On what day did they attack?", "June 21")]),
    ("sw-1", "switch", "steam-engine>immune-system", [("Who invented the atmospheric engine?", "invented by Thomas Newcomen"),
                                                      ("What do cytotoxins form in target cells?", "pores")]),
    ("sw-2", "switch", "immune-system>computational-complexity-theory", [("What is the most abundant type of phagocyte?", "most abundant type of phagocyte"),
                                                                        ("What is the best known algorithm for integer factorization?", "general number field sieve")]),
    ("sw-3", "switch", "computational-complexity-theory>islamism", [("What are two basic resources used to measure complexity?", "time and storage"),
                                                                   ("When did the brotherhood renounce violence?", "1970s")]),
    ("sw-4", "switch", "french-and-indian-war>immune-system", [("Where did Old Briton live?", "village of Pickawillany"),
                                                              ("What can hormones act as?", "immunomodulators")]),
    ("sw-5", "switch", "islamism>french-and-indian-war", [("Where does Hamas originate?", "Hamas in Palestine"),
                                                         ("How many colonial regulars defended the colony?", "3,000")]),
    ("sw-6", "switch", "immune-system>computational-complexity-theory", [("What virus did Walter Reed discover?", "yellow fever virus by Walter Reed"),
                                                                        ("Which classes use interactive proof systems?", "IP and AM")]),
    ("sw-7", "switch", "french-and-indian-war>steam-engine", [("Who increased British military resources in the colonies?", "William Pitt"),
                                                             ("How much did the first fusible plug cost?", None)]),
    ("at-1", "attribute", "steam-engine", [("What is the fundamental thermodynamic underpinning of the steam engine?", "fundamental thermodynamic underpinning"),
                                           ("What is the most useful instrument for analyzing performance?", "steam engine indicator")]),
    ("at-2", "attribute", "islamism", [("When did the Brotherhood renounce violence?", "renounced violence as a means"),
                                       ("How was the group described for many years?", "semi-legal")]),
    ("at-3", "attribute", "french-and-indian-war", [("How many troupes de la marine defended New France?", "troupes de la marine"),
                                                    ("What combat experience did some regulars have?", "woodland combat experience")]),
]
SPECS_TUNE = [
    ("no-1", "pronoun", "normans", [("Who was the Norse leader?", "under their leader Rollo"),
                                    ("Whom did he agree to swear fealty to?", "King Charles III")]),
    ("no-2", "pronoun", "normans", [("When was the Duchy of Normandy founded?", "began in 911"),
                                    ("Which river originally bounded it?", "Seine")]),
    ("no-3", "pronoun", "normans", [("When did Dyrrachium fall to the Normans?", "1082"),
                                    ("How many men were in their army?", "30,000")]),
    ("no-4", "unanswerable", "normans", [("Who was the Norse leader?", "under their leader Rollo"),
                                         ("When did he die?", None)]),
    ("no-5", "pronoun", "normans", [("What is the original meaning of the word Norman?", "Viking"),
                                    ("When was its Latin version first recorded?", "9th century")]),
    ("no-6", "ellipsis", "normans", [("When did Hervé serve as a Byzantine general?", "1050s"),
                                     ("And Robert Crispin?", "1060s")]),
    ("no-7", "pronoun", "normans", [("Who was the duke in the Battle of Hastings?", "their duke, William the Conqueror"),
                                    ("What religion were his people?", "Catholic")]),
    ("no-8", "unanswerable", "normans", [("What was the name of the Norman castle?", "Afranji"),
                                         ("How tall were its walls?", None)]),
    ("oc-1", "then", "1973-oil-crisis", [("When did the 1973 oil embargo end?", "lift the embargo in March 1974"),
                                         ("What was the price of oil by then?", "nearly $12")]),
    ("oc-2", "pronoun", "1973-oil-crisis", [("Who was the first administrator of the Federal Energy Office?", "Simon as the first Administrator"),
                                            ("How did he allocate domestic oil to the states?", "same amount of domestic oil")]),
    ("oc-3", "then", "1973-oil-crisis", [("When did the United States withdraw from the Bretton Woods Accord?", "August 15, 1971"),
                                         ("What was the value of the dollar left to do then?", "float")]),
    ("oc-4", "unanswerable", "1973-oil-crisis", [("Who was the first administrator of the Federal Energy Office?", "Simon as the first Administrator"),
                                                 ("Where did he go to college?", None)]),
    ("oc-5", "ellipsis", "1973-oil-crisis", [("Which country faced a complete embargo in the EEC?", "Netherlands"),
                                             ("And which country was not badly hit?", "UK")]),
    ("oc-6", "pronoun", "1973-oil-crisis", [("When did OPEC raise the posted price of oil to $5.11 a barrel?", "October 16, 1973"),
                                            ("Why did they raise it?", "American aid to Israel")]),
    ("oc-7", "unanswerable", "1973-oil-crisis", [("What speed limit did the United States impose to reduce fuel consumption?", "55 mph"),
                                         ("Who signed that limit into law?", None)]),
    ("oc-8", "pronoun", "1973-oil-crisis", [("When did the 1973 oil crisis begin?", "began in October 1973"),
                                            ("What was another name for it?", "first oil shock"),
                                            ("When was the second one?", "1979")]),
    ("eu-1", "pronoun", "european-union-law", [("What is the main executive body of the EU?", "is the main executive body"),
                                               ("Who sets its work?", "President")]),
    ("eu-2", "pronoun", "european-union-law", [("What is the highest court in the European Union?", "highest court"),
                                               ("How many judges does it have?", "28")]),
    ("eu-3", "ellipsis", "european-union-law", [("In what year did Spain and Portugal join?", "1985"),
                                                ("And Norway?", "did not end up joining")]),
    ("eu-4", "unanswerable", "european-union-law", [("Who is the President of the Council?", "Donald Tusk"),
                                                    ("When was he born?", None)]),
    ("eu-5", "pronoun", "european-union-law", [("Which commission was censured in 1999?", "Santer Commission"),
                                            ("What did it eventually do?", "resigned")]),
    ("eu-6", "pronoun", "european-union-law", [("When was the European Communities Act passed?", "European Communities Act 1972"),
                                               ("Which country passed it?", "UK")]),
    ("eu-7", "attribute", "european-union-law", [("Which two bodies make up the EU's legislature?", "European Parliament and the Council of the European Union"),
                                                 ("Who elects the members of the Parliament?", "citizens")]),
    ("hu-1", "pronoun", "harvard-university", [("What individual is Harvard named after?", "John Harvard"),
                                               ("When was it founded?", "1636")]),
    ("hu-2", "pronoun", "harvard-university", [("Who led Harvard through the Great Depression and World War II?", "James Bryant Conant"),
                                               ("What did he make the university into?", "research")]),
    ("hu-3", "ellipsis", "harvard-university", [("In what year was Harvard founded?", "1636"),
                                                ("And when was it renamed Harvard College?", "1639")]),
    ("hu-4", "pronoun", "harvard-university", [("What is the largest academic and private library system in the world?", "Harvard Library"),
                                               ("How many volumes does it hold?", "18 million")]),
    ("hu-5", "unanswerable", "harvard-university", [("What is the largest academic and private library system in the world?", "Harvard Library"),
                                                    ("How many librarians work there?", None)]),
    ("hu-6", "there", "harvard-university", [("Where is Harvard Stadium?", "campus opposite the Cambridge campus in Allston"),
                                             ("How much more land does Harvard own there than in Cambridge?", "approximately fifty percent")]),
    ("hu-7", "pronoun", "harvard-university", [("Which president eliminated the Christian position from the curriculum?", "Charles W. Eliot"),
                                               ("What conviction motivated him?", "Transcendentalist Unitarian")]),
    ("hu-8", "then", "harvard-university", [("In what year did Harvard and Radcliffe admissions merge?", "1977"),
                                            ("What did the undergraduate program become then?", "coeducational")]),
    ("ip-1", "pronoun", "imperialism", [("Who suggested that imperialism was the highest form of capitalism?", "Lenin"),
                                        ("Which theory divided the globe for Western imperialism?", "world systems theory")]),
    ("ip-2", "pronoun", "imperialism", [("Which ancient language does the word imperialism come from?", "Latin"),
                                        ("How is it usually administered?", "military force")]),
    ("ip-3", "pronoun", "imperialism", [("Which book by Edward Said portrayed the East as the other?", "Orientalism"),
                                        ("What did it say the West developed of the East?", "imaginative geography")]),
    ("ip-4", "unanswerable", "imperialism", [("Where was Friedrich Ratzel born?", "Germany"),
                                             ("When did he die?", None)]),
    ("ip-5", "then", "imperialism", [("When did Great Britain colonize Australia?", "eighteenth century"),
                                     ("What law justified British imperialism then?", "terra nullius")]),
    ("ip-6", "ellipsis", "imperialism", [("Where was Friedrich Ratzel born?", "Germany"),
                                         ("And Halford Mackinder?", "Britain")]),
    ("ip-7", "pronoun", "imperialism", [("Who used imperialism during their rule of the Mongol Empire?", "Genghis Khan"),
                                        ("In which region were the Asante and Lunda Empires?", "Sub-Saharan Africa")]),
    ("no-9", "pronoun", "normans", [("When was the Duchy of Normandy founded?", "began in 911"),
                                    ("Which river originally bounded it?", "Seine"),
                                    ("Who signed its founding treaty with King Charles III?", "Rollo")]),
    ("oc-9", "ellipsis", "1973-oil-crisis", [("When did the 1973 oil embargo end?", "lift the embargo in March 1974"),
                                             ("What was the price of oil by then?", "By the end of the embargo in March 1974"),
                                             ("And before the embargo?", "US$3")]),
    ("hu-9", "pronoun", "harvard-university", [("In what year was Harvard founded?", "formed in 1636"),
                                               ("When was it renamed Harvard College?", "In 1639, the college was renamed"),
                                               ("Who was he?", "clergyman")]),
    ("eu-8", "pronoun", "european-union-law", [("What is the main executive body of the EU?", "is the main executive body"),
                                               ("Who sets its work?", "sets the agenda"),
                                               ("How many Commissioners are there for each member state?", "one Commissioner")]),
    ("ip-8", "pronoun", "imperialism", [("Which ancient language does the word imperialism come from?", "Latin word"),
                                        ("How is it usually administered?", "military force"),
                                        ("Which eastern country's dominance has it also been applied to?", "Japanese")]),
    ("sw-t1", "switch", "normans>1973-oil-crisis", [("Who was the Norse leader?", "under their leader Rollo"),
                                                   ("When did the oil embargo end?", "March 1974")]),
    ("sw-t2", "switch", "1973-oil-crisis>harvard-university", [("What speed limit did the United States impose to reduce fuel consumption?", "55 mph"),
                                                              ("What is the largest academic and private library system in the world?", "Harvard Library")]),
    ("sw-t3", "switch", "harvard-university>imperialism", [("In what year was Harvard founded?", "1636"),
                                                          ("Which ancient language does the word imperialism come from?", "Latin")]),
    ("sw-t4", "switch", "imperialism>european-union-law", [("Who suggested that imperialism was the highest form of capitalism?", "Lenin"),
                                                          ("Which commission was censured in 1999?", "Santer Commission")]),
    ("sw-t5", "switch", "european-union-law>1973-oil-crisis", [("What is the highest court in the European Union?", "highest court"),
                                                              ("What speed limit was imposed to reduce fuel consumption?", "55 mph")]),
    ("sw-t6", "switch", "1973-oil-crisis>harvard-university", [("Which country faced a complete embargo in the EEC?", "Netherlands"),
                                                              ("How many volumes does the university library hold?", "18 million")]),
    ("sw-t7", "switch", "normans>imperialism", [("When did Dyrrachium fall to the Normans?", "1082"),
                                               ("Who designed the first submarine?", None)]),
    ("at-t1", "attribute", "1973-oil-crisis", [("When did the 1973 oil embargo end?", "lift the embargo in March 1974"),
                                               ("What convinced the oil producers?", "negotiated settlement")]),
    ("at-t2", "attribute", "harvard-university", [("What is the largest academic and private library system in the world?", "world's largest academic"),
                                                  ("How many individual libraries does the system comprise?", "79")]),
    ("at-t3", "attribute", "european-union-law", [("Which commission was censured in 1999?", "Santer Commission was censured"),
                                                  ("What allegations caused the resignation?", "corruption")]),
    ("at-t4", "attribute", "imperialism", [("Which ancient language does the word imperialism come from?", "originated from the Latin word"),
                                           ("What does the original word mean?", "rule over large territories")]),
]


def documents() -> dict[str, object]:
    out = {}
    for path in sorted((ROOT / "corpus").rglob("*.md")):
        for document in load_bytes(path.read_bytes(), path.relative_to(ROOT / "corpus").as_posix()):
            out[document.id] = document
    return out


def sentence_with(document, phrase: str) -> str:
    spans = [(s, e) for s, e in sentence_spans(document.text) if phrase in document.text[s:e]]
    if not spans:
        raise SystemExit(f"{document.id}: no sentence holds {phrase!r}")
    return document.text[spans[0][0]:spans[0][1]]


def document_of(docs, slug: str):
    """A slug names a Wikipedia article; one with a folder ('news/...') is a whole document id."""
    return docs[slug if "/" in slug else f"wikipedia/{slug}"]


def build(specs, docs) -> list[dict]:
    records = []
    for ident, kind, slugs, turns in specs:
        earlier, _, last = slugs.partition(">")
        history = []
        for question, phrase in turns[:-1]:
            history += [{"role": "user", "content": question},
                        {"role": "assistant", "content": sentence_with(document_of(docs, earlier), phrase)}]
        document = document_of(docs, last or earlier)
        question, answer = turns[-1]
        if answer is not None and answer not in document.text:
            raise SystemExit(f"{ident}: answer {answer!r} is not in {document.id}")
        records.append({"id": ident, "kind": kind, "question": question,
                        "answers": [answer] if answer else [], "answerable": answer is not None,
                        "gold_document_ids": [document.id] if answer else [], "history": history})
    return records


def write_set(name: str, records: list[dict]) -> None:
    """eval/datasets/conversations-<name>.jsonl, one record a line, and a count on stderr."""
    (ROOT / "eval" / "datasets" / f"conversations-{name}.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    turns = [len(r["history"]) // 2 + 1 for r in records]
    print(f"{name}: {len(records)} conversations, {turns.count(2)} two-turn, {len(turns) - turns.count(2)} longer, "
          f"{sum(not r['answerable'] for r in records)} unanswerable", file=sys.stderr)


def main() -> int:
    docs = documents()
    for name, specs in (("report", SPECS), ("tune", SPECS_TUNE)):
        assert all((slug in REPORT_ARTICLES) == (name == "report") for s in specs for slug in s[2].split(">")), name
        write_set(name, build(specs, docs))
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
