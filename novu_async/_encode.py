"""Request encoding: an operation's values to the path, query, headers and body of its request, all
checked before anything is sent, and the package's one JSON encoder.

* path values are percent-encoded (never empty, ``.`` or ``..``); query and header values become text
  (enums by value, booleans ``true``/``false``, date-times ISO 8601, arrays as repeated keys), each
  checked against its documented kind;
* a JSON body is checked against its schema (a model as it is; plain data through the converter, which
  refuses keys a closed schema does not declare), then against the document's bounds (``Limits``:
  ``_validate.limit_problems``), and encoded with ``dumps``; a multipart body is checked with
  placeholders for its files, then split into form fields and files;
* parameter values are checked against their documented kind and bounds (``Param.limits``);
* an ``EncodedBody`` is sent as it is: the way for code that checks and encodes its own bodies
  (``trigger_many`` on its hot path) to hand them to ``NovuCore.request``.

Everything raises ``DataValidationError`` naming the operation and the value.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Final
from urllib.parse import quote

import attrs

from . import _serde
from ._datetimes import format_datetime
from ._operation import Operation, Param
from ._types import UNSET, File, RequestOptions, Unset
from ._validate import limit_problems
from .errors import DataValidationError

__all__ = [
    "IDEMPOTENCY_HEADER",
    "JSON_ENCODER",
    "MAX_IDEMPOTENCY_KEY",
    "EncodedBody",
    "encode_body",
    "encode_headers",
    "encode_path",
    "encode_query",
    "dumps",
    "header_problem",
    "json_default",
    "json_text",
    "loads",
]

IDEMPOTENCY_HEADER: Final = "idempotency-key"
MAX_IDEMPOTENCY_KEY: Final = 255  # Novu refuses longer keys
_WRITE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")  # an HTTP token

QueryValue = str | int | float | bool | None


# ---------------------------------------------------------------------------------------------- JSON


def json_default(value: Any) -> Any:
    """Values a caller may put into free-form JSON (``payload``...) that ``json`` does not know."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, _dt.datetime):
        return format_datetime(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# compact, UTF-8 as it is, no NaN or infinity (not JSON); made once (json.dumps with options makes an
# encoder per call)
JSON_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=json_default
)


