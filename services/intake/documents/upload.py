"""Reading one multipart upload without holding it in memory.

Starlette's parser spools the file part to a temporary file (1 MiB in memory, then disk); the
body-limit middleware has already capped the stream at the document limit. Here the spooled
file is measured (size, sha256 in 1 MiB chunks) and recognised by content.
"""

import hashlib
from dataclasses import dataclass
from typing import IO

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from common.errors import PayloadTooLarge, Unprocessable
from services.intake.documents import formats

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Measured:
    size: int
    sha256: str
    media_type: str | None


def measure(file: IO[bytes], limit: int) -> Measured:
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    while chunk := file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        digest.update(chunk)
    return Measured(size, digest.hexdigest(), formats.media_type(file))


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"A document may be at most {limit} bytes",
        code="document.too_large",
        detail_zh=f"文件不得超过 {limit} 字节",
    )


@dataclass
class Form:
    file: UploadFile
    kind: str
    title: str
    supersedes: str | None


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise Unprocessable(f"'{name}' must be a form field", code="document.bad_form")
    if "\x00" in value:
        raise Unprocessable("NUL bytes are not allowed in text", code="request.nul_byte")
    return value.strip()


async def parse(request: Request) -> tuple[Form, object]:
    """The form and its cleanup handle (``await handle.close()``)."""
    try:
        form = await request.form(max_files=1, max_fields=4, max_part_size=64 * 1024)
    except (MultiPartException, HTTPException, KeyError, ValueError) as exc:
        raise Unprocessable(
            f"Bad multipart body: {getattr(exc, 'message', None) or getattr(exc, 'detail', exc)}",
            code="document.bad_form",
        ) from exc
    file = form.get("file")
    if not isinstance(file, UploadFile):
        await form.close()
        raise Unprocessable(
            "The 'file' part is missing", code="document.no_file", detail_zh="缺少文件"
        )
    try:
        supersedes = form.get("supersedes")
        parsed = Form(
            file=file,
            kind=_text(form.get("kind"), "kind"),
            title=_text(form.get("title"), "title"),
            supersedes=_text(supersedes, "supersedes") if supersedes is not None else None,
        )
    except Unprocessable:
        await form.close()
        raise
    return parsed, form
