"""Run by test_install.py with the python of a fresh venv holding only the built wheel (and its
dependencies), from a directory outside the checkout. Prints one JSON object of what it found.

Imports every module of the installed package (so each interpreter compiles all the generated code),
then starts FakeNovu's server process from this venv and sends one trigger and a small trigger_many.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys

import anyio

import novu_async
from novu_async import Novu, trigger_many
from novu_async.funcs.trigger import trigger
from novu_async.legacy import NovuLegacy
from novu_async.models import TriggerEventRequestDto
from novu_async.testing import FakeNovuProcess

KEY = "sk-packaging-test-7d2e"
EVENTS = 250  # three chunks of at most 100


async def send(url: str) -> dict[str, object]:
    async with Novu(secret_key=KEY, server_url=url) as novu:
        one = await trigger(novu.core, TriggerEventRequestDto(workflow_id="welcome", to="user-1"))
        events = ({"name": "digest", "to": f"user-{i}", "payload": {"i": i}} for i in range(EVENTS))
        report = await trigger_many(novu.core, events, concurrency=2, idempotency_prefix="packaging")
    async with NovuLegacy(secret_key=KEY, server_url=url) as legacy:
        legacy_groups = [name for name in ("tenants", "layouts", "feeds") if hasattr(legacy, name)]
    return {
        "transaction_id": one.transaction_id,
        "accepted": report.accepted,
        "failed": report.failed,
        "legacy_groups": legacy_groups,
    }


def main() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(novu_async.__path__, "novu_async.")
        if not info.name.endswith(".__main__")  # they run a program
    ]
    for name in modules:
        importlib.import_module(name)
    with FakeNovuProcess(secret_key=KEY) as server:
        sent = anyio.run(send, server.url)
        recorded = len(server.ledger())
    print(
        json.dumps(
            {
                "python": list(sys.version_info[:2]),
                "file": novu_async.__file__,
                "version": novu_async.__version__,
                "modules": modules,
                "recorded": recorded,
                **sent,
            }
        )
    )


if __name__ == "__main__":
    main()
