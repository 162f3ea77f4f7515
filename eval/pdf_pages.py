"""PDF page furniture and page breaks, measured on generated multi-page reports.

Each article of the SQuAD 2.0 dev part becomes a PDF typeset as a report is: its paragraphs
wrapped at WIDTH characters, LINES lines a page, so paragraphs and sentences run across page
breaks; each PDF is made in every STYLE of running header and footer (a title line, "Page N of
M", a bare "N", "- N -", headers alternating between odd and even pages, none). Counted over
the stored text (sentences as `rag.ingest.sentences` cuts them):
- furniture sentences: stored sentences that are in no paragraph of the article and hold a
  printed header or footer line (a page number, a running title);
- sentences cut by a page break: sentences of the article that start on one page and end on
  the next and are not stored whole (as one sentence);
- other sentences in no paragraph: stored sentences that join text of two paragraphs (a page
  break taken for a sentence's middle when it was a paragraph's end);
- body lines lost: printed lines of the article missing from the stored text (must stay 0);
- pages right: sentences stored whole whose `Document.page_at(start)` is the page they start on.
The shared WikiQA licence, a real three-page PDF with "Page N of 3" on each page and sentences
running over both breaks, is counted too. The loader before this change (commit BASELINE) runs
in the same run. Writes eval/reports/pdf_pages.{json,md}.

    python eval/pdf_pages.py [--shared ../shared/datasets]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.harness import module_at  # noqa: E402
from rag.ingest import written  # noqa: E402
from rag.ingest.clean import clean_text  # noqa: E402
from rag.ingest.sentences import sentence_spans  # noqa: E402
from rag.types import Document  # noqa: E402
from tests.test_load import minimal_pdf, page_line  # noqa: E402

BASELINE = "f72211e"  # rag/ingest/written.py before page furniture was told from text
WIDTH, LINES = 90, 46
STYLES: dict[str, tuple[str | Callable[[int, int], str], str]] = {
    "title header, 'Page N of M' footer": ("{title} - Annual Review 2024", "Page {page} of {pages}"),
    "bare 'N' footer": ("", "{page}"),
    "'title, page N' header": ("{title}, page {page}", ""),
    "'- N -' header, fixed footer": ("- {page} -", "Harbour Board | Confidential draft"),
    "odd/even headers, 'N of M' footer": ("alternate", "{page} of {pages}"),
    "none": ("", ""),
}
Loader = Callable[[bytes, str, str], list[Document]]


def squish(text: str) -> str:
    return " ".join(text.split())


def typeset(paragraphs: list[str]) -> tuple[list[str], list[list[int]]]:
    """The pages' texts and, per paragraph, the page each of its words is printed on."""
    printed: list[str] = []
    word_pages: list[list[int]] = []
    for paragraph in paragraphs:
        lines = textwrap.wrap(paragraph, WIDTH, break_long_words=False, break_on_hyphens=False)
        pages: list[int] = []
        for line in lines:
            pages += [len(printed) // LINES + 1] * len(line.split())
            printed.append(line)
        word_pages.append(pages)
    return ["\n".join(printed[i:i + LINES]) for i in range(0, len(printed), LINES)], word_pages


def furniture(style: str, title: str) -> tuple[str | Callable[[int, int], str], str]:
    header, footer = STYLES[style]
    if header == "alternate":  # a book's verso and recto heads
        return (lambda n, _: title if n % 2 else "Readings in World History"), footer
    return (header.replace("{title}", title) if isinstance(header, str) else header), footer


def measure(load: Loader, raw: bytes, paragraphs: list[str], word_pages: list[list[int]],
            printed_lines: list[str], body_lines: list[str]) -> dict[str, int]:
    (doc,) = load(raw, "report", "report.pdf")
    stored = [squish(doc.text[s:e]) for s, e in sentence_spans(doc.text)]
    whole = set(stored)
    starts = {}
    for s, e in sentence_spans(doc.text):
        starts.setdefault(squish(doc.text[s:e]), s)
    flat = squish(doc.text)
    article = "\n".join(squish(p) for p in paragraphs)
    printed = [re.compile(rf"(?<!\S){re.escape(line)}(?!\S)") for line in set(printed_lines) if line]
    foreign = [s for s in stored if s not in article]
    furnished = sum(any(line.search(s) for line in printed) for s in foreign)
    counts = {"stored sentences": len(stored), "furniture sentences": furnished,
              "other sentences in no paragraph": len(foreign) - furnished,
              "sentences across a break": 0, "cut by the break": 0, "sentences within a page": 0,
              "not stored whole": 0, "pages right": 0, "stored whole": 0,
              "body lines lost": sum(squish(line) not in flat for line in body_lines)}
    for paragraph, pages in zip(paragraphs, word_pages):
        for s, e in sentence_spans(paragraph):
            # the words before the sentence, and its last word (a span may start inside a word)
            last = len(paragraph[:e].split()) - 1
            first = min(len(paragraph[:s].split()), last)
            sentence = squish(paragraph[s:e])
            crosses = pages[first] != pages[last]
            counts["sentences across a break" if crosses else "sentences within a page"] += 1
            if sentence not in whole:
                counts["cut by the break" if crosses else "not stored whole"] += 1
                continue
            counts["stored whole"] += 1
            counts["pages right"] += doc.page_at(starts[sentence]) == pages[first]
    return counts


def article_paragraphs(article: dict) -> list[str]:
    """The article's paragraphs as stored text would hold them, those WinAnsi can print."""
    out = []
    for p in article["paragraphs"]:
        text = clean_text(p["context"], web=False)
        try:
            text.encode("cp1252")
        except UnicodeEncodeError:
            continue
        out.append(text)
    return out


def licence(load: Loader, path: Path) -> dict[str, int]:
    """The real PDF: sentences holding "Page N of 3", and page breaks inside a stored sentence."""
    (doc,) = load(path.read_bytes(), "licence", path.name)
    spans = sentence_spans(doc.text)
    inside = sum(any(s < page.start < e for s, e in spans) for page in doc.pages[1:])
    return {"pages": len(doc.pages), "stored sentences": len(spans),
            "furniture sentences": sum(bool(re.search(r"Page \d+ of \d+", doc.text[s:e])) for s, e in spans),
            "page breaks inside a sentence": inside}


def loaders_and_articles(description: str, baseline: str) -> tuple[dict[str, Loader], list[dict], Path]:
    """From the command line's datasets folder (--shared): the PDF loader at `baseline` and
    now, the SQuAD 2.0 dev part's articles, and the folder."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "datasets")
    shared = parser.parse_args().shared
    loaders: dict[str, Loader] = {"before": module_at(baseline, "rag/ingest/written.py").load_pdf,
                                  "after": written.load_pdf}
    return loaders, json.loads((shared / "squad2" / "squad2-dev-part.json").read_text())["data"], shared


def main() -> None:
    loaders, articles, shared = loaders_and_articles(__doc__.split("\n")[0], BASELINE)
    results: dict[str, dict[str, dict[str, int]]] = {}
    pdfs = 0
    for style in STYLES:
        totals = {name: {} for name in loaders}
        for article in articles:
            title = article["title"].replace("_", " ")
            paragraphs = article_paragraphs(article)
            pages, word_pages = typeset(paragraphs)
            header, footer = furniture(style, title)
            raw = minimal_pdf(pages, header=header, footer=footer)
            printed = [squish(page_line(line, n, len(pages))) for n in range(1, len(pages) + 1)
                       for line in (header, footer)]
            body = [line for page in pages for line in page.split("\n")]
            pdfs += 1
            for name, load in loaders.items():
                for key, value in measure(load, raw, paragraphs, word_pages, printed, body).items():
                    totals[name][key] = totals[name].get(key, 0) + value
        results[style] = totals
    real = shared / "wikiqa" / "LICENSE.pdf"
    report = {"baseline": BASELINE, "width": WIDTH, "lines_per_page": LINES, "pdfs": pdfs,
              "articles": len(articles), "styles": results,
              "wikiqa_licence": {name: licence(load, real) for name, load in loaders.items()} if real.exists() else None}
    out = ROOT / "eval" / "reports"
    (out / "pdf_pages.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "pdf_pages.md").write_text(markdown(report))
    print(markdown(report))


def markdown(report: dict) -> str:
    keys = ["stored sentences", "furniture sentences", "other sentences in no paragraph", "sentences across a break",
            "cut by the break", "not stored whole", "body lines lost", "pages right", "stored whole"]
    rows = ["| style | run | " + " | ".join(keys) + " |", "|---|---|" + "---|" * len(keys)]
    for style, runs in report["styles"].items():
        for name, counts in runs.items():
            rows.append(f"| {style} | {name} | " + " | ".join(str(counts[k]) for k in keys) + " |")
    lines = [
        "# PDF page furniture and page breaks",
        "",
        f"`python eval/pdf_pages.py`: the {report['articles']} articles of the SQuAD 2.0 dev part, each "
        f"typeset at {report['width']} characters a line and {report['lines_per_page']} lines a page in "
        f"{len(report['styles'])} styles of running header and footer ({report['pdfs']} PDFs); 'before' is "
        f"`load_pdf` at commit {report['baseline']}, run in the same run. A furniture sentence is a stored "
        "sentence that holds a printed header, footer or page number; a sentence cut by the break starts on "
        "one page, ends on the next and is not stored as one sentence; 'pages right' counts sentences "
        "stored whole cited on the page they start on.",
        "",
        *rows,
        "",
    ]
    if report["wikiqa_licence"]:
        lic = report["wikiqa_licence"]
        lines += ["WikiQA's LICENSE.pdf (a real three-page PDF, 'Page N of 3' atop each page): " + "; ".join(
            f"{name}: {c['furniture sentences']} of {c['stored sentences']} sentences hold a page line, "
            f"{c['page breaks inside a sentence']} of {c['pages'] - 1} page breaks inside a sentence"
            for name, c in lic.items()) + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
