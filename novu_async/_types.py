"""Small shared types: the ``UNSET`` sentinel, the markers generated models use to describe unions,
and what a call takes and gives besides its own values (``RequestOptions``, ``Response``).

Imported by every generated model, so it stays light: httpx is named only for type checkers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, TypeVar

import attrs

if TYPE_CHECKING:
    import httpx

    from ._retry import RetryConfig

__all__ = ["UNSET", "Discriminator", "File", "Limits", "RequestOptions", "Response", "Unset"]

T_co = TypeVar("T_co", covariant=True)


class Unset:
    """The type of ``UNSET``: "leave this field out of the request", as opposed to ``None`` (send null)."""

    __slots__ = ()
    _instance: Unset | None = None

    def __new__(cls) -> Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __copy__(self) -> Unset:
        return self

    def __deepcopy__(self, memo: object) -> Unset:
        return self

    def __reduce__(self) -> str:
        return "UNSET"


UNSET: Final = Unset()
"""The value of every optional field and argument not given: left out of the request."""


class Discriminator:
    """Describes a tagged union: the wire name of the tag property and which class each tag selects.

    Generated models put it in ``Annotated[A | B, Discriminator("type", {"a": A, "b": B})]``;
    the converter reads it. A tag the mapping does not know fails to structure.
    """

    __slots__ = ("mapping", "prop")

    def __init__(self, prop: str, mapping: Mapping[str, type[Any]]) -> None:
        self.prop = prop
        self.mapping = dict(mapping)

    def __repr__(self) -> str:
        names = ", ".join(f"{tag!r}: {cls.__name__}" for tag, cls in self.mapping.items())
        return f"Discriminator({self.prop!r}, {{{names}}})"


@attrs.frozen
class Limits:
    """The document's bounds on a property's or parameter's values, checked before a request is sent.

    Generated code puts one in a model field's metadata (``metadata={"limits": Limits(min_length=1)}``)
    and in ``Param(limits=...)``. Each bound applies to the values of its JSON kind only, wherever they
    sit inside the property (the strings of a union, the items of an array), but not inside a model
    it holds (which carries its own): numbers ``minimum``, ``maximum``, ``exclusive_minimum``,
    ``exclusive_maximum``; strings ``min_length``, ``max_length``; arrays ``min_items``,
    ``max_items``. ``pattern`` is never enforced (the document's patterns are not all regexes).
    """

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_items: int | None = None
    max_items: int | None = None

    def problem(self, value: Any) -> str | None:
        """What is wrong with one value (not looking inside arrays), or ``None``."""
        if isinstance(value, str):
            if self.min_length is not None and len(value) < self.min_length:
                return f"at least {_count(self.min_length, 'character')}, got {len(value)}"
            if self.max_length is not None and len(value) > self.max_length:
                return f"at most {_count(self.max_length, 'character')}, got {len(value)}"
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                return f"must be >= {self.minimum:g}, got {value!r}"
            if self.maximum is not None and value > self.maximum:
                return f"must be <= {self.maximum:g}, got {value!r}"
            if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
                return f"must be > {self.exclusive_minimum:g}, got {value!r}"
            if self.exclusive_maximum is not None and value >= self.exclusive_maximum:
                return f"must be < {self.exclusive_maximum:g}, got {value!r}"
        elif isinstance(value, (list, tuple)):
            if self.min_items is not None and len(value) < self.min_items:
                return f"at least {_count(self.min_items, 'item')}, got {len(value)}"
            if self.max_items is not None and len(value) > self.max_items:
                return f"at most {_count(self.max_items, 'item')}, got {len(value)}"
        return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@attrs.frozen
class RequestOptions:
    """Per-call settings; each one left at ``UNSET`` keeps the client's.

    * ``timeout``: seconds (or an ``httpx.Timeout``) for each attempt; ``None`` waits forever;
    * ``retries``: a ``RetryConfig``, or a number of retries with the default backoff (``0``: none);
    * ``headers``: extra request headers, applied last (they override the SDK's, including
      ``idempotency-key``);
    * ``deadline``: seconds the whole call may take, every attempt and retry wait included; past it
      the call raises ``APITimeoutError``, and a retry whose wait would end past it is not made (the
      last attempt's error is raised at once). ``None``: no deadline, even if the client sets one.
    """

    timeout: float | httpx.Timeout | Unset | None = UNSET
    retries: RetryConfig | int | Unset = UNSET
    headers: Mapping[str, str] | Unset = attrs.field(default=UNSET, repr=lambda h: _headers_repr(h))
    deadline: float | Unset | None = UNSET


_SENSITIVE_WORDS: Final = ("auth", "key", "token", "secret", "password", "cookie", "session")


def _headers_repr(headers: Mapping[str, str] | Unset) -> str:
    """Header names, with the values of those that may carry a credential left out (the secret key
    again, under ``Authorization`` or a header of the caller's own)."""
    if isinstance(headers, Unset):
        return repr(headers)
    shown = {
        name: "<redacted>"
        if name.lower() != "idempotency-key" and any(word in name.lower() for word in _SENSITIVE_WORDS)
        else value
        for name, value in headers.items()
    }
    return repr(shown)


@attrs.frozen
class Response(Generic[T_co]):
    """A success response: the status, the headers, the body structured into its documented type
    (``None`` when the status has no body) and the raw ``httpx.Response``."""

    status_code: int
    headers: httpx.Headers
    data: T_co
    raw: httpx.Response = attrs.field(repr=False)

    @property
    def idempotency_key(self) -> str | None:
        """The idempotency key the server recorded for this request (``Idempotency-Key``)."""
        value: str | None = self.headers.get("idempotency-key")
        return value

    @property
    def replayed(self) -> bool:
        """True when the server answered with the stored result of an earlier request with the same
        idempotency key (``Idempotency-Replay: true``) instead of doing the work again."""
        value: str = self.headers.get("idempotency-replay", "")
        return value.strip().lower() == "true"


class File(bytes):
    """File content with a name, for multipart uploads: ``File(data, "en_US.json")``.

    It is ``bytes``, so it goes wherever a model declares a binary field; the name (and content type)
    travel with it. Novu's translation uploads read the locale from the file name. In a plain dict
    body a ``(filename, content[, content_type])`` tuple works too.
    """

    filename: str | None
    content_type: str | None

    def __new__(cls, content: bytes, filename: str | None = None, content_type: str | None = None) -> File:
        self = super().__new__(cls, content)
        self.filename = filename
        self.content_type = content_type
        return self

    def __repr__(self) -> str:
        return f"File({self.filename!r}, {len(self)} bytes)"

    def __reduce__(self) -> Any:
        return (File, (bytes(self), self.filename, self.content_type))
