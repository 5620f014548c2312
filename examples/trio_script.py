"""Welcome a few new users at once, on trio.

Each user is one task in a nursery: it creates the subscriber, then triggers the "welcome" workflow.
The tasks share one ``Novu`` client, and a ``CapacityLimiter`` keeps at most four of them talking to
Novu at a time. If one of them fails, the nursery cancels the others and the script stops with
the error.

Run it against Novu, or against ``python -m novu_async.testing --port 8080``::

    NOVU_SECRET_KEY=... python examples/trio_script.py
    NOVU_SECRET_KEY=test NOVU_SERVER_URL=http://127.0.0.1:8080 python examples/trio_script.py
"""

from __future__ import annotations

import trio

from novu_async import Novu

NEW_USERS = [
    ("ada", "Ada", "ada@example.com"),
    ("grace", "Grace", "grace@example.com"),
    ("alan", "Alan", "alan@example.com"),
    ("edsger", "Edsger", "edsger@example.com"),
    ("barbara", "Barbara", "barbara@example.com"),
    ("donald", "Donald", "donald@example.com"),
]


async def welcome(novu: Novu, limiter: trio.CapacityLimiter, user: tuple[str, str, str]) -> None:
    user_id, first_name, email = user
    async with limiter:
        await novu.subscribers.create({"subscriberId": user_id, "firstName": first_name, "email": email})
        result = await novu.trigger({"name": "welcome", "to": user_id, "payload": {"firstName": first_name}})
    print(f"welcomed {user_id}: transaction {result.transaction_id}")


async def main() -> None:
    limiter = trio.CapacityLimiter(4)
    # the secret key comes from NOVU_SECRET_KEY; NOVU_SERVER_URL, when set, names another server
    async with (
        Novu() as novu,
        trio.open_nursery() as nursery,
    ):
        for user in NEW_USERS:
            nursery.start_soon(welcome, novu, limiter, user)
        # leaving the block waits for every task to finish, then closes the client
    print(f"done: {len(NEW_USERS)} users welcomed")


if __name__ == "__main__":
    trio.run(main)
