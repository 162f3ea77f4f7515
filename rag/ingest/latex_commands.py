"""What LaTeX's commands show, for latex_reader.py: those shown as a character, accents, those
that show nothing (with how many arguments they take, so the arguments go too), and those whose
second argument is the one shown. Any other command (\\emph, \\textbf, \\url, a macro the file
defines) shows its first argument, if it has one."""

from __future__ import annotations

import unicodedata

# arguments before the one shown: \href{address}{text}, \textcolor{red}{text}, \foreignlanguage{french}{text}
SKIPPED_FIRST = {"href", "textcolor", "colorbox", "foreignlanguage"}
SYMBOLS = {"ldots": "…", "dots": "…", "textellipsis": "…", "LaTeX": "LaTeX", "TeX": "TeX", "LaTeXe": "LaTeX2e",
           "textendash": "–", "textemdash": "—", "S": "§", "P": "¶", "copyright": "©", "pounds": "£",
           "textdegree": "°", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "o": "ø", "O": "Ø",
           "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "textquoteleft": "‘", "textquoteright": "’",
           "textquotedblleft": "“", "textquotedblright": "”", "textbackslash": "\\", "textasciitilde": "~",
           "textunderscore": "_", "textbar": "|", "textless": "<", "textgreater": ">", "textregistered": "®",
           "texttrademark": "™", "euro": "€", "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ",
           "newline": "\n", "linebreak": "\n", "par": "\n\n", "and": ", ", "AND": ", "}
ESCAPED = {"%": "%", "&": "&", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", ",": " ", ";": " ", ":": " ",
           " ": " ", "!": "", "-": "", "/": "", "@": ""}
ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
           ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
           "r": "\u030a", "d": "\u0323", "b": "\u0331"}
# commands that show nothing, by the number of {arguments} they take (their [options] go too)
HIDDEN = {
    0: {"maketitle", "centering", "raggedright", "raggedleft", "noindent", "indent", "small", "footnotesize",
        "scriptsize", "tiny", "large", "Large", "LARGE", "huge", "Huge", "normalsize", "bfseries", "itshape",
        "ttfamily", "rmfamily", "sffamily", "scshape", "mdseries", "upshape", "bf", "it", "em", "rm", "tt", "sc",
        "sf", "newpage", "clearpage", "cleardoublepage", "pagebreak", "nopagebreak", "smallskip", "medskip",
        "bigskip", "vfill", "hfill", "tableofcontents", "listoffigures", "listoftables", "printbibliography",
        "hline", "toprule", "midrule", "bottomrule", "protect", "relax", "frontmatter", "mainmatter",
        "backmatter", "today", "nonumber", "notag", "selectfont", "normalfont", "footnotemark", "sloppy",
        "allowbreak", "break", "hspace*", "appendixpage", "IEEEpeerreviewmaketitle", "makeatletter",
        "makeatother", "ignorespaces", "strut", "hrule", "vline", "cline", "pagenumbering"},
    1: {"label", "cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear", "citeyearpar", "nocite",
        "parencite", "textcite", "autocite", "footcite", "Cite", "Citep", "Citet", "includegraphics", "vspace",
        "vspace*", "hspace", "hspace*", "bibliography", "bibliographystyle", "addbibresource", "usepackage",
        "RequirePackage", "documentclass", "input", "include", "includeonly", "pagestyle", "thispagestyle",
        "thanks", "hypersetup", "graphicspath", "footnotetext", "cmidrule", "linespread", "color",
        "fontsize", "setstretch", "email", "affiliation", "orcid", "pagenumbering", "bibitem", "captionsetup",
        "title", "author", "date", "subtitle", "acmConference", "acmYear", "acmDOI", "acmISBN", "ccsdesc",
        "setcopyright", "copyrightyear", "vskip"},
    2: {"newcommand", "renewcommand", "providecommand", "setlength", "addtolength", "setcounter", "addtocounter",
        "DeclareMathOperator", "newtheorem", "definecolor", "newcounter"},
    3: {"newenvironment", "renewenvironment"},
}
HIDDEN_ARGUMENTS = {name: count for count, names in HIDDEN.items() for name in names}


def accented(letter: str, accent: str) -> str:
    """A letter with an accent command's mark (\\'e is é)."""
    letter = {"ı": "i", "ȷ": "j"}.get(letter, letter)  # \\"{\\i}: the dot is the accent's place
    return unicodedata.normalize("NFC", letter + ACCENTS[accent]) if letter else ""
