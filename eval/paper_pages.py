"""Two-column papers: sentences cut or interleaved, measured on generated PDFs.

Each article of the SQuAD 2.0 dev part becomes a paper (`tests.papers`): its title, three
authors, its first paragraph as the abstract, the rest in numbered sections of four paragraphs,
a footnote mark after the first sentence of every sixth paragraph, a figure floating to the top
of the next column from every tenth (its axis labels and a "Figure N:" caption), a references
list, a running head and a page number. Each is drawn in both orders a PDF may hold a page's text
in ("columns", as TeX writes it; "rows", line by line across the page), with and without a
preprint's line numbers in the margins. Counted over the stored text (sentences as
`rag.ingest.sentences` cuts them; `eval/pdf_pages.py` gives the typesetting of the article and
the loader at a commit):
- body sentences stored whole, and cut or interleaved (not stored as one sentence);
- stored sentences mixing a body sentence with something printed apart from it: a line number
  or footnote mark ("engines.3 They"), a figure's caption or labels, a footnote's text, or the
  text of another place on the page (another column's line);
- body words lost: words of the article's paragraphs that the stored text does not hold (must stay 0).
The loader before this change (commit BASELINE) runs in the same run. Writes
eval/reports/paper_pages.{json,md}.

    python eval/paper_pages.py [--shared ../shared/datasets]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.pdf_pages import Loader, article_paragraphs, loaders_and_articles, squish  # noqa: E402
from rag.ingest.sentences import sentence_spans  # noqa: E402
from tests.papers import Paper, paper_pdf  # noqa: E402

BASELINE = "d451906"  # rag/ingest/written.py before two-column pages were read in order
SECTIONS = ["Introduction", "Background", "Data", "Method", "Results", "Analysis", "Discussion", "Related work",
            "Limitations", "Conclusion"]
NOTE = "The figures in this paragraph are taken from the sources listed at the end."
STYLES = {"columns drawn in turn": ("columns", False), "lines drawn across the page": ("rows", False),
          "columns, line numbers": ("columns", True), "lines across, line numbers": ("rows", True)}


def paper(title: str, paragraphs: list[str]) -> Paper:
    body = [_marked(p, k) if k % 6 == 5 else p for k, p in enumerate(paragraphs[1:])]
    sections = [(f"{i // 4 + 1} {SECTIONS[i // 4 % len(SECTIONS)]}", body[i:i + 4]) for i in range(0, len(body), 4)]
    return Paper(title=title, authors=["Ann Smith, University of Leeds", "Bo Jones and Cy Brown, Harbour Board"],
                 abstract=paragraphs[0], sections=sections,
                 figures=[(k, f"Figure {k // 10}: Counts by year for the matters of section {k // 4 + 1}.")
                          for k in range(10, len(body), 10)],
                 footnotes={k: NOTE for k in range(len(body)) if k % 6 == 5},
                 references=[f"[{n}] A. Smith. 20{10 + n}. {title}, part {n}. Journal of History, {n}(2):1-20."
                             for n in range(1, 4)])


def _marked(paragraph: str, note: int) -> str:
    """The paragraph with footnote mark `note` after its first sentence."""
    spans = sentence_spans(paragraph)
    if len(spans) < 2:
        return paragraph
    end = spans[0][1]
    return paragraph[:end] + f"^{note}" + paragraph[end:]


def measure(load: Loader, raw: bytes, paragraphs: list[str], apart: list[str]) -> dict[str, int]:
    (doc,) = load(raw, "paper", "paper.pdf")
    stored = [squish(doc.text[s:e]) for s, e in sentence_spans(doc.text)]
    body = [squish(p[s:e]) for p in paragraphs for s, e in sentence_spans(p)]
    article = "\n".join(squish(p) for p in paragraphs)
    printed = "\n".join(apart)
    whole = set(stored)
    counts = {"body sentences": len(body), "stored whole": sum(s in whole for s in body),
              "cut or interleaved": sum(s not in whole for s in body), "mixed: line number or mark": 0,
              "mixed: caption or figure": 0, "mixed: footnote text": 0, "mixed: other text": 0}
    for sentence in stored:
        if sentence in article or sentence in printed:
            continue
        bare = re.sub(r"(?<=[^\s\d])\d{1,3}(?=\s|$)|(?<!\S)\d{1,3}(?!\S)", "", sentence)
        if squish(bare) in article:
            counts["mixed: line number or mark"] += 1
        elif "Figure" in sentence or re.search(r"\b(?:19|20)\d0 (?:19|20)\d0\b", sentence):
            counts["mixed: caption or figure"] += 1
        elif NOTE[:30] in sentence:
            counts["mixed: footnote text"] += 1
        else:
            counts["mixed: other text"] += 1
    words = squish(doc.text)
    counts["body words lost"] = sum(w not in words for p in paragraphs for w in set(p.split()))
    return counts


def main() -> None:
    loaders, articles, _ = loaders_and_articles(__doc__.split("\n")[0], BASELINE)
    results: dict[str, dict[str, dict[str, int]]] = {}
    pages = 0
    for style, (order, numbered) in STYLES.items():
        totals: dict[str, dict[str, int]] = {name: {} for name in loaders}
        for article in articles:
            title = article["title"].replace("_", " ")
            paragraphs = article_paragraphs(article)
            made = paper(title, paragraphs)
            raw = paper_pdf(made, order=order, line_numbers=numbered)
            pages += raw.count(b"/Type /Page ")
            apart = [title, *made.authors, *(caption for _, caption in made.figures), *made.references,
                     *(f"{k} {NOTE}" for k in made.footnotes), "tonnes", "1990 2000 2010 2020",
                     *(heading for heading, _ in made.sections), "Abstract", "References"]
            for name, load in loaders.items():
                for key, value in measure(load, raw, paragraphs, [squish(a) for a in apart]).items():
                    totals[name][key] = totals[name].get(key, 0) + value
        results[style] = totals
    report = {"baseline": BASELINE, "articles": len(articles), "pages": pages, "styles": results}
    out = ROOT / "eval" / "reports"
    (out / "paper_pages.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "paper_pages.md").write_text(markdown(report))
    print(markdown(report))


def markdown(report: dict) -> str:
    keys = list(next(iter(next(iter(report["styles"].values())).values())))
    rows = ["| style | run | " + " | ".join(keys) + " |", "|---|---|" + "---|" * len(keys)]
    for style, runs in report["styles"].items():
        for name, counts in runs.items():
            rows.append(f"| {style} | {name} | " + " | ".join(str(counts[k]) for k in keys) + " |")
    return "\n".join([
        "# Two-column papers",
        "",
        f"`python eval/paper_pages.py`: the {report['articles']} articles of the SQuAD 2.0 dev part, each typeset "
        f"as a two-column paper in {len(report['styles'])} styles ({report['pages']} pages in all); 'before' is "
        f"`load_pdf` at commit {report['baseline']}, run in the same run. A body sentence is cut or interleaved "
        "when it is not stored as one sentence; a mixed sentence is a stored sentence that is neither a body "
        "sentence nor text printed apart (a caption, a footnote, a heading, a reference), by what it holds.",
        "",
        *rows,
        "",
    ])


if __name__ == "__main__":
    main()
