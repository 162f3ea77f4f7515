"""Every relative link in the README and docs/ points at a file that exists, and every
#anchor into a Markdown file names one of its headings (GitHub's heading ids)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def heading_ids(page: Path) -> set[str]:
    """GitHub's ids: lower case, punctuation other than - and _ dropped, spaces to -."""
    text = FENCE.sub("", page.read_text())
    ids = set()
    for title in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, re.M):
        ids.add(re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-"))
    return ids


def links(page: Path) -> list[str]:
    return [target for target in LINK.findall(FENCE.sub("", page.read_text()))
            if not re.match(r"[a-z][a-z0-9+.-]*:", target)]  # http:, https:, mailto: are not files


def test_the_pages_have_links_to_check():
    assert (ROOT / "docs" / "how-an-answer-is-made.md").exists()
    assert sum(len(links(page)) for page in PAGES) > 20


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    broken = []
    for target in links(page):
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in heading_ids(file):
            broken.append(f"{target}: no heading #{anchor} in {file.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_readme_stays_a_manual():
    """The README is the user manual; measurements and design live in docs/."""
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 210
    for section in ("## The two commands", "## Using it", "## HTTP API", "## Corpus formats",
                    "## Configuration", "## Layout", "## Known gaps"):
        assert section in readme
