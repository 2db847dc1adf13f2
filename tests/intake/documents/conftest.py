"""A real S3 API server for the document tests: ``moto_server`` (moto[s3] from PyPI) as its
own process on a free loopback port, and a live stack whose intake stores files there."""

import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from common.launch import free_port
from tests.conftest import live_stack


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    bucket: str
    key_id: str = "jiebang-test"
    secret: str = "jiebang-test-secret"

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.key_id,
            aws_secret_access_key=self.secret,
        )

    def env(self) -> dict[str, str]:
        return {
            "JIEBANG_DOCUMENT_STORAGE": "s3",
            "JIEBANG_S3_ENDPOINT_URL": self.endpoint,
            "JIEBANG_S3_BUCKET": self.bucket,
            "JIEBANG_S3_ACCESS_KEY_ID": self.key_id,
            "JIEBANG_S3_SECRET_ACCESS_KEY": self.secret,
        }


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    port = free_port()
    binary = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = S3Server(f"http://127.0.0.1:{port}", f"jiebang-{uuid.uuid4().hex[:12]}")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(server.endpoint, timeout=2)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        server.client().create_bucket(Bucket=server.bucket)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_s3(s3_server: S3Server) -> Iterator[Any]:
    """The real processes with intake's document store on the S3 server."""
    yield from live_stack("s3", s3_server.env())
