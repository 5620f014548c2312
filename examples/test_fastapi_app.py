"""The tests of ``fastapi_app.py``, on ``FakeNovu``: no network, no Novu account.

Run them with ``pytest examples/test_fastapi_app.py``.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from fastapi_app import create_app

from novu_async.testing import FakeNovu


@pytest.fixture
def fake() -> FakeNovu:
    return FakeNovu()


@pytest.fixture
def client(fake: FakeNovu) -> Iterator[TestClient]:
    app = create_app(novu_factory=fake.client)  # the app's Novu talks to the fake
    with TestClient(app) as client:  # `with` runs the lifespan: the client is opened, then closed
        yield client


def test_signup_creates_the_subscriber_and_sends_the_welcome_workflow(
    client: TestClient, fake: FakeNovu
) -> None:
    response = client.post(
        "/signup", json={"user_id": "ada", "email": "ada@example.com", "first_name": "Ada"}
    )

    assert response.status_code == 201
    assert fake.subscribers["ada"]["email"] == "ada@example.com"
    assert fake.subscribers["ada"]["firstName"] == "Ada"
    [sent] = fake.ledger  # every event the fake accepted, once
    assert sent.event == {"name": "welcome", "to": "ada", "payload": {"firstName": "Ada"}}
    assert response.json() == {"subscriberId": "ada", "transactionId": sent.transaction_id}


def test_a_shipped_order_notified_twice_sends_one_message(client: TestClient, fake: FakeNovu) -> None:
    shipment = {"user_id": "ada", "tracking_url": "https://track.example/o-42"}

    first = client.post("/orders/o-42/shipped", json=shipment)
    second = client.post("/orders/o-42/shipped", json=shipment)  # the caller retried

    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert [sent.event["payload"]["orderId"] for sent in fake.ledger] == ["o-42"]
    assert fake.stats.replays == 1  # Novu answered the second request from the first


def test_a_rate_limit_becomes_503_with_retry_after(fake: FakeNovu) -> None:
    app = create_app(novu_factory=lambda: fake.client(retries=0))  # no retries: the 429 comes through
    fake.fail_next("status_429")  # the fake's next answer is "429, Retry-After: 1"

    with TestClient(app) as client:
        response = client.post("/orders/o-7/shipped", json={"user_id": "ada", "tracking_url": "x"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert list(fake.ledger) == []


def test_a_refusal_from_novu_becomes_502() -> None:
    fake = FakeNovu("the-right-key")  # a fake that accepts only this secret key
    app = create_app(novu_factory=lambda: fake.client(secret_key="a-wrong-key"))

    with TestClient(app) as client:
        response = client.post("/signup", json={"user_id": "ada", "email": "a@b.c", "first_name": "Ada"})

    assert response.status_code == 502
    assert response.json() == {"detail": "Novu refused the request (401)"}
    assert dict(fake.subscribers) == {}
