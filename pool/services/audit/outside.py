"""Checkpoints kept outside the database, read back for `patentpool audit verify`.

Every statement document (HTML footer, CSV last row, PDF metadata keywords) and every daily
checkpoint e-mail carries the line `Audit trail: event #N, head <64 hex digits>`
(`anchor.HEAD_LINE`). `scan` finds those lines in a file or a directory tree: plain files as
they are, `.eml` files part by part after undoing their transfer encoding (so attached
statements count too), and PDFs inside their compressed streams."""

import itertools
import re
import zlib
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

from pool.services.audit.anchor import OutsideCopy

LINE = re.compile(rb"Audit trail: event #(\d{1,18}), head ([0-9a-f]{64})")
_COPY = re.compile(r"^(\d{1,18}):([0-9a-f]{64})$")
_STREAM = re.compile(rb"stream\r?\n")
MAX_FILE_BYTES = 64 * 1024 * 1024


def parse(text: str, source: str = "the command line") -> OutsideCopy:
    """`EVENT_ID:HASH` (as `--checkpoint` takes it) or a whole head line."""
    text = text.strip()
    found = _COPY.match(text.lower())
    if found is None:
        line = LINE.search(text.encode())
        if line is None:
            raise ValueError(
                f"{text!r} is not EVENT_ID:HASH (a number, a colon, 64 hex digits) "
                "nor an 'Audit trail: event #N, head <hash>' line"
            )
        return OutsideCopy(int(line[1]), line[2].decode(), source)
    return OutsideCopy(int(found[1]), found[2], source)


def _pdf_streams(data: bytes) -> Iterator[bytes]:
    for start in _STREAM.finditer(data):
        end = data.find(b"endstream", start.end())
        if end < 0:
            return
        try:
            yield zlib.decompressobj().decompress(data[start.end() : end], MAX_FILE_BYTES)
        except zlib.error:
            continue


def _eml_parts(data: bytes) -> Iterator[bytes]:
    message = message_from_bytes(data, policy=policy.default)
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            yield payload
            if payload.startswith(b"%PDF"):
                yield from _pdf_streams(payload)


def _texts(path: Path) -> Iterator[bytes]:
    data = path.read_bytes()
    yield data
    suffix = path.suffix.lower()
    if suffix == ".eml":
        yield from _eml_parts(data)
    elif suffix == ".pdf" or data.startswith(b"%PDF"):
        yield from _pdf_streams(data)


def _found(texts: Iterator[bytes], source: str) -> Iterator[OutsideCopy]:
    seen: set[tuple[int, str]] = set()
    for text in texts:
        for match in LINE.finditer(text):
            pair = (int(match[1]), match[2].decode())
            if pair not in seen:
                seen.add(pair)
                yield OutsideCopy(pair[0], pair[1], source)


def in_document(document: bytes, source: str = "a document") -> list[OutsideCopy]:
    """The heads in one document's bytes (a PDF's inside its compressed streams)."""
    streams = _pdf_streams(document) if document.startswith(b"%PDF") else iter(())
    return list(_found(itertools.chain([document], streams), source))


def scan(root: Path) -> Iterator[OutsideCopy]:
    """Every head line in `root` (a file, or every file below a directory, in name order),
    once per file and head."""
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in files:
        if path.stat().st_size <= MAX_FILE_BYTES:
            yield from _found(_texts(path), str(path))