def _text_encoder() -> Callable[[Any], str]:
    """``JSON_ENCODER.encode`` without its setup per call.

    ``JSONEncoder.encode`` builds the standard library's C encoder (``json.encoder.c_make_encoder``)
    anew for every value it writes: for a request body of a few keys that is about a third of the
    cost. Here the C encoder is built once, with ``JSON_ENCODER``'s settings and without the check
    for circular values (a circular value ends in ``RecursionError`` instead, which ``dumps`` turns
    into ``ValueError``). Where the C encoder is missing (another interpreter) or does not write what
    ``JSON_ENCODER`` writes for a probe, ``JSON_ENCODER.encode`` itself."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # pragma: no cover - CPython has it
        return JSON_ENCODER.encode
    probe = {"a": [1, -2.5, "é\n", None, True, {"b": ""}], "c": uuid.UUID(int=1)}
    try:
        # the arguments JSONEncoder.iterencode passes: markers (None: no circular check), default,
        # string encoder, indent, key and item separators, sort_keys, skipkeys, allow_nan
        string = json.encoder.encode_basestring
        compiled = make(None, json_default, string, None, ":", ",", False, False, False)
        if "".join(compiled(probe, 0)) != JSON_ENCODER.encode(probe):  # pragma: no cover
            return JSON_ENCODER.encode
    except Exception:  # pragma: no cover - another signature: the documented way
        return JSON_ENCODER.encode

    def encode(data: Any) -> str:
        return "".join(compiled(data, 0))

    return encode


json_text: Final = _text_encoder()
"""``data`` as JSON text, as ``JSON_ENCODER.encode`` writes it (``RecursionError`` for a circular value)."""


try:  # the ``orjson`` extra: the same JSON, several times faster
    import orjson as _orjson
except ImportError:  # pragma: no cover - the default install
    _orjson = None  # type: ignore[assignment]

# what orjson leaves to ``json_default``: date-times (orjson writes its own form) and dataclasses
_ORJSON_OPTIONS: Final = (
    0 if _orjson is None else _orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_PASSTHROUGH_DATACLASS
)


def dumps(data: Any) -> bytes:
    """``data`` as the SDK sends JSON; ``TypeError`` / ``ValueError`` when it is not JSON (circular
    or nested too deeply, too).

    The standard library's encoder decides; with orjson installed it writes the bytes whenever it can
    be sure to mean the same: orjson writes NaN and infinity as ``null`` (where the encoder here
    refuses them), so output holding ``null`` is written again by the standard encoder, and so is
    anything orjson refuses (integers past 64 bits, keys that are not strings...)."""
    if _orjson is not None:
        try:
            out = _orjson.dumps(data, default=json_default, option=_ORJSON_OPTIONS)
        except TypeError:  # orjson.JSONEncodeError: let the standard encoder decide
            pass
        else:
            if b"null" not in out:
                return out
    try:
        return json_text(data).encode()
    except RecursionError:
        raise ValueError("circular, or nested too deeply to encode") from None


_DECODER: Final = json.JSONDecoder()
# first bytes after which ``json.loads`` may read bytes as something else than UTF-8 (a BOM, UTF-16/32)
_NOT_PLAIN_UTF8: Final = frozenset({0, 0xEF, 0xFE, 0xFF})


def loads(content: bytes | str) -> Any:
    """JSON text to Python data, as ``json.loads`` reads it. With orjson installed, orjson reads it
    first, and what orjson refuses ``json.loads`` reads or refuses in its own words (``NaN``, a lone
    surrogate, UTF-16...); the one difference: orjson reads an integer past 64 bits as a float.

    Bytes that ``json.loads`` would read as UTF-8 (no BOM, no NUL among the first two) are decoded
    here as it decodes them, skipping its encoding detection."""
    if _orjson is not None:
        try:
            return _orjson.loads(content)
        except ValueError:  # orjson.JSONDecodeError
            pass
    if type(content) is bytes and len(content) > 1 and content[0] not in _NOT_PLAIN_UTF8 and content[1]:
        return _DECODER.decode(content.decode("utf-8", "surrogatepass"))
    return json.loads(content)


@attrs.frozen
class EncodedBody:
    """A request body ready to send: JSON ``content`` (sent as ``application/json``), or multipart
    form ``data`` and ``files`` as httpx takes them.

    ``NovuCore.request(op, body=EncodedBody(content=...))`` sends it as it is, without the schema
    check: for callers that checked and encoded the body themselves.
    """

    content: bytes | None = None
    data: dict[str, Any] | None = None
    files: list[tuple[str, Any]] | None = None


_NO_BODY: Final = EncodedBody()


# ---------------------------------------------------------------------------------------------- values


class _BadValue(ValueError):
    """A parameter value that has no text form."""


def _text(value: Any) -> str:
    """One path, query or header value as text."""
    if isinstance(value, enum.Enum):  # before str: a str-based enum's str() is its name
        return _text(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _BadValue(f"expected a finite number, got {value!r}")
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime):
        return format_datetime(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise _BadValue(f"expected a string, number, boolean, enum or date-time, got {type(value).__name__}")


# the values a parameter of each documented kind accepts (``Param.kind``); bool is not a number here
_KIND_CHECKS: Final[Mapping[str, Any]] = {
    "str": lambda v: isinstance(v, (str, enum.Enum, uuid.UUID)),
    "enum": lambda v: isinstance(v, (str, enum.Enum)),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "datetime": lambda v: isinstance(v, (str, _dt.date)),
}
_KIND_NAMES: Final[Mapping[str, str]] = {
    "str": "a string",
    "enum": "a string or enum member",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "datetime": "a datetime, date or ISO 8601 string",
}


def _param_text(op: Operation, where: str, wire: str, value: Any) -> str:
    param = op.params_by_wire.get((where, wire))
    kind = param.kind if param is not None else ""
    try:
        if kind and not _KIND_CHECKS[kind](value):
            raise _BadValue(f"expected {_KIND_NAMES[kind]}, got {type(value).__name__}")
        if param is not None and param.limits is not None:
            _check_limits(param, value)
        return _text(value)
    except _BadValue as exc:
        raise DataValidationError(f"{op.name} {where} parameter {wire!r}", [("$", str(exc))]) from None


def _check_limits(param: Param, value: Any) -> None:
    """The document's bounds on a parameter value (for an array: on its count, here, and on each item)."""
    assert param.limits is not None
    problem = param.limits.problem(value)
    if problem is not None:
        raise _BadValue(problem)


