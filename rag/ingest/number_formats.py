"""A number stored in an Excel cell, written as its number format shows it.

`shown_number` takes the stored value (a float as text) and the cell's format code. A date or
time format gives ISO 8601 ("2024-03-05", "09:30", "2024-03-05 09:30"): the serial day number
Excel stores (45356) says nothing to a reader. A number format gives what the sheet shows:
currency and other literal text, thousands separators, fixed decimals, percentages, scaling by
thousands ("0.0,," millions) and scientific notation ("$1,200.00", "(1,200.00)", "12.5%",
"1.23E+04"), rounded half away from zero as Excel rounds. Separators are written as an English
Excel writes them (the file stores no locale's). A code this does not follow (fractions,
conditions, digits split by text as in "000-00-0000") shows the number to 15 significant
digits, as the General format does. Nothing here reads files.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache

# Excel's built-in formats (a style's numFmtId below 164 names one without writing its code).
# 5-8 are the locale's currency, written without a symbol (the file does not say which);
# 27-36 and 50-58 are East Asian dates
BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: "#,##0_);(#,##0)", 6: "#,##0_);[Red](#,##0)",
           7: "#,##0.00_);(#,##0.00)", 8: "#,##0.00_);[Red](#,##0.00)", 9: "0%", 10: "0.00%", 11: "0.00E+00",
           14: "yyyy-mm-dd", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
           20: "h:mm", 21: "h:mm:ss", 22: "yyyy-mm-dd h:mm", 37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)",
           39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 47: "mm:ss.0", 48: "##0.0E+0",
           **{n: "yyyy-mm-dd" for n in (*range(27, 37), *range(50, 59))}}
# what a format code shows literally, not as a date part: "text", [Red] or [$-409], \x, _x, *x
_LITERAL = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
# a format code's pieces: quoted text, an escaped character, a padding "_x", a fill "*x", a
# [bracket] (colour, currency "[$€-407]", condition), a run of digit placeholders, a section break
_PIECE = re.compile(r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|_(?P<pad>.)|\*(?P<fill>.)|'
                    r'\[(?P<bracket>[^\]]*)\]?|(?P<digits>[0#?][0#?,.]*|\.[0#?][0#?,.]*)|(?P<general>General)|'
                    r'(?P<other>.)', re.IGNORECASE | re.S)
_PLACES = [Decimal(1).scaleb(-places) for places in range(64)]  # Excel shows at most 30 decimals


@lru_cache(maxsize=512)  # a sheet has few formats and many cells
def _sections(code: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The code's sections (positive;negative;zero;text), split at semicolons outside quotes,
    each as its pieces: (kind, text), kind a group name of _PIECE."""
    sections: list[tuple[tuple[str, str], ...]] = []
    current: list[tuple[str, str]] = []
    for piece in _PIECE.finditer(code):
        kind = piece.lastgroup or "other"
        if kind == "other" and piece[0] == ";":
            sections.append(tuple(current))
            current = []
        else:
            current.append((kind, piece[kind] or ""))
    return (*sections, tuple(current))


def _general(number: float) -> str:
    return f"{number:.15g}"


