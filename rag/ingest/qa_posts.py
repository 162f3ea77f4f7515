"""A question-and-answer page's posts: the question and its answers, without votes, user cards or comments.

A Q&A thread is several posts, and a main-text extractor takes one of them (trafilatura
keeps the longest, the accepted answer, and loses the question). Pages mark the posts for
search engines with schema.org microdata (a `Question` and its `Answer`s, each with its
text as `itemprop="text"`: Stack Exchange, and the Q&A sites that want answer snippets), so
the posts are read from that markup, in page order. Comments under a post, its votes, its
author's card and the site's rails are not the thread's content. Invariant: a page without
one marked question with its own text and at least one marked answer is left to the extractor
unchanged (an FAQ page marks many questions, each only a name, beside its other content).
"""

from __future__ import annotations

import re

_POST = re.compile(r"^https?://schema\.org/(Question|Answer)$")


def _kind(tag) -> str | None:
    match = _POST.match(str(tag.get("itemtype", "")).strip())
    return match.group(1) if match and tag.has_attr("itemscope") else None


def _own_text(post):
    """The post's `itemprop="text"`, not one of a post nested inside it."""
    for body in post.find_all(attrs={"itemprop": "text"}):
        if body.find_parent(attrs={"itemscope": True}) is post:
            return body
    return None


def qa_posts(soup) -> str | None:
    """The question's and answers' texts as one HTML article, in page order; None unless the
    page marks one question with an answer."""
    marked = [(kind, tag) for tag in soup.find_all(attrs={"itemscope": True}) if (kind := _kind(tag))]
    posts = [(kind, body) for kind, tag in marked if (body := _own_text(tag)) is not None]
    questions = [kind for kind, _ in marked].count("Question")
    if questions != 1 or not posts or posts[0][0] != "Question" or len(posts) < 2:
        return None
    sections = "\n".join(f"<section>{body.decode_contents()}</section>" for _, body in posts)
    return f"<html><body><article>\n{sections}\n</article></body></html>"