def _check_required(op: Operation, where: str, params: tuple[Param, ...], values: Mapping[str, Any]) -> None:
    for param in params:
        if not param.required:
            continue
        value = values.get(param.wire, UNSET)
        if value is UNSET or value is None:
            raise DataValidationError(
                f"{op.name} {where} parameter {param.wire!r}", [("$", "required, but not given")]
            )


# ---------------------------------------------------------------------------------------------- the parts


def encode_path(op: Operation, values: Mapping[str, Any]) -> str:
    """The operation's path with its parameters filled in (keyed by wire name)."""

    def substitute(match: re.Match[str]) -> str:
        wire = match.group(1)
        value = values.get(wire, UNSET)
        if value is UNSET or value is None:
            raise DataValidationError(
                f"{op.name} path parameter {wire!r}", [("$", "required, but not given")]
            )
        text = _param_text(op, "path", wire, value)
        if text in ("", ".", ".."):
            # "" would drop a path segment, "." and ".." would be resolved away by URL normalisation:
            # either way the request would reach another endpoint
            raise DataValidationError(
                f"{op.name} path parameter {wire!r}",
                [("$", f"must not be empty, '.' or '..', got {text!r}")],
            )
        return quote(text, safe="")

    return _PLACEHOLDER.sub(substitute, op.path)


def encode_query(op: Operation, values: Mapping[str, Any]) -> list[tuple[str, QueryValue]]:
    """The query parameters, in order; ``UNSET`` and ``None`` values left out."""
    params: list[tuple[str, QueryValue]] = []
    _check_required(op, "query", op.query_params, values)
    for wire, value in values.items():
        if value is UNSET or value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            param = op.params_by_wire.get(("query", wire))
            if param is not None and param.limits is not None:
                try:
                    _check_limits(param, list(value))
                except _BadValue as exc:
                    what = f"{op.name} query parameter {wire!r}"
                    raise DataValidationError(what, [("$", str(exc))]) from None
            texts = [_param_text(op, "query", wire, v) for v in value if v is not None and v is not UNSET]
            if param is None or param.explode:
                params.extend((wire, text) for text in texts)
            elif texts:
                params.append((wire, ",".join(texts)))
        else:
            params.append((wire, _param_text(op, "query", wire, value)))
    return params


def encode_headers(
    op: Operation,
    base: Mapping[str, str],
    values: Mapping[str, Any],
    body: EncodedBody,
    options: RequestOptions | None,
) -> dict[str, str]:
    """The request's headers, keyed by lower-cased name: ``base`` (authorization, user agent...),
    the content type of a JSON body, the operation's header parameters, the caller's
    ``options.headers`` (last: they override the others), and for a write without one a new
    ``idempotency-key``, which every attempt of the call reuses."""
    # a plain dict costs a fraction of httpx.Headers' case-insensitive operations (about 15 us a
    # request), and httpx merges it with the client's headers all the same
    headers = dict(base)
    if body.content is not None:
        headers["content-type"] = "application/json"
    _check_required(op, "header", op.header_params, values)
    for wire, value in values.items():
        if value is UNSET or value is None:
            continue
        text = _param_text(op, "header", wire, value)
        if not (text.isascii() and text.isprintable()):
            _refuse_header(f"{op.name} header parameter {wire!r}", wire, text)
        headers[wire.lower()] = text
    if options is not None and not isinstance(options.headers, Unset):
        for name, text in options.headers.items():
            if type(text) is not str or not (text.isascii() and text.isprintable()) or not _token(name):
                _refuse_header(f"{op.name} header {name!r} (RequestOptions.headers)", name, text)
            headers[name.lower()] = text
    key = headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        if op.method.upper() in _WRITE_METHODS:
            headers[IDEMPOTENCY_HEADER] = str(uuid.uuid4())
    elif not 0 < len(key) <= MAX_IDEMPOTENCY_KEY:
        raise DataValidationError(
            f"{op.name} header parameter {IDEMPOTENCY_HEADER!r}",
            [("$", f"must be 1 to {MAX_IDEMPOTENCY_KEY} characters, got {len(key)}")],
        )
    return headers


def _token(name: Any) -> bool:
    return type(name) is str and _HEADER_NAME.match(name) is not None


