"""An e-mail (.eml) as a short header block and its body in plain text.

`mail_text` reads a message with the standard library's `email` package: the header block
is From, To, Cc, Date and Subject as the message writes them (encoded words decoded, nothing
re-rendered), then the attachments' names (they are not read), all on one line as a table
row is written ("From: Ann <ann@example.org> | Date: ... | Subject: ..."): a header line
alone is short and ends no sentence, so it would be left out of quotes as a heading, and
one line read whole says who wrote to whom, when and about what; the body is the
plain-text part, or the HTML part turned into text by the caller's `html_to_text` where the
mail has no plain one. A forwarded message attached whole (message/rfc822) is read the same
way after the body: it is often what the mail is about. `mbox_messages` cuts a mail archive
(.mbox, as Thunderbird, Apple Mail and Google Takeout export one) into its messages.
Nothing here cleans or stores text.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.parser
import email.policy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

_HEADERS = ("From", "To", "Cc", "Date", "Subject")
_KNOWN = {"from", "to", "cc", "date", "subject", "message-id", "received", "mime-version", "sender", "reply-to"}


class NotMail(ValueError):
    """Bytes that carry none of the headers an e-mail has."""


@dataclass
class Mail:
    subject: str = ""
    sender: str = ""
    date: str = ""  # ISO 8601 where the Date header parses, else as written
    headers: list[str] = field(default_factory=list)  # "From: Ann <ann@example.org>", ...
    body: str = ""

    @property
    def header_line(self) -> str:
        return " | ".join(self.headers)


def _header(message: EmailMessage, name: str) -> str:
    """The header as written, its encoded words ("=?utf-8?q?Kr=C3=A4ne?=") decoded: the parsed
    form re-renders what it cannot parse ('To: ,,,@@@' became 'To: <>')."""
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    raw = str(raw)
    try:
        raw = str(email.header.make_header(email.header.decode_header(raw)))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
        pass  # a broken encoded word stays as written
    return " ".join(raw.split())


def _part_text(part: EmailMessage) -> str:
    """A text part's content; a charset Python does not know is read as UTF-8, then Latin-1."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload.decode("latin-1")


def _attachments(message: EmailMessage, body: EmailMessage | None) -> list[str]:
    """Parts sent as files (named, or marked as attachments), not looking inside a forwarded
    message (it names its own); the body's other form (the HTML of a plain body) and inline
    parts without a name are not attachments."""
    names = []
    for part in message.iter_parts() if message.is_multipart() else []:
        if part.get_content_type() == "message/rfc822":
            continue
        if part.is_multipart():
            names += _attachments(part, body)
        elif part is not body and (part.get_filename() or part.get_content_disposition() == "attachment"):
            name = part.get_filename()
            names.append(" ".join(name.split()) if name else f"an unnamed {part.get_content_type()} file")
    return names


def _forwarded(message: EmailMessage) -> list[EmailMessage]:
    """Messages attached whole, outside any other attached message (those are read with it)."""
    found = []
    for part in message.iter_parts() if message.is_multipart() else []:
        if part.get_content_type() == "message/rfc822":
            found += [inner for inner in part.iter_parts() if isinstance(inner, EmailMessage)][:1]
        elif part.is_multipart():
            found += _forwarded(part)
    return found


def _read(message: EmailMessage, html_to_text: Callable[[str], str], depth: int = 0) -> Mail:
    mail = Mail(subject=_header(message, "Subject"), sender=_header(message, "From"))
    mail.date = _header(message, "Date")
    try:
        when = message["Date"].datetime if message["Date"] is not None else None
        mail.date = when.isoformat() if when is not None else mail.date
    except (AttributeError, ValueError, TypeError, IndexError):
        pass
    mail.headers = [f"{name}: {value}" for name in _HEADERS if (value := _header(message, name))]
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        text = _part_text(body)
        mail.body = html_to_text(text) if body.get_content_subtype() == "html" else text
    elif isinstance(message.get_payload(), str) and message.get_content_maintype() in ("text", "multipart"):
        mail.body = message.get_payload()  # a multipart mail whose boundary is missing: its text as sent
    if attached := _attachments(message, body):
        mail.headers.append(f"Attachments (not ingested): {', '.join(attached)}")
    for inner in _forwarded(message) if depth < 5 else []:
        forwarded = _read(inner, html_to_text, depth + 1)
        mail.body += "\n\n" + "\n".join(filter(None, ["Forwarded message:", forwarded.header_line])) + "\n\n" + forwarded.body
    return mail


def mail_text(raw: bytes, html_to_text: Callable[[str], str]) -> Mail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not {key.lower() for key in message.keys()} & _KNOWN:
        raise NotMail("none of the headers an e-mail has (From, To, Subject, Date)")
    return _read(message, html_to_text)


# A message in an archive starts at its envelope, a "From " line (sender and date), at the start of
# the file or after a blank line, as mboxo and mboxrd write them; a body line that began "From "
# was saved as ">From " (mboxrd quotes ">From " too, one ">" more) and is given back. A "From "
# line inside a paragraph, or one without the envelope's time of day to the second ("From Monday
# on, ...", in an archive that did not quote it), is the body's (mutt, too, wants an envelope's date).
# Python's `mailbox` is not used: it wants a path, cuts at every "From " line, quoted ones kept.
_FROM_LINE = re.compile(rb"^From [^\n]*(?:\n|\Z)", re.MULTILINE)
_ENVELOPE_TIME = re.compile(rb"\d:\d\d:\d\d")  # asctime's, as every envelope writes its date
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)


def _envelope(raw: bytes, line: re.Match[bytes]) -> bool:
    start = line.start()
    after_blank = raw.endswith(b"\n\n", 0, start) or raw.endswith(b"\n\r\n", 0, start)
    return start == 0 or (after_blank and _ENVELOPE_TIME.search(line[0]) is not None)


def mbox_messages(raw: bytes) -> list[bytes]:
    """Each message of an mbox archive, its envelope line taken off and its quoted "From " lines
    given back; NotMail when the bytes do not start as an archive does."""
    if not raw.startswith(b"From "):
        raise NotMail("an mbox archive starts with a 'From ' line, and this does not (an .eml file?)")
    envelopes = [line for line in _FROM_LINE.finditer(raw) if _envelope(raw, line)]
    ends = [envelope.start() for envelope in envelopes[1:]] + [len(raw)]
    return [_QUOTED_FROM.sub(rb"\1", raw[envelope.end():end]) for envelope, end in zip(envelopes, ends)]


def message_id(raw: bytes) -> str:
    """The Message-ID a message gives itself, without its angle brackets; "" if none."""
    headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)  # the body unread
    return _header(headers, "Message-ID").strip("<> ")
