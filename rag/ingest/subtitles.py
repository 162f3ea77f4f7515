"""What was said in a subtitle or transcript file (.srt, .vtt), and when.

`subtitle_lines` returns the spoken text as lines a person can read and quote: sequence
numbers, timing lines, cue settings, NOTE/STYLE/REGION blocks and markup (<i>, <v Ann>,
{\\an8}) gone; a speaker named by a WebVTT voice tag is written "Ann: ". A cue is one line,
except that a cue which stops inside a sentence goes on with the next cue, so that a quoted
sentence is whole ("The crane was dismantled" + "in March 2019."), up to MAX_RUN characters. A cue that repeats the
last line of the one before (rolling captions, as YouTube writes them) adds only its new line.
`timed_lines` gives the same lines with, for each cue's part of a line, where it starts in the
line and when it is spoken, so a quote can say where in the recording it is. Nothing here
cleans or stores text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rag.types import Cue

_TIME = r"((?:\d+:)?\d{1,2}:\d{2}(?:[,.]\d{1,3})?)"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VTT_BLOCKS = ("WEBVTT", "NOTE", "STYLE", "REGION")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"<[^<>\n]*>")  # <i>, </v>, <c.yellow>, <00:00:01.500> (karaoke timing)
_ASS = re.compile(r"\{\\[^{}\n]*\}")  # {\an8}: an SSA position override some .srt files carry
_DASH = re.compile(r"^[-–—]\s*")  # "- Yes." / "- No.": two speakers in one cue
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
# Captions made by speech recognition carry no punctuation: cues that go on are joined only
# until a line is this long, so such a transcript stays lines a person can read, not one line.
MAX_RUN = 400


class NoCues(ValueError):
    """A subtitle file in which no cue (a 'start --> end' timing line) was found."""


@dataclass
class _Cue:
    """A cue's spoken lines and when they are spoken, in milliseconds of the recording."""

    start_ms: int
    end_ms: int
    lines: list[str]


@dataclass
class TimedLine:
    """A line of the spoken text; `cues` holds (offset in the line, start_ms, end_ms) for
    each cue's part of it, in order, the first at offset 0."""

    text: str
    cues: list[tuple[int, int, int]] = field(default_factory=list)


def milliseconds(stamp: str) -> int:
    """'01:02:03,500', '02:03.5' or '02:03' as milliseconds ('.5' is half a second)."""
    clock, _, fraction = stamp.replace(",", ".").partition(".")
    seconds = 0
    for part in clock.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds * 1000 + int((fraction + "00")[:3])


def _speech(line: str) -> str:
    line = _VOICE.sub(lambda m: f"{m[1].strip()}: ", line)
    return " ".join(html.unescape(_ASS.sub("", _TAG.sub("", line))).split())


def _cues(text: str) -> list[_Cue]:
    """Each cue's text lines and timing, in file order."""
    cues: list[_Cue] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        at = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if at is not None:
            start, end = _TIMING.match(lines[at]).groups()
            cues.append(_Cue(milliseconds(start), milliseconds(end), [s for s in map(_speech, lines[at + 1:]) if s]))
        elif cues and not lines[0].strip().startswith(_VTT_BLOCKS):
            cues[-1].lines += [s for s in map(_speech, lines) if s]  # a cue whose text held a blank line
    return cues


def _turns(cue: list[str]) -> list[str]:
    """A cue's lines as what each speaker says: display wrapping undone, a line opening with
    a dialogue dash or a voice ("Ann: ") starts a turn of its own."""
    turns: list[str] = []
    for line in cue:
        if turns and not _DASH.match(line) and not _VOICE_LINE.match(line):
            turns[-1] += " " + line
        else:
            turns.append(line)
    return turns


_VOICE_LINE = re.compile(r"^[^\s:]{1,40}(?: [^\s:]{1,40})?: ")


def vtt_title(text: str) -> str:
    """The title a WebVTT file may give on its first line ("WEBVTT - Council meeting"), or ""."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    return first[6:].strip(" \t-–—:") if first.startswith("WEBVTT") and first[6:7] in (" ", "\t") else ""


def timed_lines(text: str) -> list[TimedLine]:
    """The spoken text, one cue (or sentence run across cues) a line, each part timed by its
    cue; NoCues if there is none."""
    cues = _cues(text)
    if not cues:
        raise NoCues("no cue found (no 'start --> end' timing line)")
    lines: list[TimedLine] = []
    last = ""  # the last line of the cue before: a rolling caption repeats it
    for cue in cues:
        fresh = cue.lines[1:] if cue.lines and cue.lines[0] == last else cue.lines
        if cue.lines:
            last = cue.lines[-1]
        for i, turn in enumerate(_turns(fresh)):
            line = lines[-1].text if lines else ""
            if lines and i == 0 and not _ENDS_SENTENCE.search(line) and len(line) < MAX_RUN:
                voice = _VOICE_LINE.match(turn)
                if voice and line.startswith(voice[0]):  # the same speaker goes on
                    turn, voice = turn[voice.end():], None
                if not voice and not _DASH.match(turn):
                    lines[-1].text += " " + turn
                    lines[-1].cues.append((len(line) + 1, cue.start_ms, cue.end_ms))
                    continue
            lines.append(TimedLine(turn, [(0, cue.start_ms, cue.end_ms)]))
    return lines


def subtitle_lines(text: str) -> list[str]:
    """The spoken text of `timed_lines`, without its timing."""
    return [line.text for line in timed_lines(text)]


def placed_cues(lines: list[TimedLine], text: str, clean: Callable[[str], str]) -> list[Cue]:
    """The cues of `lines` at their offsets in `text`, the stored text that `clean` made of
    them a line at a time ("\n" between lines, a line cleaned to nothing left out). Where
    cleaning shortened a line (a control character dropped), a cue inside it moves back by
    what was cut before it. [] when the lines are not the text's lines in order: no quote
    then gets a time rather than a wrong one."""
    stored = text.split("\n")
    cues: list[Cue] = []
    at = row = 0  # where the next stored line starts, and which it is
    for line in lines:
        same = row < len(stored) and line.text == stored[row]
        cleaned = line.text if same else clean(line.text)
        if not cleaned:
            continue
        if row >= len(stored) or cleaned != stored[row]:
            return []
        for offset, start_ms, end_ms in line.cues:
            if not same and offset:
                before = clean(line.text[:offset])
                offset = min(len(before) + 1, len(cleaned)) if before else 0
            cues.append(Cue(offset=at + offset, start_ms=start_ms, end_ms=end_ms))
        at, row = at + len(cleaned) + 1, row + 1
    return cues if row == len(stored) else []
