"""Choose the sentences that answer, merge neighbours, and cut them as Quotes.

This is the only place a Quote is born (selection.py), through `Quote.cite(document, start,
end)`, which slices the stored text; so every quote equals `document.text[start:end]`.

Each candidate sentence gets a probability of holding the answer from a logistic model
over eight named features (IDF-weighted coverage of the question's terms, cosine to the
question, the retrieval rank of its chunk, whether it holds the kind of thing asked for,
how far it trails the best coverage and cosine, its share of new terms, its length up to
60 words). The weights are fitted on half of SQuAD 2.0 by eval/calibrate.py and shipped in
rag/data/quote_model.json. A sentence may answer only if it fits the question: a question
that negates ("Who did not ...") needs a sentence that negates too, and the numbers and the
names the question gives (those the corpus knows) must be in the sentence's document, and a
question about "the term X" needs X said in the sentence or the one before it.
Headings are never quoted: those ingest recorded, else those the text looks like.

When the reading model is on (rag/embed/reader.py), it reads the sentences the logistic model
ranks highest, and each read sentence's probability becomes a logistic calibration of the
reader's score and the logistic model's probability, fitted by eval/calibrate.py on
questions the reader never trained on; unread sentences are never quoted. Further
sentences are then added by how much they raise the probability that the answer is shown;
a table row only where it answers on its own.

The steps, one module each: candidates.py (the sentences, headings left out), fit.py (may a
sentence answer at all), model.py (the fitted weights and calibration), scoring.py (features
and probabilities, the reader's included) and selection.py (choosing and merging into Quotes).
"""

from __future__ import annotations

from rag.quotes.candidates import (TRANSCRIPTS, Sentence, candidate_sentences, has_headings, in_a_heading,
                                   is_heading, is_row, is_transcript)
from rag.quotes.fit import (ASKING_WORDS, document_fits, figures_found, fits, is_claim, names_found, says_term,
                            term_asked)
from rag.quotes.model import FEATURES, MODEL_PATH, QuoteModel, ReaderCalibration, logit, sigmoid
from rag.quotes.scoring import LONGEST, asks_for, coverage, holds, read, reader_passage, score_sentences
from rag.quotes.selection import SAME_PARAGRAPH, distinct, merge, select

__all__ = ["ASKING_WORDS", "FEATURES", "LONGEST", "MODEL_PATH", "SAME_PARAGRAPH", "TRANSCRIPTS", "QuoteModel",
           "ReaderCalibration", "Sentence", "asks_for", "candidate_sentences", "coverage", "distinct",
           "document_fits", "figures_found", "fits", "has_headings", "holds", "in_a_heading", "is_claim",
           "is_heading", "is_row", "is_transcript", "logit", "merge", "names_found", "read", "reader_passage",
           "says_term", "score_sentences", "select", "sigmoid", "term_asked"]
