"""What a file is, read from its first bytes (its magic number), never from its name or the
content type the uploader declared: a renamed executable stays refused."""

import io
import zipfile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACCEPTED = "PDF, PNG, JPEG, plain UTF-8 text, DOCX or XLSX"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", TEXT: "txt", DOCX: "docx", XLSX: "xlsx"}

_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# Office Open XML is a zip whose parts say which application wrote it.
_OFFICE_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


def sniff(content: bytes) -> str | None:
    """The content type of these bytes, or None when they are none of the accepted kinds."""
    for magic, content_type in _MAGIC:
        if content.startswith(magic):
            return content_type
    if content.startswith(b"PK\x03\x04"):
        return _office(content)
    return TEXT if _is_text(content) else None


def _office(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OFFICE_PARTS if part in names), None)


def _is_text(content: bytes) -> bool:
    """UTF-8 without control characters other than tab, line feed, carriage return and form
    feed: what a person wrote, not a binary that happens to decode."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(text) and not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)
