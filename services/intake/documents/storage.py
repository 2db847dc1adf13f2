"""Where the bytes live: a local folder (dev, ``make run``) or an S3-compatible object store
(production: MinIO or a cloud provider's S3 API) through aiobotocore, chosen by settings.

Objects are keyed by their sha256, so the same file uploaded twice is stored once and a key
always names the same bytes. Both stores take the bytes from a temporary file and give them
back as a stream of chunks, so no whole file is ever held in memory.
"""

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import IO, Any, Protocol

from common.settings import Settings

CHUNK = 1024 * 1024
PART = 8 * 1024 * 1024  # S3 multipart part size (the minimum is 5 MiB)


def object_key(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256}"


class Storage(Protocol):
    async def put(self, key: str, file: IO[bytes], size: int, media_type: str) -> None: ...

    def read(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        """Bytes ``start``..``end`` inclusive, in chunks."""
        ...

    async def delete(self, key: str) -> None: ...

    async def aclose(self) -> None: ...


class LocalStorage:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key

    def _put(self, key: str, file: IO[bytes]) -> None:
        target = self._path(key)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                file.seek(0)
                shutil.copyfileobj(file, out, CHUNK)
            os.replace(tmp, target)  # atomic: a reader never sees half a file
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    async def put(self, key: str, file: IO[bytes], size: int, media_type: str) -> None:
        await asyncio.to_thread(self._put, key, file)

    async def read(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(open, self._path(key), "rb")
        try:
            await asyncio.to_thread(handle.seek, start)
            left = end - start + 1
            while left > 0:
                chunk = await asyncio.to_thread(handle.read, min(CHUNK, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def aclose(self) -> None:
        return None


class S3Storage:
    """One aiobotocore client for the process; large files go up in 8 MiB parts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bucket = settings.s3_bucket
        self._stack = AsyncExitStack()
        self._client: Any = None
        self._lock = asyncio.Lock()

    async def client(self) -> Any:
        async with self._lock:
            if self._client is None:
                from aiobotocore.session import get_session

                s = self.settings
                self._client = await self._stack.enter_async_context(
                    get_session().create_client(
                        "s3",
                        endpoint_url=s.s3_endpoint_url,
                        region_name=s.s3_region,
                        aws_access_key_id=_secret(s.s3_access_key_id),
                        aws_secret_access_key=_secret(s.s3_secret_access_key),
                    )
                )
        return self._client

    async def _exists(self, client: Any, key: str) -> bool:
        try:
            await client.head_object(Bucket=self.bucket, Key=key)
        except client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    async def put(self, key: str, file: IO[bytes], size: int, media_type: str) -> None:
        client = await self.client()
        if await self._exists(client, key):
            return
        file.seek(0)
        if size <= PART:
            body = await asyncio.to_thread(file.read)
            await client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=media_type)
            return
        upload = await client.create_multipart_upload(
            Bucket=self.bucket, Key=key, ContentType=media_type
        )
        parts = []
        try:
            number = 1
            while chunk := await asyncio.to_thread(file.read, PART):
                sent = await client.upload_part(
                    Bucket=self.bucket,
                    Key=key,
                    UploadId=upload["UploadId"],
                    PartNumber=number,
                    Body=chunk,
                )
                parts.append({"PartNumber": number, "ETag": sent["ETag"]})
                number += 1
            await client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload["UploadId"],
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            await client.abort_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload["UploadId"]
            )
            raise

    async def read(self, key: str, start: int, end: int) -> AsyncIterator[bytes]:
        client = await self.client()
        answer = await client.get_object(Bucket=self.bucket, Key=key, Range=f"bytes={start}-{end}")
        async with answer["Body"] as body:
            async for chunk in body.iter_chunks(CHUNK):
                yield chunk

    async def delete(self, key: str) -> None:
        client = await self.client()
        await client.delete_object(Bucket=self.bucket, Key=key)

    async def aclose(self) -> None:
        await self._stack.aclose()
        self._client = None


def _secret(value: Any) -> str | None:
    return value.get_secret_value() if value is not None else None


def make_storage(settings: Settings) -> Storage:
    if settings.document_storage == "s3":
        return S3Storage(settings)
    return LocalStorage(settings.documents_folder())
