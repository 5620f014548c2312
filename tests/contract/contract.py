"""One document the SDK is generated from, with its two judges (see ``conftest.contract_for``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.contract.document import Document
from tests.contract.requests import RequestBuilder
from tests.contract.validator import RequestValidator


@dataclass(frozen=True)
class Contract:
    """A document, its request builder, its validator and the Prism mock serving it."""

    key: str  # "current" | "legacy" (the [specs.KEY] of openapi/specs.toml)
    document: Document
    builder: RequestBuilder
    validator: RequestValidator
    prism_url: str


ContractFactory = Callable[[str], Contract]
"""``contract_for(key) -> Contract`` (the ``contract_for`` fixture)."""
