"""Cloudflare's v4 envelope (``success``, ``errors``, ``messages``, ``result``, ``result_info``)
and the error that carries a Cloudflare error code."""

from __future__ import annotations

from typing import Any

from emulators._core import Response


class CloudflareError(Exception):
    """A vendor-shaped refusal: HTTP status, Cloudflare error code, message, optional JSON pointer."""

    def __init__(self, status: int, code: int, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.status, self.code, self.pointer = status, code, pointer

    def item(self) -> dict[str, Any]:
        item: dict[str, Any] = {"code": self.code, "message": str(self)}
        if self.pointer:  # [U] the rulesets API names the offending field this way
            item["source"] = {"pointer": self.pointer}
        return item


def failure(status: int, errors: list[dict[str, Any]], headers: dict[str, str] | None = None) -> Response:
    return Response.json(status, {"success": False, "errors": errors, "messages": [], "result": None}, headers)


def success(result: Any, status: int = 200, result_info: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"success": True, "errors": [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return Response.json(status, body)


def page(items: list[Any], raw_page: str | None, raw_per_page: str | None, *, default: int,
         maximum: int) -> Response:
    number = _whole("page", raw_page, 1)
    per_page = _whole("per_page", raw_per_page, default)
    if number < 1 or not 1 <= per_page <= maximum:
        raise CloudflareError(400, 1004, f"page={number} must be >= 1 and per_page={per_page} 1..{maximum}")
    chunk = items[(number - 1) * per_page: number * per_page]
    total_pages = max(1, -(-len(items) // per_page))
    return success(chunk, result_info={"page": number, "per_page": per_page, "count": len(chunk),
                                       "total_count": len(items), "total_pages": total_pages})


def _whole(name: str, raw: str | None, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(float(raw))  # [C] the library sends page numbers typed as float
    except ValueError:
        raise CloudflareError(400, 1004, f"{name}={raw[:40]!r} must be a whole number") from None
