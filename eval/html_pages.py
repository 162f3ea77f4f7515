"""Labelled web pages for the HTML extraction comparison, written to tests/fixtures/html/.

The seed news article (its cleaned sentences) is rendered as a news site would serve it:
header, menu, breadcrumb, share buttons, a donation box mid-article, a figure with an image
file name and caption, related links, a newsletter form, a cookie banner and a footer.
Four SQuAD 2.0 Wikipedia articles (two from the dev part, two from the train part) are
rendered in a Wikipedia-like skin: jump links, sidebar, "From Wikipedia", a contents box,
[edit] links, reference markers, a reference list, categories and the licence footer.
Eight pages of other kinds (a blog post, a documentation page, a newsletter, a press release,
a Q&A thread, a live blog, a consent overlay, an AMP page) are hand-written files; their
labels come from `html_kinds.py`. labels.json lists, per page, the boilerplate strings
planted and the real sentences.

    python eval/html_pages.py [--shared ../shared/datasets]
"""

from __future__ import annotations

import argparse
import html
import json
from pathlib import Path

from eval.html_kinds import KINDS
from rag.ingest.sentences import sentence_spans
from rag.ingest.clean import clean_text, strip_wiki_tags

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "html"
SEED = ROOT / "tests" / "fixtures" / "russia-2026-reservist-call-up.scraped.txt"
WIKI = [("squad2-dev-part.json", "Normans", 8), ("squad2-dev-part.json", "Steam_engine", 8),
        ("squad2-train-first10.json", "Solar_energy", 8), ("squad2-train-first10.json", "To_Kill_a_Mockingbird", 8)]

NEWS_BOILERPLATE = [
    "Skip to content", "Ukraine war", "Opinion", "Europe", "Latest news",
    "Every article pushes back against disinformation.", "Your support keeps our team in the field.",
    "Donate now", "457ad7ae19a951ebdca94e9b6bf6309d", "111f0e5095e02c02446ffed57bfb0ab1",
    "Reservists at a training ground near Moscow.", "Photo: archive",
    "Russia expands the conscription age to 30", "Kremlin tightens rules on electronic draft notices",
    "Sign up for our morning briefing", "We use cookies to improve your experience.",
    "Share on Facebook", "© 2026 Eastern Desk", "Privacy policy", "About us",
]
WIKI_BOILERPLATE = [
    "Jump to navigation", "Main page", "Current events", "Random article", "Donate to Wikipedia",
    "From Wikipedia, the free encyclopedia", "Contents", "[edit]", "[1]", "Retrieved 12 March 2014",
    "Categories:", "This page was last edited on", "Text is available under the Creative Commons",
    "Privacy policy", "Disclaimers", "Wikimedia Foundation",
]


def seed_sentences() -> tuple[str, list[str]]:
    headline, _, body = clean_text(SEED.read_text(encoding="utf-8")).partition("\n")
    return headline, [line for line in body.splitlines() if line.strip()]


def news_page() -> tuple[str, list[str]]:
    headline, paragraphs = seed_sentences()
    p = [f"      <p>{html.escape(x)}</p>" for x in paragraphs]
    body = "\n".join(p[:2]) + """
      <aside class="donate-box"><p>Every article pushes back against disinformation. Your support keeps our team in the field.</p>
        <a class="button" href="/donate">Donate now</a></aside>
      <figure><img src="/media/2026/12/putin-decree-457ad7ae19a951ebdca94e9b6bf6309d.png" alt="Reservists at a training ground near Moscow.">
        <figcaption>Reservists at a training ground near Moscow. Photo: archive</figcaption></figure>
""" + "\n".join(p[2:6]) + """
      <div class="inline-related"><a href="/news/conscription-age">Russia expands the conscription age to 30</a></div>
""" + "\n".join(p[6:]) + """
      <img src="/media/2026/12/map-111f0e5095e02c02446ffed57bfb0ab1.jpeg" alt="">"""
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(headline)} | Eastern Desk</title>
<script>window.dataLayer=[];function gtag(){{dataLayer.push(arguments)}}</script>
<style>.donate-box{{border:1px solid}}</style></head>
<body>
  <a class="skip" href="#main">Skip to content</a>
  <div class="cookie">We use cookies to improve your experience. <button>Accept</button></div>
  <header><div class="logo">Eastern Desk</div>
    <ul class="menu"><li><a href="/">Home</a></li><li><a href="/ukraine">Ukraine war</a></li>
    <li><a href="/europe">Europe</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/donate">Donate</a></li></ul></header>
  <div class="breadcrumbs"><ul><li><a href="/category">Category</a></li><li><a href="/latest">Latest news</a></li></ul></div>
  <main id="main"><article>
    <h1>{html.escape(headline)}</h1>
    <div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
    <div class="article-body">
{body}
    </div>
  </article>
  <section class="related"><h2>Related</h2><ul>
    <li><a href="/news/draft-notices">Kremlin tightens rules on electronic draft notices</a></li>
    <li><a href="/news/conscription-age">Russia expands the conscription age to 30</a></li></ul></section>
  <div class="newsletter"><h3>Sign up for our morning briefing</h3>
    <form><input type="email" placeholder="Your email"><button>Subscribe</button></form></div>
  </main>
  <footer><p>© 2026 Eastern Desk</p><ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li>
    <li><a href="/contact">Contact</a></li></ul></footer>
