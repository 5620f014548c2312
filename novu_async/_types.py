"""Small shared types: the ``UNSET`` sentinel and the markers generated models use to describe unions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

__all__ = ["UNSET", "Discriminator", "Unset"]


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
