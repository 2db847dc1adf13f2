"""What a file is, from its bytes (magic numbers and, for zip containers, their parts), never
from its name or the client's Content-Type: a renamed executable stays an executable.

Accepted: PDF; OFD (GB/T 33190, the national e-document format: a zip whose root holds
``OFD.xml``); DOCX and XLSX (OOXML zips with ``[Content_Types].xml`` and their main part);
JPEG; PNG. Tests: tests/intake/documents/test_formats.py.
"""

import zipfile
from typing import IO

PDF = "application/pdf"
OFD = "application/ofd"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"
ACCEPTED = (PDF, OFD, DOCX, XLSX, JPEG, PNG)
EXTENSIONS = {PDF: ".pdf", OFD: ".ofd", DOCX: ".docx", XLSX: ".xlsx", JPEG: ".jpg", PNG: ".png"}

_ZIP = b"PK\x03\x04"


def _zip_kind(file: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "OFD.xml" in names:
        return OFD
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


def media_type(file: IO[bytes]) -> str | None:
    """The accepted media type of the seekable ``file``, or None (→ 415)."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    found: str | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(_ZIP):
        found = _zip_kind(file)
    file.seek(0)
    return found