</body></html>
"""
    return page, [headline] + paragraphs


def wiki_page(title: str, contexts: list[str]) -> tuple[str, list[str]]:
    name = title.replace("_", " ")
    sections, toc = [], []
    for number, start in enumerate(range(0, len(contexts), 2), start=1):
        heading = f"{name} — part {number}"
        toc.append(f'<li><a href="#s{number}">{number} {html.escape(heading)}</a></li>')
        paras = []
        for index, context in enumerate(contexts[start:start + 2]):
            ref = start + index + 1
            paras.append(f'<p>{html.escape(context)}<sup class="reference"><a href="#cite-{ref}">[{ref}]</a></sup></p>')
        sections.append(f'<h2 id="s{number}"><span class="mw-headline">{html.escape(heading)}</span>'
                        f'<span class="mw-editsection">[<a href="#">edit</a>]</span></h2>\n' + "\n".join(paras))
    refs = "".join(f'<li id="cite-{i + 1}">"{html.escape(name)} source {i + 1}". Retrieved 12 March 2014.</li>'
                   for i in range(len(contexts)))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>{html.escape(name)} - Wikipedia</title>
<link rel="canonical" href="https://en.wikipedia.org/wiki/{title}"></head>
<body class="skin-vector">
<a class="mw-jump-link" href="#mw-head">Jump to navigation</a>
<div id="mw-panel"><nav id="p-navigation"><h3>Navigation</h3><ul>
 <li><a href="/wiki/Main_Page">Main page</a></li><li><a href="/wiki/Portal:Contents">Contents</a></li>
 <li><a href="/wiki/Portal:Current_events">Current events</a></li><li><a href="/wiki/Special:Random">Random article</a></li>
 <li><a href="https://donate.wikimedia.org">Donate to Wikipedia</a></li></ul></nav></div>
<div id="content" class="mw-body"><h1 id="firstHeading">{html.escape(name)}</h1>
<div id="bodyContent"><div id="siteSub">From Wikipedia, the free encyclopedia</div>
<div id="mw-content-text" class="mw-parser-output">
<div id="toc" class="toc"><div class="toctitle"><h2>Contents</h2></div><ul>{''.join(toc)}</ul></div>
{chr(10).join(sections)}
<h2><span class="mw-headline">References</span></h2><ol class="references">{refs}</ol>
</div>
<div id="catlinks">Categories: <a href="#">{html.escape(name)}</a> | <a href="#">Articles with short description</a></div>
</div></div>
<footer id="footer"><ul><li>This page was last edited on 4 May 2024, at 10:12 (UTC).</li>
<li>Text is available under the Creative Commons Attribution-ShareAlike License 4.0; additional terms may apply.</li></ul>
<ul><li><a href="#">Privacy policy</a></li><li><a href="#">About Wikipedia</a></li><li><a href="#">Disclaimers</a></li></ul>
<div>Wikimedia Foundation, Inc.</div></footer>
</body></html>
"""
    return page, contexts


def real_sentences(paragraphs: list[str]) -> list[str]:
    """The paragraphs' sentences, less a Wikipedia maintenance tag the splitter leaves alone
    ("[citation needed]"): that is labelled boilerplate (`wiki_boilerplate`)."""
    sentences = [" ".join(p[a:b].split()) for p in paragraphs for a, b in sentence_spans(p, max_words=10_000)]
    return [s for s in sentences if strip_wiki_tags(s).strip()]


def wiki_boilerplate(contexts: list[str]) -> list[str]:
    return WIKI_BOILERPLATE + (["[citation needed]"] if any("[citation needed]" in c for c in contexts) else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "datasets")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    labels = {}
    page, paragraphs = news_page()
    (OUT / "seed_news_page.html").write_text(page, encoding="utf-8")
    labels["seed_news_page.html"] = {"boilerplate": NEWS_BOILERPLATE, "real": real_sentences(paragraphs)}
    for filename, title, count in WIKI:
        article = next(a for a in json.loads((args.shared / "squad2" / filename).read_text())["data"]
                       if a["title"] == title)
        contexts = [p["context"] for p in article["paragraphs"][:count]]
        page, paragraphs = wiki_page(title, contexts)
        name = f"wikipedia_{title.lower()}.html"
        (OUT / name).write_text(page, encoding="utf-8")
        labels[name] = {"boilerplate": wiki_boilerplate(contexts), "real": real_sentences(paragraphs)}
    for name, kind in KINDS.items():
        labels[name] = {"boilerplate": kind["boilerplate"], "real": real_sentences(kind["real"])}
    (OUT / "labels.json").write_text(json.dumps(labels, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(labels)} pages to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
