"""What was said in a subtitle or transcript file (.srt, .vtt), without its timing.

`subtitle_lines` returns the spoken text as lines a person can read and quote: sequence
numbers, timing lines, cue settings, NOTE/STYLE/REGION blocks and markup (<i>, <v Ann>,
{\\an8}) gone; a speaker named by a WebVTT voice tag is written "Ann: ". A cue is one line,
except that a cue which stops inside a sentence goes on with the next cue, so that a quoted
sentence is whole ("The crane was dismantled" + "in March 2019."), up to MAX_RUN characters. A cue that repeats the
last line of the one before (rolling captions, as YouTube writes them) adds only its new line.
Nothing here cleans or stores text.
"""

from __future__ import annotations

import html
import re

_TIMING = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}(?:[,.]\d{1,3})?\s*-->\s*(?:\d+:)?\d{1,2}:\d{2}(?:[,.]\d{1,3})?")
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


def _speech(line: str) -> str:
    line = _VOICE.sub(lambda m: f"{m[1].strip()}: ", line)
    return " ".join(html.unescape(_ASS.sub("", _TAG.sub("", line))).split())


def _cues(text: str) -> list[list[str]]:
    """Each cue's text lines, in file order."""
    cues: list[list[str]] = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        timing = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing is not None:
            cues.append([s for s in map(_speech, lines[timing + 1:]) if s])
        elif cues and not lines[0].strip().startswith(_VTT_BLOCKS):
            cues[-1] += [s for s in map(_speech, lines) if s]  # a cue whose text held a blank line
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


def subtitle_lines(text: str) -> list[str]:
    """The spoken text, one cue (or sentence run across cues) a line; NoCues if there is none."""
    cues = _cues(text)
    if not cues:
        raise NoCues("no cue found (no 'start --> end' timing line)")
    lines: list[str] = []
    last = ""  # the last line of the cue before: a rolling caption repeats it
    for cue in cues:
        fresh = cue[1:] if cue and cue[0] == last else cue
        if cue:
            last = cue[-1]
        for i, turn in enumerate(_turns(fresh)):
            if lines and i == 0 and not _ENDS_SENTENCE.search(lines[-1]) and len(lines[-1]) < MAX_RUN:
                voice = _VOICE_LINE.match(turn)
                if voice and lines[-1].startswith(voice[0]):  # the same speaker goes on
                    turn, voice = turn[voice.end():], None
                if not voice and not _DASH.match(turn):
                    lines[-1] += " " + turn
                    continue
            lines.append(turn)
    return lines
