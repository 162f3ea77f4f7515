"""Web page chrome that the extractor kept (html_chrome) and Q&A threads (qa_posts), through the
real .html loader (trafilatura included) on small pages; the labelled pages of each kind are
checked in test_formats.py."""

from __future__ import annotations

import time

from bs4 import BeautifulSoup

from rag.ingest.html_chrome import drop_appeal_boxes
from rag.ingest.load import load_bytes
from rag.ingest.qa_posts import qa_posts

def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")  # the parser ingest uses


ARTICLE = ("<p>The canal opened in 1816 and carried coal to the mills for a century.</p>"
           "<p>Its locks were rebuilt in stone after a flood in 1852.</p>")


def page(body: str, head: str = "<title>Canal</title>") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def stored(body: str) -> str:
    (document,) = load_bytes(page(body), "web/canal.html")
    return document.text


def test_a_permalink_mark_is_not_glued_to_its_heading_or_the_title():
    text = stored('<article><h1>Locks<a class="headerlink" href="#locks">¶</a></h1>' + ARTICLE
                  + '<h2>Coal trade<a class="hash-link" href="#coal" aria-label="Direct link">\u200b</a></h2>'
                  '<p>Coal was the main cargo until 1930.<a href="#fnref:1" class="footnote-backref">↩</a></p>'
                  '<p>See <a href="#coal">the coal trade</a> and note <a href="#n1">[1]</a>.</p></article>')
    lines = text.splitlines()
    assert lines[0] == "Locks" and "Coal trade" in lines
    assert "¶" not in text and "↩" not in text
    assert "See the coal trade and note [1]." in text  # in-page links with words or numbers stay


def test_a_consent_dialog_over_the_page_is_not_stored():
    text = stored('<div role="dialog" aria-modal="true"><p>It’s your choice. We and our partners store '
                  'data on your device.</p><button>Yes, I’m happy</button></div>'
                  '<dialog open><p>Before you go, get our weekly digest.</p></dialog>'
                  f"<main><article><h1>Canal</h1>{ARTICLE}</article></main>")
    assert "your choice" not in text and "weekly digest" not in text
    assert "Its locks were rebuilt in stone after a flood in 1852." in text


def test_an_article_shown_in_a_modal_view_is_the_page():
    text = stored(f'<div role="dialog" aria-modal="true"><article><h1>Canal</h1>{ARTICLE}</article></div>')
    assert "The canal opened in 1816 and carried coal to the mills for a century." in text


def test_an_appeal_box_goes_with_its_heading_and_buttons():
    text = stored(f"<main><article><h1>Canal</h1>{ARTICLE}</article>"
                  '<div class="epic"><h2>… there is a good reason to read on.</h2>'
                  "<p>Your support keeps our reporters on the towpath.</p>"
                  '<a href="/give">Start trial</a></div></main>')
    assert "good reason" not in text and "Start trial" not in text
    assert text.startswith("Canal\n\nThe canal opened in 1816")


def test_a_block_with_one_sentence_of_prose_beside_an_appeal_is_kept():
    soup = _soup("<main><div><h2>The trust</h2><p>Your support keeps our reporters on the towpath.</p>"
                 "<p>The trust repaired six locks in 2023.</p></div></main>")
    assert not drop_appeal_boxes(soup)
    assert "The trust" in soup.get_text() and "six locks" in soup.get_text()


def test_appeal_boxes_are_found_in_time_linear_in_a_deep_page():
    deep = "<div>" * 3000 + "<p>Please donate today.</p>" * 2000 + "</div>" * 3000
    started = time.perf_counter()
    drop_appeal_boxes(_soup(deep))
    assert time.perf_counter() - started < 20


QUESTION = """<div itemscope itemtype="https://schema.org/Question"><h1 itemprop="name">Why does the lock leak?</h1>
<div class="votes">31</div><div itemprop="text"><p>The top gate of our lock leaks after a dry summer.</p></div>
<div class="user-info">asked by Marta K. 1,204</div>
<ul class="comments"><li>How old are the gates?</li></ul>
<div itemprop="acceptedAnswer" itemscope itemtype="https://schema.org/Answer"><div class="votes">44</div>
<div itemprop="text"><p>Oak gates shrink when they dry out, and they swell shut again once the pound is full.</p>
<p>Keep the pound topped up.</p></div><div class="user-info">answered by Hugh Baines 48.2k</div></div>
<div itemprop="suggestedAnswer" itemscope itemtype="https://schema.org/Answer">
<div itemprop="text"><p>Ours leaked until the cill was repacked with clay.</p></div></div></div>"""


def test_a_qa_thread_keeps_the_question_and_every_answer_without_votes_or_user_cards():
    text = stored(f'<div id="mainbar">{QUESTION}</div><div class="sidebar"><h4>Hot Network Questions</h4>'
                  '<a href="/q/2">Why do boats have names?</a></div>')
    assert text.split("\n\n") == [
        "Why does the lock leak?", "The top gate of our lock leaks after a dry summer.",
        "Oak gates shrink when they dry out, and they swell shut again once the pound is full.",
        "Keep the pound topped up.", "Ours leaked until the cill was repacked with clay."]


def test_a_page_without_a_marked_question_and_answer_is_left_to_the_extractor():
    unanswered = QUESTION.split('<div itemprop="acceptedAnswer"')[0] + "</div>"
    assert qa_posts(_soup(unanswered)) is None
    assert qa_posts(_soup(f"<article>{ARTICLE}</article>")) is None
    faq = ('<div itemscope itemtype="https://schema.org/Question"><h3 itemprop="name">{0}</h3><div itemscope '
           'itemprop="acceptedAnswer" itemtype="https://schema.org/Answer"><div itemprop="text">{1}</div></div></div>')
    faq_page = (faq.format("When is the canal open?", "All year.") + faq.format("Can I fish?", "With a permit.")
                + faq.replace('<h3 itemprop="name">{0}</h3>', '<div itemprop="text">{0}</div>').format("Why?", "So."))
    assert qa_posts(_soup(f"<article>{ARTICLE}{faq_page}</article>")) is None  # FAQ: more than one question
