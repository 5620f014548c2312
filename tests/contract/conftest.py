"""Fixtures of the contract tests: Prism mock servers (one per document, once per session), and for
each document we generate from (``current``, ``legacy``) its parsed form, request builder, validator
and Prism server.

``prism_server`` is a factory: ``prism_server(path) -> base URL`` (see ``tests/contract/prism.py``).
``contract_for`` is a factory too: ``contract_for("legacy") -> Contract`` (document, builder,
validator, Prism URL), so one test can be parametrized over both documents. ``prism_url``,
``current_document``, ``request_builder`` and ``request_validator`` are the current document's.
Prism is installed by ``make setup`` (``npm ci`` into the project-local ``node_modules``); its absence
fails the contract tests rather than skipping them: a skipped contract suite looks like a green one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.contract import Contract, ContractFactory
from tests.contract.document import DOCUMENT_PATHS, Document, current_document_path, load_document
from tests.contract.prism import PRISM, ROOT, PrismFactory, PrismServer
from tests.contract.requests import RequestBuilder
from tests.contract.validator import RequestValidator, validator_for


@pytest.fixture(scope="session")
def prism_server() -> Iterator[PrismFactory]:
    """Factory: ``prism_server(document_path)`` returns the base URL of a Prism serving that document,
    starting it on first use. All servers stop at the end of the session."""
    if not PRISM.exists():
        pytest.fail(f"{PRISM.relative_to(ROOT)} is missing: run `make setup` (npm ci)", pytrace=False)
    servers: dict[Path, PrismServer] = {}
    log_dir = Path(tempfile.mkdtemp(prefix="novu-prism-"))

    def start(document: Path) -> str:
        document = Path(document).resolve()
        if document in servers:
            return servers[document].url
        if not document.is_file():
            pytest.fail(f"{document} is missing: run `make spec`", pytrace=False)
        last_error = ""
        for _ in range(3):  # the free port can be taken between probing and Prism's bind
            server = PrismServer(document, log_dir=log_dir)
            try:
                server.wait_ready()
            except RuntimeError as exc:
                server.stop()
                last_error = str(exc)
                if "EADDRINUSE" in last_error:
                    continue
                break
            servers[document] = server
            return server.url
        pytest.fail(f"Prism could not start for {document.name}: {last_error}", pytrace=False)

    try:
        yield start
    finally:
        for server in servers.values():
            server.stop()


def _document(key: str) -> Document:
    path = DOCUMENT_PATHS[key]()
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `make spec`", pytrace=False)
    return load_document(path)


@pytest.fixture(scope="session")
def contract_for(prism_server: PrismFactory) -> ContractFactory:
    """Factory: ``contract_for(key)`` for ``key`` in ``DOCUMENT_PATHS``; each is made (and its Prism
    started) on first use, then shared by the session."""
    made: dict[str, Contract] = {}

    def make(key: str) -> Contract:
        if key not in made:
            document = _document(key)
            made[key] = Contract(
                key=key,
                document=document,
                builder=RequestBuilder(document),
                validator=validator_for(document),
                prism_url=prism_server(DOCUMENT_PATHS[key]()),
            )
        return made[key]

    return make


@pytest.fixture(scope="session")
def current_document() -> Document:
    return _document("current")


@pytest.fixture(scope="session")
def prism_url(prism_server: PrismFactory, current_document: Document) -> str:
    """Base URL of a Prism mock serving the current document."""
    return prism_server(current_document_path())


@pytest.fixture(scope="session")
def request_builder(current_document: Document) -> RequestBuilder:
    return RequestBuilder(current_document)


@pytest.fixture(scope="session")
def request_validator(current_document: Document) -> RequestValidator:
    return validator_for(current_document)
