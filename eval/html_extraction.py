"""Which HTML main-text extractor to ingest with, measured on labelled pages.

Pages and labels: tests/fixtures/html/ (written by eval/html_pages.py: the seed news
article as a news site serves it, SQuAD Wikipedia articles in a Wikipedia-like skin, and
eight hand-written pages of other kinds labelled in eval/html_kinds.py).
Each extractor's text goes through `clean_text`, as ingest stores it; then a planted
boilerplate string *survives* when it is still there (one-word menu items: as a line of
their own), and a real sentence is *lost* when its words are not (reference markers such
as "[3]" are ignored for that, and counted as boilerplate instead). Extractors: the
hand-written tag rules used until now, trafilatura and readability-lxml, and the shipped
`page_text` beside the way it was until stop 38.
Writes eval/reports/html_extraction.{json,md}.

    python eval/html_extraction.py
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from rag.ingest.clean import clean_text
from rag.ingest.html import (header_rows_marked, page_text, readability_text, rules_text, trafilatura_text,
                             without_mediawiki_furniture)

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "html"
EXTRACTORS = {
    "rules (until now)": rules_text,
    "trafilatura": trafilatura_text,
    "readability-lxml": readability_text,
    "rules + MediaWiki pre-pass": lambda html: rules_text(without_mediawiki_furniture(html)),
    "trafilatura + MediaWiki pre-pass (until stop 38)":
        lambda html: trafilatura_text(header_rows_marked(without_mediawiki_furniture(html))),
    "trafilatura + MediaWiki pre-pass + page chrome, Q&A posts (shipped)": page_text,
    "readability-lxml + MediaWiki pre-pass": lambda html: readability_text(without_mediawiki_furniture(html)),
}
_REF = re.compile(r"\[\d+\]")


def flat(text: str) -> str:
    return " ".join(text.split())


def survives(item: str, stored: str) -> bool:
    if len(item.split()) == 1 and not item.startswith("["):
        return any(flat(line) == item for line in stored.splitlines())
    return item in flat(stored)


def score(extract, page: str, labels: dict) -> dict:
    started = time.perf_counter()
    extracted = extract(page)
    seconds = time.perf_counter() - started
    stored = clean_text(extracted.text)
    words = flat(_REF.sub("", stored))
    survived = [item for item in labels["boilerplate"] if survives(item, stored)]
    lost = [sentence for sentence in labels["real"] if flat(_REF.sub("", sentence)) not in words]
    return {"title": extracted.title, "survived": survived, "lost": lost,
            "boilerplate": len(labels["boilerplate"]), "real": len(labels["real"]), "seconds": seconds}


def report_md(results: dict) -> str:
    out = ["# HTML main-text extraction: boilerplate kept and real sentences lost", "",
           "`python eval/html_extraction.py` on the labelled pages in `tests/fixtures/html/` "
           "(`eval/html_pages.py`); each extractor's text is cleaned by `clean_text` as ingest stores it. "
           "The library rows put the page's `<h1>` back as the first line (both keep the headline only as "
           "metadata). The MediaWiki pre-pass removes MediaWiki's own classes (`sup.reference`, "
           "`span.mw-editsection`, the contents box, `ol.references`, `#catlinks`) before extraction. "
           "The shipped row also removes page chrome first (`rag/ingest/html_chrome.py`: in-page link marks "
           "such as a heading's permalink \"¶\", overlays marked as dialogs, blocks holding only appeals) and "
           "gives trafilatura only the posts of a page marked up as a question with answers "
           "(`rag/ingest/qa_posts.py`). The pages and their labels were written for this comparison, in "
           "MediaWiki's real markup classes, a common news-site layout, and eight other kinds of page "
           "(`eval/html_kinds.py`: WordPress, Sphinx docs, Substack, a press release, Stack Exchange, a live "
           "blog, consent overlays, AMP): thirteen pages are a small sample, so read the table as which "
           "boilerplate each extractor keeps, not as a rate on the web. Milliseconds are on a shared 2-core "
           "machine, imports excluded.", "",
           "| extractor | boilerplate strings survived | real sentences lost | pages with 0 / 0 | ms per page |",
           "|---|---|---|---|---|"]
    for name, pages in results.items():
        survived = sum(len(r["survived"]) for r in pages.values())
        total_b = sum(r["boilerplate"] for r in pages.values())
        lost = sum(len(r["lost"]) for r in pages.values())
        total_r = sum(r["real"] for r in pages.values())
        clean = sum(not r["survived"] and not r["lost"] for r in pages.values())
        ms = 1000 * sum(r["seconds"] for r in pages.values()) / len(pages)
        out.append(f"| {name} | {survived} / {total_b} | {lost} / {total_r} | {clean} / {len(pages)} | {ms:.1f} |")
    for name, pages in results.items():
        out += ["", f"## {name}", ""]
        for page, r in pages.items():
            out.append(f"- `{page}`: survived {len(r['survived'])}"
                       + (": " + "; ".join(f"`{s}`" for s in r["survived"]) if r["survived"] else "")
                       + f" — lost {len(r['lost'])}")
            out += [f"  - lost: {s[:140]}" for s in r["lost"]]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "reports")
    args = parser.parse_args(argv)
    labels = json.loads((PAGES / "labels.json").read_text(encoding="utf-8"))
    for extract in EXTRACTORS.values():  # imports and first-call set-up are not timed
        extract((PAGES / next(iter(labels))).read_text(encoding="utf-8"))
    results = {name: {page: score(extract, (PAGES / page).read_text(encoding="utf-8"), label)
                      for page, label in labels.items()} for name, extract in EXTRACTORS.items()}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "html_extraction.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    (args.out / "html_extraction.md").write_text(report_md(results))
    print(report_md(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