def header_problem(name: Any, value: Any) -> str | None:
    """What makes ``name: value`` unfit for an HTTP header (``None``: nothing): the name must be a
    token, the value a string of printable ASCII characters (a control character such as CR, LF or
    NUL would end the header or the request early; a non-ASCII one has no agreed encoding)."""
    if not _token(name):
        return (
            f"a header name must be a non-empty string of letters, digits and !#$%&'*+-.^_`|~, got {name!r}"
        )
    if type(value) is not str:
        return f"expected a string, got {type(value).__name__}"
    for position, char in enumerate(value):
        if not char.isascii():
            return f"must be ASCII: a non-ASCII character at position {position}"
        if not char.isprintable():
            return f"must not hold control characters: {char!r} at position {position}"
    return None


def _refuse_header(what: str, name: Any, value: Any) -> None:
    problem = header_problem(name, value)
    if problem is not None:  # pragma: no branch - called for a header that has one
        raise DataValidationError(what, [("$", problem)])


def encode_body(op: Operation, body: Any) -> EncodedBody:
    """The request body, checked against the operation's schema and encoded; an ``EncodedBody``
    as it is."""
    if type(body) is EncodedBody:
        return body
    what = f"{op.name} request body"
    if body is UNSET or body is None:
        if op.body_required:
            raise DataValidationError(what, [("$", "required, but not given")])
        return _NO_BODY
    if op.body_kind is None:
        raise DataValidationError(what, [("$", f"{op.name} takes no request body")])
    if op.body_kind == "multipart":
        return _multipart(op, body, what)
    try:
        data = _checked(op, body, what)
    except RecursionError:  # a circular value in free-form data (``payload``...)
        raise DataValidationError(what, [("$", "circular, or nested too deeply to check")]) from None
    try:
        return EncodedBody(content=dumps(data))
    except (TypeError, ValueError) as exc:
        raise DataValidationError(what, [("$", f"not JSON serialisable: {exc}")]) from None


def _checked(op: Operation, body: Any, what: str) -> Any:
    """The body as JSON-shaped data: a model as it is (its ``additional_properties`` sent as given),
    anything else checked against the schema as a request body (models inside it taken as they
    are); then the document's bounds, on both."""
    if op.body_type is None:
        return _serde.unstructure(body)
    if attrs.has(type(body)):
        structured = body
    else:
        structured = _serde.structure(body, op.body_type, what=what, request=True)
    problems = limit_problems(structured, op.body_limits)
    if problems:
        raise DataValidationError(what, problems)
    return _serde.unstructure(structured)


# ---------------------------------------------------------------------------------------------- multipart


def _is_file(value: Any) -> bool:
    """A multipart file: bytes, ``(filename, content[, content_type[, headers]])`` or a binary file."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return True
    if isinstance(value, tuple):
        return 2 <= len(value) <= 4 and (value[0] is None or isinstance(value[0], str))
    return hasattr(value, "read")


def _file(value: Any) -> Any:
    """A multipart file as httpx takes it."""
    if isinstance(value, File):
        name = value.filename or "upload"
        content = bytes(value)
        return (name, content) if value.content_type is None else (name, content, value.content_type)
    return bytes(value) if isinstance(value, (bytearray, memoryview)) else value


def _is_file_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_file(v) for v in value)


def _multipart(op: Operation, body: Any, what: str) -> EncodedBody:
    originals: dict[str, Any] = {}
    if isinstance(body, Mapping):
        # check the form against its schema with placeholders for the files (which may be
        # (filename, content) tuples or open files), then put the files back
        probe: dict[str, Any] = {}
        for key, value in body.items():
            if _is_file(value):
                probe[key], originals[key] = b"", value
            elif _is_file_list(value):
                probe[key], originals[key] = [b"" for _ in value], value
            else:
                probe[key] = value
        fields = _checked(op, probe, what)
    else:
        fields = _checked(op, body, what)
    if not isinstance(fields, dict):
        raise DataValidationError(what, [("$", "a multipart body must be an object")])
    fields.update(originals)
    data: dict[str, Any] = {}
    files: list[tuple[str, Any]] = []
    for key, value in fields.items():
        if value is None or value is UNSET:
            continue
        if _is_file(value):
            files.append((key, _file(value)))
        elif _is_file_list(value):
            files.extend((key, _file(v)) for v in value)
        elif isinstance(value, list):
            data[key] = [_form_text(op, key, v) for v in value]
        else:
            data[key] = _form_text(op, key, value)
    return EncodedBody(data=data or None, files=files or None)


def _form_text(op: Operation, key: str, value: Any) -> str:
    if isinstance(value, (dict, list)):
        return dumps(value).decode()
    return _param_text(op, "form", key, value)
