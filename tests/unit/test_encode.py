"""Request encoding (``_encode``): the package's one JSON encoder, and a pre-encoded body, which
``NovuCore.request`` sends as it is (``trigger_many`` checks and encodes its chunks itself)."""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid

import httpx
import pytest

from novu_async._core import NovuCore
from novu_async._encode import EncodedBody, dumps
from novu_async.errors import DataValidationError
from tests.support.core import SECRET, TRIGGER, TRIGGER_OK, Server, envelope, reply


class Plan(str, enum.Enum):
    PRO = "pro"


def test_dumps_is_compact_utf8_json_of_what_callers_put_in_payloads() -> None:
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)
    data = {
        "name": "wélcome",
        "plan": Plan.PRO,
        "at": when,
        "day": dt.date(2024, 5, 1),
        "id": uuid.UUID(int=1),
        "tags": ("a", "b"),
    }
    text = dumps(data)
    assert (
        text
        == (
            '{"name":"wélcome","plan":"pro","at":"2024-05-01T12:00:00.000Z","day":"2024-05-01",'
            '"id":"00000000-0000-0000-0000-000000000001","tags":["a","b"]}'
        ).encode()
    )
    assert json.loads(text)["name"] == "wélcome"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object()])
def test_dumps_refuses_what_is_not_json(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        dumps({"payload": {"x": value}})


@pytest.mark.anyio
async def test_the_core_sends_an_encoded_body_as_it_is() -> None:
    """An ``EncodedBody`` skips the schema check (its sender checked it); any other body is still
    checked."""
    server = Server(reply(201, envelope(TRIGGER_OK)))
    core = NovuCore(SECRET, http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)))
    await core.request(TRIGGER, body=EncodedBody(content=b'{"already":"checked"}'))
    assert server.requests[0].content == b'{"already":"checked"}'
    assert server.requests[0].headers["content-type"] == "application/json"
    assert server.requests[0].url.query == b""
    with pytest.raises(DataValidationError, match="name"):
        await core.request(TRIGGER, body={"already": "checked"})
    assert len(server.requests) == 1
