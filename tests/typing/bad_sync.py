# pyright: strict
"""Mistakes with the blocking client that type checkers must catch: every line marked ``# E`` must
get an error from mypy --strict and from pyright, and no other line may. Never run."""

from __future__ import annotations

from novu_async.sync import Novu


def unknown_method(client: Novu) -> None:
    client.subscribers.craete({"subscriberId": "user-1"})  # E


def wrong_result_type(client: Novu) -> None:
    count: int = client.trigger({"name": "welcome", "to": "user-1"}).transaction_id  # E
    print(count)


def wrong_arguments(client: Novu) -> None:
    client.subscribers.retrieve(123, 456, bogus=True)  # E


def key_typo(client: Novu) -> None:
    client.trigger({"nmae": "welcome", "to": "user-1"})  # E


def unknown_item_attribute(client: Novu) -> None:
    for subscriber in client.subscribers.search_iter():
        print(subscriber.nonexistent)  # E


def report_is_not_a_string(client: Novu) -> None:
    text: str = client.trigger_many([{"name": "welcome", "to": "user-1"}])  # E
    print(text)


def unknown_resource(client: Novu) -> None:
    client.unknown_resource.list()  # E
