"""A time said relative to the conversation's: "and the year after?", "ten days later",
"what did they do the following year" → the date itself, counted from the time the previous
question gave, else the previous answer's (`shifted`): "the year after" 1081 is 1082, "ten days
later" than October 6, 1973 is October 16, 1973. Searched as typed, "the year after" finds
any year.
Invariant: the date is counted from a time written in the conversation, never guessed.
"""

from __future__ import annotations

import datetime
import re

from rag.followup.then import time_in, time_of
from rag.followup.words import MONTHS, YEAR

_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "fifty": 50, "hundred": 100}
_N = rf"(?:\d{{1,3}}|{'|'.join(_COUNT)})"
_UNIT = r"(?:day|week|month|year|decade|century)"
_RELATIVE = re.compile(
    rf"\b(?:(?P<n>{_N})\s+(?P<unit>{_UNIT})s?\s+(?P<dir>later|after(?:wards)?|before|earlier|on)|"
    rf"the\s+(?P<unit2>{_UNIT})\s+(?P<dir2>after|before)|the\s+(?P<dir3>following|next|previous|preceding)\s+"
    rf"(?P<unit3>{_UNIT}))(?:\s+that)?\b", re.I)
# typed in lower case too ("what happened on october 6 1973"), which words.WHEN does not read as a date
_DATE = re.compile(rf"\b(?:(?P<d1>\d{{1,2}}) )?(?P<month>{MONTHS})(?: (?P<d2>\d{{1,2}}))?,? (?P<year>\d{{4}})\b", re.I)
# "and the year after?", "what happened ten days later": the relative time is all it asks
_ONLY = re.compile(r"^\s*(?:and|but|so|ok|okay)?[\s,]*(?:what\s+(?:about|happened)\s+)?(?:and\s+)?$", re.I)
_DAYS = {"day": 1, "week": 7}
_YEARS = {"year": 1, "decade": 10, "century": 100}


def shifted(question: str, frame: str, answer: list[str]) -> tuple[str, bool] | None:
    """(the question with the date in place of its relative time, whether the relative time was
    all it asked: then the previous question with the date in place of its own); None when the
    question says no relative time or the conversation gives no time to count from."""
    said = _RELATIVE.search(question)
    if said is None:
        return None
    n = _COUNT.get((said["n"] or "a").lower()) or int(said["n"])
    unit = (said["unit"] or said["unit2"] or said["unit3"]).lower()
    back = (said["dir"] or said["dir2"] or said["dir3"]).lower() in {"before", "earlier", "previous", "preceding"}
    step = -n if back else n
    counted = [(start, _counted(start, step, unit)) for start in (_time(frame), time_of(answer)) if start]
    old, date = next(((start, date) for start, date in counted if date), ("", ""))
    if not date:
        return None
    at = f"on {date}" if _DATE.fullmatch(date) and re.search(r"\d{1,2},", date) else f"in {date}"
    rest = f"{question[:said.start()]}{question[said.end():]}".strip().rstrip("?.!")
    if _ONLY.match(rest):
        if isinstance(old, str) and old in frame:
            return f"{frame.strip().rstrip('?').replace(old, date, 1)}?", True
        return f"What happened {at}?", True
    return f"{question[:said.start()]}{at}{question[said.end():]}", False


def _time(text: str) -> str | tuple[str, str]:
    """The date the text gives, in whatever case it was typed, else its last time (then.time_in)."""
    date = _DATE.search(text)
    return date.group() if date else time_in(text)


def _counted(start: str | tuple[str, str], n: int, unit: str) -> str:
    """The time `n` units after `start` (before it when `n` is negative), written as the corpus
    writes dates ("October 16, 1973", "March 1975", "1082"); "" when `start` is too coarse
    ("ten days after 1973")."""
    if isinstance(start, tuple):
        start = start[0] if n < 0 else start[1]
    date = _DATE.search(start)
    if unit in _YEARS:
        if date:
            year = int(date["year"]) + n * _YEARS[unit]
            return start[:date.start("year")] + str(year) + start[date.end("year"):]
        year = YEAR.search(start)
        return str(int(year[1]) + n * _YEARS[unit]) if year and not start.rstrip().endswith("s") else ""
    if date is None:
        return ""
    month = MONTHS.split("|").index(date["month"].capitalize()) + 1
    if unit == "month":
        months = int(date["year"]) * 12 + month - 1 + n
        return f"{MONTHS.split('|')[months % 12]} {months // 12}"
    day = date["d1"] or date["d2"]
    if not day:
        return ""
    try:
        then = datetime.date(int(date["year"]), month, int(day)) + datetime.timedelta(days=n * _DAYS[unit])
    except (ValueError, OverflowError):  # "February 30", or past the calendar's ends: no date to count from
        return ""
    return f"{MONTHS.split('|')[then.month - 1]} {then.day}, {then.year}"
