"""Follow-up questions made answerable alone, without a language model.

`resolve(question, history, locate)` turns a question that leans on the conversation
into a retrieval query that stands alone, and names the documents the previous answer
quoted. It reads only the recent exchanges (MAX_EXCHANGES): the previous questions, each
resolved in turn, and the quotes that answered them. One module per job:
- history.py: the recent exchanges, and the quotes each assistant turn gave (`passages`:
  its checked citations, else the stored sentences found verbatim in its text);
- words.py: the words a question is read by, its names and its topic;
- casing.py: a turn typed in lower case, with the capitals the quoted documents give its names;
- spelling.py: a typing slip ("electon"), spelt as the quoted documents spell the word;
- person.py: the person "he" or "her" points at, and who "they" are after "Who won ...?";
- referents.py: what "it", "their", "that training", "the second one" or "the word" names;
- listed.py: the item of the previous answer's list "the second one" or "the former" names;
- then.py: the time or place "then", "before that" and "there" point at;
- relative.py: a time counted from the conversation's ("and the year after?", "ten days later");
- filler.py: what a chat turn says around its question ("Interesting! ...", "can you tell me ... please");
- ellipsis.py: "And in 1897?", "What about Yale?", and corrections;
- roles.py: whether the documents say a name as one done to ("Korea was annexed"), for "What about Korea?";
- bound.py: what a follow-up says itself: a fronted topic ("back to france, when did it ..."),
  a reported speaker ("when opec said it would ..."), a correction asking a whole question;
- more.py: "Tell me more", "What else?", "Go on": the previous question again, less what
  the conversation showed, else the text after the last quote;
- rewrite.py: `resolve`, which decides what the follow-up leans on and rewrites it (the
  list of cases is there);
- compare.py: "Which came first?": the quotes that dated the last two things asked about;
- candidates.py: what a resolved follow-up does to the hits and the candidate sentences
  (`prefer`, `keep_to_question`, `near_previous`);
- resolved.py: the values all of these pass around (`Passage`, `Resolved`, `Locate`), and what a
  Resolved tells answering (`guessed`, `unresolved`, `checked`).

Invariant: the resolved query is built only from the question and the conversation's
own words; nothing here invents text, and answers are still cut from documents.
"""

from rag.followup.compare import asked_order, compares, dating
from rag.followup.candidates import NEAR_LOGIT, REPEAT_LOGIT, keep_to_question, near_previous, own_terms, prefer
from rag.followup.history import LOCATE_CHUNKS, MAX_EXCHANGES, MIN_QUOTE_CHARS, passages
from rag.followup.more import (FOLLOWING_CHUNKS, asks_more, asks_who_else, following, naming_others, reading_on,
                               unshown)
from rag.followup.resolved import DocumentText, Locate, Passage, Resolved, checked, guessed, unresolved
from rag.followup.rewrite import resolve, standalone
from rag.followup.words import names, topic

__all__ = ["DocumentText", "FOLLOWING_CHUNKS", "LOCATE_CHUNKS", "MAX_EXCHANGES", "MIN_QUOTE_CHARS", "NEAR_LOGIT", "Locate", "Passage",
           "REPEAT_LOGIT", "Resolved", "asked_order", "asks_more", "asks_who_else", "checked", "compares", "dating",
           "following", "guessed", "keep_to_question", "names", "naming_others", "near_previous", "own_terms",
           "passages", "prefer", "reading_on", "resolve", "standalone", "topic", "unresolved", "unshown"]
