"""A file's bytes as text: UTF-8 (a BOM allowed), UTF-16 with its mark, or for a web page the
charset it declares. Bytes that are none of these raise a LoadError saying how to re-save the
file; nothing is guessed, so a stored text is always what the file says."""

from __future__ import annotations

import codecs
import re

from rag.ingest.errors import LoadError

# <meta charset="windows-1252"> or <meta http-equiv="Content-Type" content="text/html; charset=...">
_DECLARED_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)


def decode_html(raw: bytes, name: str) -> str:
    """A page in UTF-8 or, where it is not, in the charset it declares in its first 4 KiB
    (saved pages of older sites say windows-1252 or ISO-8859-1). Valid UTF-8 wins over a
    declaration, which a page saved again as UTF-8 often still carries."""
    try:
        return decode(raw, name)
    except LoadError:
        declared = _DECLARED_CHARSET.search(raw[:4096])
        try:
            if declared:
                return raw.decode(codecs.lookup(declared[1].decode("ascii")).name)
        except (LookupError, UnicodeDecodeError):
            pass
        raise


def not_binary(raw: bytes, name: str) -> None:
    if b"\x00" in raw[:8192]:
        raise LoadError(f"{name}: looks like a binary file (NUL bytes); not ingested")


def decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows "Unicode" text
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as err:
            raise LoadError(f"{name}: starts with a UTF-16 mark but is not valid UTF-16 at byte "
                            f"{err.start}; re-save it as UTF-8") from None
    not_binary(raw, name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LoadError(f"{name}: not valid UTF-8 at byte {err.start}; re-save it as UTF-8") from None
