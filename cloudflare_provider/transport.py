"""The official library's HTTP goes through ``restkit``: an httpx transport that sends each request
with restkit's deadline, bounded retries (429/5xx/connection errors, honouring ``Retry-After``),
process-wide rate limit, and OutcomeUnknown for a POST whose answer was lost. The library's own
retries are off (``max_retries=0``): it would re-send a POST whose outcome is unknown."""

from __future__ import annotations

import httpx

from restkit import Transport

#: Hop-by-hop or already-applied headers: requests decodes the body, so its encoding must go.
_DROP_ANSWER = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection"})
_DROP_REQUEST = frozenset({"host", "content-length", "connection", "accept-encoding"})


class RestkitHTTPTransport(httpx.BaseTransport):
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROP_REQUEST}
        # Only a POST creates: PUT and PATCH carry the whole definition, DELETE of a deleted object
        # is a 404 the caller expects, so each of them may be sent again.
        answer = self._transport.send(request.method, str(request.url), body=body or None,
                                      idempotent=request.method != "POST", headers=headers)
        kept = [(k, v) for k, v in answer.headers.items() if k.lower() not in _DROP_ANSWER]
        return httpx.Response(answer.status_code, headers=kept, content=answer.content, request=request)

    def close(self) -> None:
        self._transport.close()
