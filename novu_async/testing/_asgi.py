"""A fake as an ASGI 3 application (HTTP only; ``lifespan`` is accepted and does nothing).

Mount it with ``httpx.ASGITransport(app=fake)`` or under any ASGI server. A dropped-connection fault
cannot be expressed in ASGI: the application raises ``httpx.RemoteProtocolError`` instead, which
``httpx.ASGITransport`` passes to the client as the error a dropped connection gives (an ASGI
server answers 500 and closes). Latency and slow faults wait with ``anyio.sleep``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

from ._wire import Responder, answer

__all__ = ["Receive", "Scope", "Send", "serve_asgi"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def serve_asgi(fake: Responder, scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        raise ValueError(f"FakeNovu serves HTTP only, not {scope['type']!r}")
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    authorization = key = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value.decode("latin-1")
        elif name == b"idempotency-key":
            key = value.decode("latin-1")
    target = scope.get("raw_path") or scope["path"].encode()
    if scope.get("query_string"):
        target = target.partition(b"?")[0] + b"?" + scope["query_string"]
    reply = await answer(
        fake, scope["method"], target.decode("latin-1"), authorization, key, b"".join(chunks)
    )
    if reply.drop:
        raise httpx.RemoteProtocolError("FakeNovu dropped the connection (an injected fault)")
    headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in reply.headers]
    headers.append((b"content-length", str(len(reply.body)).encode()))
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})
