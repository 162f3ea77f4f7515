"""The main text of a web page, without its navigation, appeals, related links and footer.

`page_text` is what ingest uses: MediaWiki's in-article furniture removed, then
trafilatura's main-content extraction (the tag rules only where it finds nothing), chosen
over readability-lxml and the earlier hand-written tag rules by measurement on labelled
pages (`eval/html_extraction.py`, `eval/reports/html_extraction.md`). `rules_text` (the earlier
rules) reads an HTML fragment that has no boilerplate to find, such as an EPUB chapter.
Both return paragraphs separated by blank lines, before `clean_text`; `readability_text`
is kept for the comparison only. The title and canonical URL come from the page itself.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from rag.ingest.headings import Marked
from rag.ingest.html_chrome import drop_chrome, drop_note_marks
from rag.ingest.qa_posts import qa_posts
from rag.ingest.tables import cell_text, named_row

_DROP_TAGS = ["script", "style", "nav", "header", "footer", "aside", "form", "noscript",
              "iframe", "svg", "button", "template", "figure"]
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th",
           "div", "section", "article", "dd", "dt", "br", "tr", "header", "aside", "figure", "figcaption"}
# In a book's chapter (EPUB) headers, asides (footnotes) and figures are the text, not page
# furniture; only code and footnote markers go ("3 March 1911.1" would glue the marker on), and
# a <br> is a line break, not a paragraph's end.
_BOOK_DROP = ["script", "style", "template", "svg", "nav"]
_NOTE_REFS = '[epub\\:type~="noteref"], [role="doc-noteref"]'


# MediaWiki's furniture inside the article body, which no extractor tells from prose:
# reference markers, [edit] links, the contents box, the reference list, categories.
_MEDIAWIKI = ["sup.reference", "span.mw-editsection", "#toc", "div.toc", "ol.references", "#catlinks"]


class PageText(BaseModel):
    title: str = ""
    source: str = ""
    text: str = ""
    headings: list[Marked] = Field(default_factory=list, description="The page's h1-h6, in text order.")


def _soup(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def _meta(soup) -> tuple[str, str]:
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    canonical = soup.find("link", rel="canonical")
    source = str(canonical["href"]) if canonical and canonical.get("href") else ""
    return title, source


_HEADING_TAGS = re.compile(r"h[1-6]")


def rules_text(html: str, book: bool = False) -> PageText:
    """Hand-written rules: drop page-furniture tags, keep <article> or <main> or <body>.
    A book's chapter (`book`) keeps its headers, asides and figures."""
    return _rules(_soup(html), book)


def _rules(soup, book: bool = False) -> PageText:
    title, source = _meta(soup)
    for tag in soup.find_all(_BOOK_DROP if book else _DROP_TAGS):
        tag.decompose()
    if book:
        for tag in soup.select(_NOTE_REFS):
            tag.decompose()
        drop_note_marks(soup)
    root = soup.find("article") or soup.find("main") or soup.body or soup
    headings = [Marked(cell_text(tag.get_text()), int(tag.name[1])) for tag in root.find_all(_HEADING_TAGS)]
    _rows_as_lines(root)
    if book:  # a line break inside a book's paragraph (verse, an address) does not end it
        for tag in root.find_all("br"):
            tag.replace_with("\n")
    for tag in root.find_all(_BLOCKS):
        tag.insert_before("\n\n")
    return PageText(title=title, source=source, text=root.get_text(), headings=headings)


