"""A FastAPI app that sends notifications through Novu.

The app keeps one ``Novu`` client for its whole life: the lifespan opens it at start-up (so every
request shares its connection pool) and closes it at shutdown. Endpoints get it through the
``get_novu`` dependency. ``create_app`` takes the function that makes the client, which is how a test
hands the app a client wired to ``FakeNovu`` instead (see ``test_fastapi_app.py``).

Run it (``pip install uvicorn``) against Novu, or against ``python -m novu_async.testing --port 8080``
with ``NOVU_SERVER_URL=http://127.0.0.1:8080``::

    NOVU_SECRET_KEY=... uvicorn fastapi_app:app --app-dir examples
    curl -X POST localhost:8000/signup -H 'content-type: application/json' \\
        -d '{"user_id": "ada", "email": "ada@example.com", "first_name": "Ada"}'
"""

import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from novu_async import Novu
from novu_async.errors import APIConnectionError, APIError, APITimeoutError, RateLimitError


def novu_from_env() -> Novu:
    """The client of a real deployment: the secret key from ``NOVU_SECRET_KEY``, and the server from
    ``NOVU_SERVER_URL`` when it is set (Novu's US server otherwise)."""
    return Novu()


def get_novu(request: Request) -> Novu:
    """The dependency endpoints use to reach the app's client."""
    novu: Novu = request.app.state.novu
    return novu


NovuClient = Annotated[Novu, Depends(get_novu)]
router = APIRouter()


class Signup(BaseModel):
    user_id: str
    email: str
    first_name: str


class Shipment(BaseModel):
    user_id: str
    tracking_url: str


@router.post("/signup", status_code=201)
async def signup(body: Signup, novu: NovuClient) -> dict[str, str | None]:
    # Novu knows your users as "subscribers", under the id your own app gives them
    await novu.subscribers.create(
        {"subscriberId": body.user_id, "email": body.email, "firstName": body.first_name}
    )
    # then run the "welcome" workflow (made in Novu's dashboard) for that subscriber
    result = await novu.trigger(
        {"name": "welcome", "to": body.user_id, "payload": {"firstName": body.first_name}}
    )
    return {"subscriberId": body.user_id, "transactionId": result.transaction_id or None}


@router.post("/orders/{order_id}/shipped", status_code=202)
async def order_shipped(order_id: str, body: Shipment, novu: NovuClient) -> dict[str, str | None]:
    # The idempotency key is made from the order: when our caller (a queue, a webhook) sends this
    # request twice, Novu answers the second time with the result of the first, so the customer gets
    # one message. (The body must be the same both times: Novu refuses a key reused for another body.)
    result = await novu.trigger(
        {
            "name": "order-shipped",
            "to": body.user_id,
            "payload": {"orderId": order_id, "trackingUrl": body.tracking_url},
        },
        idempotency_key=f"order-shipped-{order_id}",
    )
    return {"transactionId": result.transaction_id or None}


async def novu_failed(request: Request, exc: Exception) -> JSONResponse:
    """Turn the errors of calls to Novu into answers our own callers can act on.

    The client has already retried what can be retried (connection failures, 5XX, short 429s), so
    what arrives here is final for this request.
    """
    if isinstance(exc, RateLimitError):
        # Novu asked us to slow down for longer than the client waits: pass the request on
        seconds = max(1, math.ceil(exc.retry_after or 1))
        return JSONResponse(
            {"detail": "notifications are rate limited, try again later"},
            status_code=503,
            headers={"Retry-After": str(seconds)},
        )
    if isinstance(exc, APITimeoutError):
        return JSONResponse({"detail": "Novu did not answer in time"}, status_code=504)
    if isinstance(exc, APIConnectionError):
        return JSONResponse({"detail": "Novu could not be reached"}, status_code=502)
    if isinstance(exc, APIError):
        return JSONResponse({"detail": f"Novu refused the request ({exc.status_code})"}, status_code=502)
    raise exc  # not an error from Novu: let FastAPI answer 500 as for any other bug


def create_app(novu_factory: Callable[[], Novu] = novu_from_env) -> FastAPI:
    """The app; ``novu_factory`` makes its Novu client when it starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with novu_factory() as novu:  # closed when the app shuts down
            app.state.novu = novu
            yield

    app = FastAPI(title="novu_async FastAPI example", lifespan=lifespan)
    app.include_router(router)
    app.add_exception_handler(APIError, novu_failed)
    app.add_exception_handler(APIConnectionError, novu_failed)
    return app


# for uvicorn: the environment is read when the app starts, not when this module is imported
app = create_app()
