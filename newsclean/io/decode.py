"""Bytes to text: the step before any stage sees a page.

Archives hold UTF-8 with and without a byte-order mark, and UTF-16 files that
carry one.  Bytes that do not decode are an error that names the file and the
byte offset, never a silent replacement: an archivist must know that a page
was damaged.  Legacy encodings (GB18030, Big5) plug in through ``encoding``.
"""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UndecodableInput(ValueError):
    """The input's bytes are not valid in the expected encoding."""

    def __init__(self, source: str, offset: int, encoding: str, reason: str) -> None:
        self.source = source
        self.offset = offset
        self.encoding = encoding
        super().__init__(
            f"{source}: cannot decode byte offset {offset} as {encoding} ({reason})"
        )


def sniff_encoding(data: bytes, default: str = "utf-8") -> tuple[str, int]:
    """The encoding named by a byte-order mark and the mark's length, else ``default``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return default, 0


def unify_line_ends(text: str) -> str:
    """CRLF and lone CR (old Mac archives) become LF; form feeds end a line too."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")


def decode(data: bytes, source: str = "<bytes>", encoding: str = "utf-8") -> str:
    """Decode a page's bytes strictly; raise :class:`UndecodableInput` on bad bytes."""
    encoding, skip = sniff_encoding(data, encoding)
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError as error:
        raise UndecodableInput(source, error.start + skip, encoding, error.reason) from None
    return unify_line_ends(text)
