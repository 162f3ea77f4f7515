"""E-mail into Documents: an .eml file is one, an .mbox archive a document per message (a bad
or repeated message skipped and reported while the rest ingest). A message's header line is
written as a table row before its body; an HTML body is read as a page is."""

from __future__ import annotations

from pathlib import Path

from rag.ingest import html, mail
from rag.ingest.clean import clean_text
from rag.ingest.decode import not_binary
from rag.ingest.errors import LoadError, broken
from rag.ingest.fields import bad_id
from rag.ingest.records import Loaded, some_taken
from rag.types import Document


def _mail_document(raw: bytes, doc_id: str, name: str, title: str) -> Document:
    """One message: its header line written as a table row, then its body; `title` where it has
    no subject."""
    try:
        message = mail.mail_text(raw, lambda page: html.rules_text(page).text)
    except (mail.NotMail, RecursionError) as err:
        raise broken(name, "e-mail", err) from None
    text = "\n\n".join(part for part in (clean_text(message.header_line, web=False), clean_text(message.body, web=False))
                       if part)
    return Document(id=doc_id, title=message.subject or title, author=message.sender, date=message.date, text=text)


def load_mail(raw: bytes, doc_id: str, name: str) -> list[Document]:
    not_binary(raw, name)  # the mail parser reads any bytes; the charsets are its own
    return [_mail_document(raw, doc_id, name, Path(name).stem)]


def load_mbox_records(raw: bytes, doc_id: str, name: str) -> Loaded:
    """A mail archive, a document per message, its id the file's and the Message-ID ("box.mbox#
    <id>", steady while other messages come and go) or, without one, its number ("box.mbox#3").
    A message that is no e-mail, or repeats an earlier Message-ID, is skipped and reported."""
    not_binary(raw, name)
    try:
        messages = mail.mbox_messages(raw)
    except mail.NotMail as err:
        raise broken(name, "mail archive", err) from None
    loaded, seen = Loaded(), {}
    for number, message in enumerate(messages, start=1):
        where = f"{name} message {number}"
        try:
            found = mail.message_id(message)
            found = "" if bad_id(found) else found  # none, or one no URL could name: its number instead
            document = _mail_document(message, f"{doc_id}#{found or number}", where, f"{Path(name).stem} {number}")
            if document.id in seen:
                raise LoadError(f"{where}: Message-ID {found!r} was already used by message {seen[document.id]}; "
                                f"skipped (the first keeps it)")
            loaded.documents.append(document)
            seen[document.id] = number
        except LoadError as err:
            loaded.skipped[where] = str(err)
    return some_taken(loaded, name)