_CELL_BLOCKS = ["p", "div", "table", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"]


def _rows_as_lines(root) -> None:
    """A data table's row as one line, as Word rows are (office.py): a cell alone on its line
    ("9:00") says nothing when quoted. Under a header row (all <th>, or in <thead>) each value
    carries its column's name (tables.named_rows). A row whose cells hold blocks is page layout
    (mail newsletters), and its cells stay paragraphs. Inner tables first."""
    for table in reversed(root.find_all("table")):
        rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
        header = _header(rows[0]) if len(rows) > 1 else None  # a header alone is the table's text
        for i, row in enumerate(rows):
            cells = row.find_all(["td", "th"], recursive=False)
            if not cells or any(cell.find(_CELL_BLOCKS) for cell in cells):
                continue
            line = "" if i == 0 and header else named_row(header, _cells(cells))
            row.replace_with(f"\n\n{line}\n\n" if line else "")


def _span(cell) -> int:
    try:
        return max(1, min(int(cell.get("colspan") or 1), 64))  # bounded: a page may claim any span
    except ValueError:
        return 1


def _cells(cells, repeat: bool = False) -> list[str]:
    """Each column's text: a cell spanning columns fills them all (a header's name) or the first."""
    values: list[str] = []
    for cell in cells:
        text = cell.get_text(" ", strip=True)
        values += [text] + [text if repeat else ""] * (_span(cell) - 1)
    return values


def _header(row) -> list[str] | None:
    """A table's first row as its column names, when the page marks it so: all header cells,
    or inside <thead>."""
    cells = row.find_all(["td", "th"], recursive=False)
    if not cells or any(cell.find(_CELL_BLOCKS) for cell in cells):
        return None
    if row.find_parent("thead") is None and any(cell.name != "th" for cell in cells):
        return None
    return _cells(cells, repeat=True)


def without_mediawiki_furniture(html: str) -> str:
    soup = _soup(html)
    return str(soup) if _drop_mediawiki(soup) else html


def _drop_mediawiki(soup) -> bool:
    found = [tag for selector in _MEDIAWIKI for tag in soup.select(selector)]
    for tag in found:
        tag.decompose()
    return bool(found)


def _with_title(page: PageText) -> PageText:
    """The headline is the page's first line of content; extractors keep it only as metadata.
    Put back, it is the page's first heading."""
    if page.title and page.title not in page.text[:len(page.title) + 200]:
        page.text = f"{page.title}\n\n{page.text}"
        page.headings.insert(0, Marked(cell_text(page.title), 1))
    return page


def _trafilatura_config():
    from trafilatura.settings import use_config

    config = use_config()
    # A short page is still a page: below its default sizes trafilatura falls back to
    # taking every text node, navigation included.
    for key in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE", "MIN_EXTRACTED_COMM_SIZE"):
        config.set("DEFAULT", key, "1")
    return config


def trafilatura_text(html: str, meta: tuple[str, str] | None = None) -> PageText:
    """trafilatura's main text. Its text output html-unescapes text that the parser had already
    decoded, so a page showing "&amp;" or "&lt;b&gt;" was stored as "&" or "<b>", and "?a=1&copy=2"
    or "R&reg=5" in prose as "?a=1©=2", "R®=5": the tree it extracts is turned into text here
    with every "&" escaped first, so that second unescape gives back the text the page shows.
    `meta` is the page's (title, source) when the caller has parsed it already."""
    import trafilatura
    from trafilatura.utils import normalize_unicode
    from trafilatura.xml import xmltotxt

    document = trafilatura.bare_extraction(html, config=_trafilatura_config(), include_comments=False,
                                           include_tables=True, include_images=False, include_links=False,
                                           deduplicate=False)
    text, headings = "", []
    if document is not None and document.body is not None:
        # trafilatura keeps a heading as <head rend="h2">, read before its "&" is escaped
        headings = [Marked(normalize_unicode(cell_text("".join(head.itertext()))), int(rend[1]))
                    for head in document.body.iter("head") if _HEADING_TAGS.fullmatch(rend := head.get("rend", ""))]
        for element in document.body.iter():
            if element.text:
                element.text = element.text.replace("&", "&amp;")
            if element.tail:
                element.tail = element.tail.replace("&", "&amp;")
        text = normalize_unicode(xmltotxt(document.body, False))
    title, source = meta or _meta(_soup(html))
    # trafilatura ends a paragraph with one newline; a blank line keeps paragraphs apart.
    return _with_title(PageText(title=title, source=source, text=text.replace("\n", "\n\n"), headings=headings))


def readability_text(html: str) -> PageText:
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    title, source = _meta(_soup(html))
    return _with_title(PageText(title=title, source=source, text=rules_text(summary).text))


def header_rows_marked(html: str) -> str:
    """The page with its tables' header rows as trafilatura can tell them (`_mark_header_rows`)."""
    if "<th" not in html.lower():  # also finds <thead>
        return html
    soup = _soup(html)
    return str(soup) if _mark_header_rows(soup) else html


def _mark_header_rows(soup) -> bool:
    """Mark the tables' header rows as trafilatura can tell them: it draws a Markdown rule
    under any row holding a <th>, and that row becomes the names of the columns below. A
    header cell in a row of data cells ("<th>Born</th><td>1911</td>") names its row, not a
    column, so it becomes a data cell; a row in <thead> becomes header cells. Changed any?"""
    changed = False
    for row in soup.find_all("tr"):
        cells = row.find_all(["td", "th"], recursive=False)
        head = row.find_parent("thead") is not None
        if head or any(cell.name == "td" for cell in cells):
            for cell in cells:
                if cell.name != ("th" if head else "td"):
                    cell.name, changed = "th" if head else "td", True
    return changed


def page_text(html: str) -> PageText:
    """A whole web page's main text (what `.html` ingest stores, after cleaning). The page is
    parsed once for all the passes before trafilatura's own parse (MediaWiki furniture, header
    rows, page chrome: `html_chrome`); a Q&A page gives trafilatura its posts only (`qa_posts`).
    Until stop 37 a page with a <th> was parsed for the MediaWiki pass, again to mark its header
    rows, and again for its title."""
    soup = _soup(html)
    if _drop_mediawiki(soup) | _mark_header_rows(soup) | drop_chrome(soup):
        html = str(soup)
    meta = _meta(soup)
    page = trafilatura_text(qa_posts(soup) or html, meta=meta)
    return page if page.text.strip() else _rules(soup)
