"""Writes eval/datasets/conversations-tune2.jsonl: 60 follow-up conversations over all eleven
corpus documents, written at stop 38 from the documents alone (before reading rag/followup/ or
the other conversation sets) as people type in chat: lower case, no question mark, "thanks."
prefixes, "what about the french", "and his successor", "no, I meant ...", "back to france",
three-turn chains, and follow-ups the corpus does not answer (gold: the conversation's
document). Tune-side: follow-up rules may be mended on its failures. Same format as
eval/conversations.py; several answers may be listed (any one counts).
Run: python eval/conversations_tune2.py (checks every phrase against corpus/).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conversations import documents, sentence_with, write_set  # noqa: E402

OIL, NEWS = "wikipedia/1973-oil-crisis", "news/russia-2026-reservist-call-up"
CC, EU = "wikipedia/computational-complexity-theory", "wikipedia/european-union-law"
FIW, HAR = "wikipedia/french-and-indian-war", "wikipedia/harvard-university"
IMM, IMP = "wikipedia/immune-system", "wikipedia/imperialism"
ISL, NOR, STM = "wikipedia/islamism", "wikipedia/normans", "wikipedia/steam-engine"

# (id, kind, document, [(earlier question, phrase of its answer sentence), ...], follow-up,
# answers); kinds: pronoun, there, ellipsis, what-about, chain (three turns), topic-shift,
# topic-return, correction, unanswerable ([] answers)
TUNE2 = [
 # id, kind, doc, [(user, assistant prefix)], question, answers
 ('oil-1', 'ellipsis', OIL, [('when did the 1973 oil crisis start', 'The 1973 oil crisis began in October 1973')], 'and when did it end', ['March 1974']),
 ('oil-2', 'what-about', OIL, [('how did the uk cope with the oil crisis', 'Heath asked the British')], 'what about sweden', ['rationed gasoline and heating oil']),
 ('oil-3', 'chain', OIL, [('who ran the federal energy office', 'In 1973, Nixon named William E. Simon'), ('how did he share out the oil', 'Simon allocated states')], 'how many gas stations ran dry', ['20%']),
 ('oil-4', 'unanswerable', OIL, [('how much did oil cost by the end of the embargo?', 'By the end of the embargo in March 1974')], 'and what was the exact price in the us', []),
 ('oil-5', 'pronoun', OIL, [('which country depended most on arab oil', 'Although lacking historical connections to the Middle East, Japan')], 'how much of its oil came from the middle east', ['71%']),
 ('oil-6', 'correction', OIL, [('when did the us leave bretton woods', 'On August 15, 1971, the United States unilaterally')], 'no i meant when opec said it would price oil in gold', ['September 1971']),
 ('news-1', 'pronoun', NEWS, [('who signed the reservist decree', 'The Russian leader, Vladimir Putin, has signed')], 'and where was it published', ['official legal information portal']),
 ('news-2', 'unanswerable', NEWS, [('how long can the training last?', 'Under Russian law, such training assemblies')], 'and how many people are being called up', []),
 ('news-3', 'topic-shift', NEWS, [('how many troops does russia recruit a month', 'The Moscow Times, citing ISW')], 'when will the assemblies be held', ['winter']),
 ('news-4', 'pronoun', NEWS, [('what is the kremlin planning according to isw', 'In addition, ISW stated that the Kremlin')], 'and how long can these call-ups last', ['two consecutive months']),
 ('cc-1', 'pronoun', CC, [('is there a prize for solving p vs np', 'There is a US$1,000,000 prize')], 'who offers it', ['Clay Mathematics Institute']),
 ('cc-2', 'chain', CC, [('who defined turing machines', 'Most influential among these was the definition of Turing machines'), ('who started the systematic study of complexity', 'As Fortnow & Homer (2003) point out'), ('what did blum do', 'In 1967, Manuel Blum developed')], 'and karp, how many problems did he show were np-complete', ['21']),
 ('cc-3', 'ellipsis', CC, [("what's quicksort's worst case", 'The worst-case is when the input is sorted')], 'and the average', ['O(n log n)']),
 ('cc-4', 'unanswerable', CC, [("what's the best algorithm for graph isomorphism", 'The best algorithm for this problem, due to Laszlo Babai')], 'what year did they publish it', []),
 ('cc-5', 'pronoun', CC, [('give me an example of an np-intermediate problem', 'The graph isomorphism problem, the discrete logarithm problem')], 'is there a fast quantum algorithm for the last one', ["Shor's algorithm"]),
 ('eu-1', 'pronoun', EU, [('who is president of the european council', 'It meets each six months and its President')], 'which teu article defines it', ['article 15']),
 ('eu-2', 'chain', EU, [('what was the first big case on eu law primacy', 'In the first major case in 1964, Costa v ENEL'), ('what did he claim', 'He claimed the Italian nationalisation law')], 'and what did the italian court say', ['Costa had no claim']),
 ('eu-3', 'what-about', EU, [('since when is proportionality a general principle of eu law', 'Proportionality is recognised one of the general principles')], 'And legal certainty?', ['1960s']),
 ('eu-4', 'unanswerable', EU, [('how much paid holiday does the working time directive give', 'For example, the Working Time Directive requires')], 'how many days does germany require', []),
 ('eu-5', 'correction', EU, [('who signed the ecsc agreement', 'EU Competition law has its origins')], 'sorry i meant which article of it banned cartels', ['Article 65']),
 ('eu-6', 'pronoun', EU, [('how many states adopted the social charter in 1989', 'The Social Charter was subsequently adopted in 1989')], 'which one refused', ['UK']),
 ('eu-7', 'chain', EU, [('when did the lisbon treaty recognise fundamental rights', 'The 2007 Lisbon Treaty explicitly recognised'), ('when were they first recognised by the court', 'Fundamental rights, as in human rights, were first recognised')], 'and when was the european convention on human rights set up', ['1950']),
 ('fiw-1', 'pronoun', FIW, [('who led the british expedition to fort duquesne', 'Braddock (with George Washington as one of his aides)')], 'how many died', ['1,000']),
 ('fiw-2', 'pronoun', FIW, [('who took over after braddock died', 'Following the death of Braddock, William Shirley')], 'and his successor', ['Lord Loudoun']),
 ('fiw-3', 'what-about', FIW, [('how many british settlers were there', 'British settlers outnumbered the French 20 to 1')], 'what about the french', ['75,000', '60,000']),
 ('fiw-4', 'there', FIW, [('how did the fighting start', 'The dispute erupted into violence in the Battle of Jumonville Glen')], 'who was the french commander killed there', ['Joseph Coulon de Jumonville']),
 ('fiw-5', 'unanswerable', FIW, [('what did france give up at the end', 'France ceded its territory east of the Mississippi')], 'how many square miles was that', []),
 ('fiw-6', 'chain', FIW, [('who beat montcalm at quebec', 'British victories continued in all theaters in the Annus Mirabilis'), ('what happened in 1760', 'The victory was made complete in 1760')], 'who negotiated the capitulation with vaudreuil', ['General Amherst']),
 #('fiw-7', 'ellipsis', FIW, [('when did the war officially end in north america', 'The war in North America officially ended')], 'thanks, and when did the fighting there start', ['1754']),
 ('har-1', 'ellipsis', HAR, [('when was harvard founded', 'Harvard was formed in 1636')], 'and when was it named after john harvard', ['1639']),
 ('har-2', 'pronoun', HAR, [('who was john harvard', 'In 1639, the college was renamed Harvard College')], 'thanks. how much money did he leave the school', ['£779']),
 ('har-3', 'pronoun', HAR, [('what was the endowment worth in 2011', 'It was worth $32 billion in 2011')], 'how much did it lose in 2008-09', ['30%']),
 ('har-4', 'topic-return', HAR, [('who was harvard\'s longest serving president', 'Charles W. Eliot, president 1869–1909'), ('what about conant', 'James Bryant Conant (president, 1933–1953)')], 'going back to eliot, what number president was he', ['21st']),
 ('har-5', 'unanswerable', HAR, [("what's harvard tuition", 'For the 2012–13 school year annual tuition')], 'and what is it this year', []),
 ('har-6', 'pronoun', HAR, [("what's harvard's big rivalry", 'Harvard has an intense athletic rivalry with Yale')], 'Where is the regatta held?', ['Thames River']),
 ('imm-1', 'what-about', IMM, [('which co-receptor do killer t cells use', 'Recognition of this MHC:antigen complex is aided')], 'and helper t cells', ['CD4']),
 ('imm-2', 'pronoun', IMM, [('what are neutrophils', 'Neutrophils and macrophages are phagocytes')], 'what share of white blood cells are they', ['50% to 60%']),
 ('imm-3', 'pronoun', IMM, [('what are the symptoms of inflammation', 'The symptoms of inflammation are redness')], 'What produces it?', ['eicosanoids and cytokines']),
 ('imm-4', 'topic-shift', IMM, [('how do newborns get antibodies', 'During pregnancy, a particular type of antibody'), ('what about after birth', 'Breast milk or colostrum')], 'and at what age does immunity start to decline', ['50 years']),
 ('imm-5', 'unanswerable', IMM, [('who came up with clonal selection theory', 'In the mid-1950s, Frank Burnet')], 'did he get a nobel prize for it', []),
 ('imm-6', 'correction', IMM, [('main cause of immunodeficiency in developed countries?', 'In developed countries, obesity, alcoholism')], 'no, in developing countries', ['malnutrition']),
 ('imp-1', 'there', IMP, [('when was the british east india company set up', 'In 1599 the British East India Company')], 'which other empire already had trading posts there', ['Portuguese']),
 ('imp-2', 'topic-return', IMP, [('when did france take algeria', 'France took control of Algeria in 1830'), ('and when did japan annex korea', 'Korea was annexed in 1910.'), ('and manchuria', 'In 1931 Japan conquered Manchuria')], 'back to france, when did it let algeria go', ['1962']),
 #('imp-3', 'chain', IMP, [('when did japan get taiwan', 'During the First Sino-Japanese War in 1894'), ('and korea', 'Korea was annexed in 1910.')], 'what did it conquer in 1931', ['Manchuria']),
 ('imp-4', 'pronoun', IMP, [('where does the word imperialism come from', 'Its name originated from the Latin word')], 'when did it come into english', ['late 1870s']),
 ('imp-5', 'unanswerable', IMP, [('when did germany start building colonies', 'However, in 1883–84 Germany began')], 'how many colonies did it end up with', []),
 ('isl-1', 'pronoun', ISL, [('who founded the muslim brotherhood', 'Roughly contemporaneous with Maududi')], 'When was he assassinated?', ['1949']),
 ('isl-2', 'pronoun', ISL, [('who led the fis', 'Founded as a broad Islamist coalition in 1989')], 'which country was it in', ['Algeria']),
 ('isl-3', 'chain', ISL, [('when was hamas formed', 'As the First Intifada gathered momentum'), ('how many people did it kill from 2000 to 2007', 'From 2000 to 2007 it killed 542 people')], 'when did it first run in an election', ['January 2006']),
 ('isl-4', 'pronoun', ISL, [("who led sudan's islamist regime", 'For many years, Sudan had an Islamist regime')], 'when did his party overthrow the government', ['1989']),
 ('isl-5', 'unanswerable', ISL, [('who killed sadat', 'The path of violence and military struggle was then taken up')], 'what was the name of the gunman', []),
 ('nor-1', 'chain', NOR, [('when did william conquer england', 'In 1066, Duke William II of Normandy'), ('did he go after scotland too', 'William invaded Scotland in 1072')], 'who did malcolm hand over as a hostage', ['Duncan']),
 ('nor-2', 'pronoun', NOR, [('when did the normans invade ireland', 'The Normans had a profound effect on Irish culture')], 'where did they mostly settle', ['the Pale', 'east of Ireland']),
 ('nor-3', 'there', NOR, [('when did richard get to cyprus', 'On 1 May 1191')], "who was the island's ruler", ['Isaac Komnenos']),
 ('nor-4', 'unanswerable', NOR, [('what was norman architecture like', 'Their style was characterised by rounded arches')], 'who was the most famous norman architect', []),
 ('nor-5', 'correction', NOR, [('when did bohemond besiege dyrrachium', 'A few years after the First Crusade, in 1107')], 'sorry, I meant the third attack', ['1185']),
 ('stm-1', 'pronoun', STM, [('who built the first railway steam locomotive', 'The first full-scale working railway steam locomotive')], 'when did he get his high pressure patent', ['1802']),
 ('stm-2', 'chain', STM, [('what did stephenson build in 1825', 'In 1825 George Stephenson built'), ('and in 1829', 'This was the first public steam railway')], 'who built the salamanca', ['Matthew Murray']),
 ('stm-3', 'what-about', STM, [("what was the duty of newcomen's engines", 'The best examples of Newcomen designs')], "and watt's", ['25 million']),
 ('stm-4', 'pronoun', STM, [('when did compound engines become common', 'Near the end of the 19th century compound engines')], 'who invented it', ['Arthur Woolf']),
 ('stm-5', 'unanswerable', STM, [('what was the first commercial steam device', 'The first commercial steam-powered device')], 'How much did it cost?', []),
 ('stm-6', 'correction', STM, [("how efficient is energiprojekt's engine", "The efficiency of Energiprojekt's steam engine")], 'no i mean a modern coal power station', ['42%']),
]


def build(specs, docs) -> list[dict]:
    records = []
    for ident, kind, slug, turns, question, answers in specs:
        document = docs[slug]
        history = []
        for earlier, phrase in turns:
            history += [{"role": "user", "content": earlier},
                        {"role": "assistant", "content": sentence_with(document, phrase)}]
        for answer in answers:
            if answer not in document.text:
                raise SystemExit(f"{ident}: answer {answer!r} is not in {slug}")
            if any(answer in turn["content"] for turn in history):
                raise SystemExit(f"{ident}: answer {answer!r} is already in the history")
        if (kind == "unanswerable") != (not answers):
            raise SystemExit(f"{ident}: only the unanswerable kind has no answers")
        records.append({"id": f"t2-{ident}", "kind": kind, "question": question, "answers": answers,
                        "answerable": bool(answers), "gold_document_ids": [slug], "history": history})
    return records


def main() -> int:
    write_set("tune2", build(TUNE2, documents()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
