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


# ---------------------------------------------------------------------------------------------- orjson

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from novu_async import _encode  # noqa: E402

_keys = st.one_of(st.text(max_size=4), st.integers(-5, 5), st.booleans(), st.none())
_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # past 64 bits too
    st.floats(),  # NaN and infinity too
    st.text(max_size=6),  # lone surrogates too
    st.sampled_from(["null", "nullable", Plan.PRO, uuid.UUID(int=7)]),
    st.datetimes(timezones=st.just(dt.timezone.utc)) | st.dates(),
)
_values = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_keys, inner, max_size=3)
    ),
    max_leaves=8,
)


def _encoded(value: object) -> object:
    try:
        return ("ok", json.loads(_encode.dumps(value)))
    except (TypeError, ValueError) as exc:
        return ("refused", type(exc) if not isinstance(exc, UnicodeEncodeError) else ValueError)


def _standard(value: object) -> object:
    try:
        return ("ok", json.loads(_encode.JSON_ENCODER.encode(value).encode()))
    except (TypeError, ValueError) as exc:
        return ("refused", type(exc) if not isinstance(exc, UnicodeEncodeError) else ValueError)


@pytest.mark.skipif(_encode._orjson is None, reason="orjson is not installed")
@settings(max_examples=400, deadline=None, derandomize=True)
@given(value=_values)
def test_dumps_with_orjson_means_what_the_standard_encoder_means(value: object) -> None:
    assert repr(_encoded(value)) == repr(_standard(value))


_texts = st.one_of(
    _values.map(lambda v: json.dumps(v, default=str)),  # NaN, Infinity and big integers as Python writes them
    st.text(max_size=12),
    st.sampled_from(
        ['"\\ud800"', "[1,]", '{"a":1,"a":2}', "\ufeff[]", "-0", "1e400", "[" * 2000 + "]" * 2000]
    ),
)


def _read(read: object, text: str) -> object:
    try:
        return ("ok", repr(read(text.encode("utf-8", "surrogatepass"))))  # type: ignore[operator]
    except (ValueError, RecursionError) as exc:
        return ("refused", type(exc).__name__ if isinstance(exc, RecursionError) else "ValueError")


def _past_64_bits(value: object) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return not -(2**63) <= value < 2**64
    if isinstance(value, list):
        return any(map(_past_64_bits, value))
    if isinstance(value, dict):
        return any(map(_past_64_bits, value.values()))
    return False


@settings(max_examples=400, deadline=None, derandomize=True)
@given(text=_texts)
def test_loads_reads_what_json_loads_reads(text: str) -> None:
    ours, theirs = _read(_encode.loads, text), _read(json.loads, text)
    if ours != theirs and _encode._orjson is not None:
        # the documented difference: orjson reads an integer past 64 bits as a float
        assert _past_64_bits(json.loads(text))
        assert json.loads(text, parse_int=float) == _encode.loads(text.encode())
        return
    assert ours == theirs


def test_without_orjson_the_standard_library_does_it_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_encode, "_orjson", None)
    assert _encode.dumps({"a": [1, "é"]}) == '{"a":[1,"é"]}'.encode()
    assert _encode.loads(b'{"a": NaN}')["a"] != _encode.loads(b'{"a": NaN}')["a"]
    with pytest.raises(ValueError, match="Out of range"):
        _encode.dumps({"a": float("inf")})


def _written(encode: object, value: object) -> object:
    try:
        return ("ok", encode(value))  # type: ignore[operator]
    except (TypeError, ValueError) as exc:
        return ("refused", type(exc) if not isinstance(exc, UnicodeEncodeError) else ValueError)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(value=_values)
def test_the_encoder_made_once_writes_what_the_standard_encoder_writes(value: object) -> None:
    assert _encode.json_text is not _encode.JSON_ENCODER.encode  # CPython: the C encoder, made once
    assert repr(_written(_encode.json_text, value)) == repr(_written(_encode.JSON_ENCODER.encode, value))


def test_a_circular_value_is_refused_as_not_json(monkeypatch: pytest.MonkeyPatch) -> None:
    circular: list[object] = []
    circular.append(circular)
    for orjson in (_encode._orjson, None):
        monkeypatch.setattr(_encode, "_orjson", orjson)
        with pytest.raises(ValueError, match="circular, or nested too deeply"):
            _encode.dumps({"payload": circular})


@pytest.mark.parametrize(
    "content",
    [
        b'{"a": [1, "\xc3\xa9"]}',
        b" [] ",
        b"1",
        b"12",
        b"\xef\xbb\xbf[1]",  # a UTF-8 BOM
        '{"a": "é"}'.encode("utf-16"),
        '{"a": 1}'.encode("utf-16-le"),
        '{"a": 1}'.encode("utf-32-be"),
        b'"\\ud800"',
        b'"\xed\xa0\x80"',  # a lone surrogate written as UTF-8
        b"\xff\xfe",
        b"[1] x",
        b"\xc3",
    ],
)
def test_without_orjson_bytes_are_read_as_json_loads_reads_them(
    monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    monkeypatch.setattr(_encode, "_orjson", None)

    def read(loads: object) -> object:
        try:
            return ("ok", repr(loads(content)))  # type: ignore[operator]
        except ValueError as exc:
            return ("refused", type(exc).__name__, str(exc))

    assert read(_encode.loads) == read(json.loads)


@pytest.mark.parametrize("orjson", ["installed", "not installed"])
def test_a_circular_body_is_a_data_validation_error(monkeypatch: pytest.MonkeyPatch, orjson: str) -> None:
    if orjson == "not installed":
        monkeypatch.setattr(_encode, "_orjson", None)
    payload: dict[str, object] = {}
    payload["self"] = payload
    with pytest.raises(DataValidationError, match=r"trigger request body.*circular, or nested too deeply"):
        _encode.encode_body(TRIGGER, {"name": "welcome", "to": "user-1", "payload": payload})
