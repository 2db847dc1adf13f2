"""Serving a stored file over HTTP: ETag (the sha256), single byte ranges (RFC 9110 §14),
and a Content-Disposition that keeps a Chinese file name intact (RFC 6266 with the RFC 5987
``filename*`` form, plus an ASCII fallback for old clients)."""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The range lies outside the file: 416 with ``Content-Range: bytes */size``."""


def byte_range(header: str | None, size: int) -> ByteRange | None:
    """The one range asked for, or None for the whole file (no header, several ranges, or a
    header this server does not understand: RFC 9110 lets a server ignore Range)."""
    if not header:
        return None
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match or (not match[1] and not match[2]):
        return None
    first, last = match[1], match[2]
    if not first:  # suffix: the last N bytes
        n = int(last)
        if n == 0:
            raise Unsatisfiable
        return ByteRange(max(size - n, 0), size - 1)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        raise Unsatisfiable
    return ByteRange(start, end)


def etag(sha256: str) -> str:
    return f'"{sha256}"'


def matches(if_none_match: str | None, sha256: str) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or etag(sha256) in tags


def disposition(filename: str) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded``."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip()
    if not fallback or fallback.startswith("."):
        fallback = "document" + fallback
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
