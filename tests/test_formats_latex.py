"""LaTeX sources (.tex) as researchers bring them: the text a reader of the typeset paper sees,
its title, authors and date as fields, its sections as headings (never quoted, shown as a
quote's section), and a clear error for a .tex file that is not LaTeX."""

from pathlib import Path

import pytest

from rag.ingest.load import LoadError, load_bytes
from rag.ingest.sentences import sentence_spans
from rag.types import Quote

PAPER = Path(__file__).parent / "fixtures" / "papers" / "harbour.tex"


def read(source: str, name: str = "paper.tex"):
    (doc,) = load_bytes(source.encode(), name)
    return doc


def sentences(doc) -> list[str]:
    return [doc.text[s:e] for s, e in sentence_spans(doc.text)]


def test_a_paper_reads_as_it_is_typeset():
    (doc,) = load_bytes(PAPER.read_bytes(), "harbour.tex")
    assert (doc.title, doc.author, doc.date) == (
        "Dredging and Trade at Kess Point", "Ann Smith, University of Leeds, Bo Jones, Harbour Board", "March 2024")
    said = sentences(doc)
    assert "The harbour of Kess Point was dredged in 1871 to take the new steam colliers." in said  # comment and cite gone
    assert "Its quay was lengthened twice before the war, as shown in Table 1." in said  # \emph, \ref numbered
    assert "The colliers were driven by new engines." in said and "The engines were built in Leeds." in said
    assert "They burned less coal than the old ones, about $3.5\\,\\mathrm{kg}$ per mile." in said  # math as written
    assert "Café owners on the quay — there were twelve — called it “the new harbour”." in said
    assert "The cost grew as \\(c = a n^2\\), see Section 2 and Figure 1." in said
    assert "Figure 1: Tonnage landed at Kess Point per year." in said
    assert "Table 1: Quay length by year." in said and "1871 | 120" in doc.text
    assert "and Eq. (1) is minimised." in doc.text and "100% of them" in doc.text
    assert "- the harbour master's daily log;" in doc.text
    for gone in ("usepackage", "tonnes", "old draft", "\\", "Funded", "plainnat", "refs", "includegraphics", "sec:"):
        assert gone not in doc.text.replace("\\,", "").replace("\\mathrm", "").replace("\\(", "").replace(
            "\\)", "").replace("\\sum", "").replace("\\hat", "")


def test_sections_are_headings_never_quoted_and_name_a_quotes_section():
    (doc,) = load_bytes(PAPER.read_bytes(), "harbour.tex")
    assert [doc.text[h.start:h.end] for h in doc.headings] == [
        "Abstract", "1 Introduction", "2 Method", "2.1 Sources", "Acknowledgements", "Notes"]
    assert [h.level for h in doc.headings][:4] == [2, 2, 2, 3]
    start = doc.text.index("We read the Board's")
    quote = Quote.cite(doc, start, doc.text.index(":", start) + 1, score=1.0)
    assert quote.section == ["2 Method", "2.1 Sources"]


@pytest.mark.parametrize("written,shown", [
    ("as shown in~\\cite{a}.", "as shown in."),
    ("as shown in \\citep[p.~3]{a,b}, and", "as shown in, and"),
    ("as shown (\\cite{a}).", "as shown."),
    ("\\citet{a} showed it.", "showed it."),
    ("see Figure~\\ref{missing} below.", "see Figure below."),
    ("a rate of 5\\% and \\$3 \\& more", "a rate of 5% and $3 & more"),
    ("Erd\\H{o}s and G\\\"odel met in Z\\\"urich, na\\\"{\\i}ve", "Erdős and Gödel met in Zürich, naïve"),
    ("\\href{https://example.org}{the site} and \\url{https://x.org}", "the site and https://x.org"),
    ("\\textbf{\\emph{bold}} \\unknownmacro{kept} words", "bold kept words"),
    ("Line one.\\\\Line two.", "Line one.\nLine two."),
    ("pages 3--5 of the 1990s", "pages 3–5 of the 1990s"),
])
def test_inline_markup(written, shown):
    doc = read(f"\\documentclass{{article}}\\begin{{document}}\n{written}\n\\end{{document}}")
    assert doc.text == shown


def test_lists_bibliography_and_a_file_without_preamble():
    doc = read("\\section{Ports}\n\\begin{enumerate}\n\\item Hull\n\\item Leith\n\\end{enumerate}\n"
               "\\begin{description}\\item[Quay] a place to land.\\end{description}\n"
               "\\begin{thebibliography}{9}\n\\bibitem{a} A. Smith. Harbours. 2019.\n"
               "\\bibitem[Jo21]{b} B. Jones. Coal. 2021.\n\\end{thebibliography}", "chapter.tex")
    assert doc.text == ("1 Ports\n\n1. Hull\n2. Leith\n\nQuay a place to land.\n\nReferences\n\n"
                        "[1] A. Smith. Harbours. 2019.\n[2] B. Jones. Coal. 2021.")
    assert doc.title == "1 Ports"


def test_a_comment_eats_its_line_and_an_escaped_percent_does_not():
    doc = read("\\section{A}\nThe quay is 100\\% built. % not yet\nIt opened in 1871.%\n\n%\\section{Hidden}\n")
    assert doc.text == "1 A\n\nThe quay is 100% built. It opened in 1871."


def test_a_tex_file_that_is_not_latex_is_refused_by_name():
    with pytest.raises(LoadError, match=r"notes\.tex: not a LaTeX source.*save plain text as \.txt"):
        read("Just some notes about the harbour.\nNothing else.", "notes.tex")


def test_deep_nesting_and_unclosed_groups_end_cleanly():
    with pytest.raises(LoadError, match="nested too deeply"):
        read("\\section{A}" + "{" * 5000 + "x" + "}" * 5000, "deep.tex")
    doc = read("\\section{A}\nAn \\emph{unclosed group runs to the end.\n\\begin{itemize}\\item open", "open.tex")
    assert "unclosed group runs to the end." in doc.text and "open" in doc.text
