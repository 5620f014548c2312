"""``FakeTransport``: an httpx transport answering from a fake, in the same process."""

from __future__ import annotations

import anyio
import httpx

from ._wire import Responder, answer

__all__ = ["FakeTransport"]


class FakeTransport(httpx.AsyncBaseTransport):
    """An ``httpx.AsyncBaseTransport`` answering from a fake: mount it on any ``httpx.AsyncClient``.
    It honours the request's read timeout (``httpx.ReadTimeout`` when the answer takes longer) and
    raises ``httpx.RemoteProtocolError`` where a server would drop the connection."""

    def __init__(self, fake: Responder) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = request.headers
        timeout = request.extensions.get("timeout") or {}
        try:
            with anyio.fail_after(timeout.get("read")):
                reply = await answer(
                    self._fake,
                    request.method,
                    request.url.raw_path.decode("ascii"),
                    headers.get("authorization"),
                    headers.get("idempotency-key"),
                    body,
                )
        except TimeoutError:
            raise httpx.ReadTimeout(
                "FakeNovu: the answer took longer than the read timeout", request=request
            ) from None
        if reply.drop:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        return httpx.Response(reply.status, headers=reply.headers, content=reply.body, request=request)
