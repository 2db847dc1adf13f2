"""Recognising files by content, byte ranges and download names (pure functions)."""

import io
from urllib.parse import quote

import pytest

from scripts import sample_files
from services.intake.documents import content, formats


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (sample_files.pdf(), formats.PDF),
        (sample_files.ofd(), formats.OFD),
        (sample_files.docx(), formats.DOCX),
        (sample_files.xlsx(), formats.XLSX),
        (sample_files.png(), formats.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, formats.JPEG),
    ],
)
def test_accepted_formats_are_recognised_by_content(data: bytes, expected: str) -> None:
    assert formats.media_type(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    "data",
    [
        sample_files.executable(),  # a renamed .exe: the name says nothing here
        b"#!/bin/sh\nrm -rf /\n",
        sample_files.pdf()[1:],  # almost a PDF
        b"PK\x03\x04 not really a zip",
        sample_files._zip({"readme.txt": b"just a zip"}),
        sample_files._zip({"[Content_Types].xml": b"<Types/>"}),  # OOXML without its main part
    ],
)
def test_anything_else_is_not_recognised(data: bytes) -> None:
    assert formats.media_type(io.BytesIO(data)) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-9", (0, 9)),
        ("bytes=90-", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=95-200", (95, 99)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file (allowed by RFC 9110)
        ("items=0-1", None),
    ],
)
def test_byte_ranges(header: str | None, expected: tuple[int, int] | None) -> None:
    found = content.byte_range(header, 100)
    assert ((found.start, found.end) if found else None) == expected


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=-0", "bytes=9-3"])
def test_unsatisfiable_ranges(header: str) -> None:
    with pytest.raises(content.Unsatisfiable):
        content.byte_range(header, 100)


def test_content_disposition_keeps_a_chinese_name_with_an_ascii_fallback() -> None:
    header = content.disposition("可行性方案 v2.pdf")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''" + quote("可行性方案 v2.pdf", safe="") in header
    assert header.isascii()
    assert content.disposition('a"b\r\n.pdf').count('"') == 2  # no header injection


def test_etag_matching() -> None:
    sha = "ab" * 32
    assert content.matches(f'"{sha}"', sha) and content.matches(f'W/"{sha}", "x"', sha)
    assert content.matches("*", sha) and not content.matches('"other"', sha)
