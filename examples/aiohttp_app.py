"""An aiohttp web app that sends notifications through Novu.

The app keeps one ``Novu`` client for its whole life, made in a ``cleanup_ctx`` function: aiohttp
runs it up to its ``yield`` at start-up and the rest at shutdown, which closes the client. Handlers
find it in ``request.app[NOVU]``. ``create_app`` takes the function that makes the client, so a test
can pass ``FakeNovu().client``.

Run it against Novu, or against ``python -m novu_async.testing --port 8080`` with
``NOVU_SERVER_URL=http://127.0.0.1:8080``::

    NOVU_SECRET_KEY=... python examples/aiohttp_app.py
    curl -X POST localhost:8081/comments -H 'content-type: application/json' \\
        -d '{"post_author": "ada", "commenter": "Grace", "text": "Nice post!"}'
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from novu_async import Novu
from novu_async.errors import APIConnectionError, APIError, RateLimitError

NOVU = web.AppKey("novu", Novu)


def novu_from_env() -> Novu:
    """The secret key from ``NOVU_SECRET_KEY``; the server from ``NOVU_SERVER_URL`` when it is set."""
    return Novu()


async def new_comment(request: web.Request) -> web.Response:
    """``POST /comments``: tell the author of a post that someone commented on it."""
    try:
        comment = await request.json()
        author, commenter, text = comment["post_author"], comment["commenter"], comment["text"]
    except (ValueError, TypeError, KeyError):
        raise web.HTTPBadRequest(text="expected JSON with post_author, commenter and text") from None

    novu = request.app[NOVU]
    try:
        result = await novu.trigger(
            {"name": "new-comment", "to": author, "payload": {"commenter": commenter, "text": text}}
        )
    except RateLimitError as exc:
        # the client already retried short rate limits: this one is long, pass it on to our caller
        seconds = max(1, math.ceil(exc.retry_after or 1))
        raise web.HTTPServiceUnavailable(headers={"Retry-After": str(seconds)}) from exc
    except (APIError, APIConnectionError) as exc:
        raise web.HTTPBadGateway(text=f"Novu failed: {type(exc).__name__}") from exc

    return web.json_response({"transactionId": result.transaction_id or None}, status=202)


def create_app(novu_factory: Callable[[], Novu] = novu_from_env) -> web.Application:
    async def novu_client(app: web.Application) -> AsyncIterator[None]:
        async with novu_factory() as novu:  # closed when the app shuts down
            app[NOVU] = novu
            yield

    app = web.Application()
    app.cleanup_ctx.append(novu_client)
    app.router.add_post("/comments", new_comment)
    return app


if __name__ == "__main__":
    web.run_app(create_app(), host="127.0.0.1", port=8081)
