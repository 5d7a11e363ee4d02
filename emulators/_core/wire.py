"""Reading a request body off the socket within bounds (RFC 9112 §6): a length that is not a plain
number, a body over the limit or a malformed chunk is refused before any vendor code runs."""

from __future__ import annotations

from email.message import Message
from typing import Protocol

_MAX_TRAILER_LINES = 100


class Reader(Protocol):
    def read(self, size: int, /) -> bytes: ...
    def readline(self, size: int, /) -> bytes: ...


class BodyError(ValueError):
    """The request's framing is unusable; the connection cannot be kept after it."""


def read_body(headers: Message[str, str], rfile: Reader, max_bytes: int) -> bytes:
    encodings = headers.get_all("Transfer-Encoding") or []
    lengths = headers.get_all("Content-Length") or []
    if encodings:
        if lengths:  # both framings at once is how requests are smuggled: refuse it
            raise BodyError("Content-Length and Transfer-Encoding must not both be sent")
        if [e.strip().lower() for e in encodings] != ["chunked"]:
            raise BodyError(f"Transfer-Encoding {', '.join(encodings)!r} is not supported; allowed: chunked")
        return _read_chunked(rfile, max_bytes)
    if not lengths:
        return b""
    length = _content_length(lengths, max_bytes)
    body = rfile.read(length) if length else b""
    if len(body) < length:
        raise BodyError(f"the body ended after {len(body)} of {length} bytes")
    return body


def _content_length(values: list[str], max_bytes: int) -> int:
    texts = {value.strip() for value in values}
    if len(texts) != 1:
        raise BodyError(f"conflicting Content-Length headers {sorted(texts)}")
    text = texts.pop()
    if not (text.isascii() and text.isdigit()):
        raise BodyError(f"Content-Length {text[:40]!r} must be a whole number of bytes")
    length = int(text)
    if length > max_bytes:
        raise BodyError(f"Content-Length {length} is over the limit of {max_bytes} bytes")
    return length


def _read_chunked(rfile: Reader, max_bytes: int) -> bytes:
    body = bytearray()
    while True:
        line = rfile.readline(1026)
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16) if size_text.isalnum() else -1
        except ValueError:
            size = -1
        if size < 0:
            raise BodyError(f"malformed chunk size line {line[:40]!r}")
        if size == 0:
            _skip_trailers(rfile)
            return bytes(body)
        if len(body) + size > max_bytes:
            raise BodyError(f"the chunked body is over the limit of {max_bytes} bytes")
        chunk = rfile.read(size)
        if len(chunk) < size or rfile.read(2) != b"\r\n":
            raise BodyError("a chunk ended early or without CRLF")
        body += chunk


def _skip_trailers(rfile: Reader) -> None:
    for _ in range(_MAX_TRAILER_LINES):
        if rfile.readline(8192) in (b"\r\n", b"\n", b""):
            return
    raise BodyError("too many trailer lines after the last chunk")