def _digits(number: float, pattern: str) -> str:
    """`number` (not negative) written by one run of placeholders ("#,##0.00", "0.0,,")."""
    core = pattern.rstrip(",")
    number /= 1000 ** (len(pattern) - len(core))  # a comma after the last digit: thousands
    whole, _, fraction = core.partition(".")
    places = min(sum(ch in "0#?" for ch in fraction), len(_PLACES) - 1)
    try:
        rounded = Decimal(_general(number)).quantize(_PLACES[places], rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the default 28
        with localcontext() as context:
            context.prec = 400  # every digit of the largest double
            rounded = Decimal(_general(number)).quantize(_PLACES[places], rounding=ROUND_HALF_UP)
    integer, _, decimals = f"{rounded:f}".partition(".")
    integer = integer.lstrip("0").rjust(whole.count("0"), "0")  # "#" shows no leading zero, "0" does
    if "," in whole:
        integer = re.sub(r"(?<=\d)(?=(?:\d{3})+$)", ",", integer)
    decimals = decimals.rstrip("0").ljust(len(fraction.rstrip("#?")), "0")  # "#" shows no trailing zero
    return integer + ("." + decimals if "." in core else "")


@lru_cache(maxsize=512)
def _followed(section: tuple[tuple[str, str], ...]) -> tuple[bool, int | None]:
    """Whether this module follows the section, and its decimal places if it is scientific."""
    placeholders = "".join(text for kind, text in section if kind in ("digits", "other", "general"))
    if scientific := re.search(r"[0#?]+\.?([0#?]*)E[+-]0+", placeholders, re.IGNORECASE):
        return True, len(scientific[1])
    runs = sum(kind == "digits" for kind, _ in section)
    odd = any((kind == "other" and text in ("/", "@")) or (kind == "bracket" and text[:1] in ("<", ">", "="))
              for kind, text in section)  # a fraction, a text format, a condition
    return runs <= 1 and not odd, None  # two runs: digits split by text ("000-00-0000")


def _section_text(section: tuple[tuple[str, str], ...], number: float) -> str | None:
    """`number` (not negative) as one section shows it; None for a section this does not follow."""
    followed, scientific = _followed(section)
    if scientific is not None:
        return f"{number:.{scientific}E}"
    if not followed:
        return None
    percent = section.count(("other", "%"))
    shown = []
    for kind, text in section:
        if kind in ("quoted", "escaped", "other"):
            shown.append(text)
        elif kind == "fill":
            shown.append(" " if text == " " else "")  # fills the column; at least it parts text
        elif kind == "bracket" and text.startswith("$"):
            shown.append(text[1:].split("-", 1)[0])  # "[$€-407]": the symbol, not the locale
        elif kind == "digits":
            shown.append(_digits(number * 100 ** percent, text))
        elif kind == "general":
            shown.append(_general(number))
    return " ".join("".join(shown).split())


def _formatted(number: float, code: str) -> str:
    """A number in a number format: the section for its sign, the first with a minus where the
    code has no section for negative numbers."""
    sections = _sections(code)
    if number < 0 and len(sections) > 1:
        text = _section_text(sections[1], -number)
    elif number == 0 and len(sections) > 2:
        text = _section_text(sections[2], 0.0)
    else:
        text = _section_text(sections[0], abs(number))
        text = "-" + text if text and number < 0 and re.search(r"[1-9]", text) else text
    return _general(number) if text is None else text


def _date(number: float, shown: str, date1904: bool) -> str:
    has_date, has_time = any(c in shown for c in "dy") or "mmm" in shown, any(c in shown for c in "hs")
    # Excel's day 1 is 1900-01-01, and it counts a 29 February 1900 that never was (day 60)
    epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 31 if number < 60 else 30)
    when = epoch + timedelta(seconds=round(number * 86400))
    parts = ([when.strftime("%Y-%m-%d")] if has_date else []) + \
        ([when.strftime("%H:%M:%S" if "s" in shown else "%H:%M")] if has_time else [])
    return " ".join(parts)


@lru_cache(maxsize=512)
def _kind(code: str) -> tuple[str, str]:
    """("general" | "number" | "date", the code's date parts in lower case)."""
    shown = _LITERAL.sub("", code).lower()
    if not code or code.lower() == "general" or re.search(r"\[(?:h+|m+|s+)\]", code.lower()):
        return "general", shown  # none, or a duration ("[h]:mm"), not a time of day
    return ("date" if any(c in shown for c in "dyhs") or "mmm" in shown else "number"), shown


def shown_number(value: str, code: str, date1904: bool) -> str:
    """A cell's stored number as its format code ("" or "General": none) shows it."""
    number = float(value)
    kind, shown = _kind(code)
    if kind == "general" or not math.isfinite(number):
        return _general(number)
    if kind == "number":
        return _formatted(number, code)
    return _date(number, shown, date1904) if 0 <= number < 2_958_466 else _general(number)  # to 9999-12-31
