"""What triggers cause: notifications and in-app messages in subscribers' feeds, topic fan-out,
broadcast, preferences, delays and digests on the fake's clock, and cancel."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu
from tests.testing.support import api

pytestmark = pytest.mark.anyio

DELAY = {"type": "delay", "controlValues": {"amount": 10, "unit": "minutes"}}
DIGEST = {"type": "digest", "controlValues": {"amount": 1, "unit": "hours", "digestKey": "payload.post"}}


async def trigger(client: httpx.AsyncClient, name: str, to: Any, **extra: Any) -> dict[str, Any]:
    response = await client.post("/v1/events/trigger", json={"name": name, "to": to, **extra})
    assert response.status_code == 201, response.text
    ack: dict[str, Any] = response.json()["data"]
    return ack


async def feed(client: httpx.AsyncClient, subscriber_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/v2/subscribers/{subscriber_id}/notifications", params={"limit": 100})
    assert response.status_code == 200, response.text
    notifications: list[dict[str, Any]] = response.json()["data"]
    return notifications


async def test_a_trigger_puts_a_notification_in_the_feed(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow(
        "welcome",
        steps=[
            {
                "type": "in_app",
                "controlValues": {"subject": "Hi {{subscriber.firstName}}", "body": "#{{payload.n}}"},
            }
        ],
    )
    ack = await trigger(client, "welcome", {"subscriberId": "ada", "firstName": "Ada"}, payload={"n": 7})
    [notification] = await feed(client, "ada")
    assert (notification["subject"], notification["body"]) == ("Hi Ada", "#7")
    assert notification["transactionId"] == ack["transactionId"]
    assert (notification["isRead"], notification["isSeen"], notification["isArchived"]) == (
        False,
        False,
        False,
    )
    assert notification["workflow"]["identifier"] == "welcome"
    [activity] = (
        await client.get("/v1/notifications", params={"transactionId": ack["transactionId"]})
    ).json()["data"]
    assert activity["subscriber"]["subscriberId"] == "ada"
    assert [job["status"] for job in activity["jobs"]] == ["completed"]
    old = (await client.get("/v1/subscribers/ada/notifications/feed")).json()
    assert old["data"][0]["_id"] == notification["id"]
    assert (await client.get("/v1/subscribers/ada/notifications/unseen")).json()["data"] == {"count": 1}


async def test_reading_and_archiving_show_in_the_feed_and_the_counts(client: httpx.AsyncClient) -> None:
    for n in range(3):
        await trigger(client, "welcome", "ada", payload={"n": n})
    first, second, third = await feed(client, "ada")
    base = "/v2/subscribers/ada/notifications"
    await client.patch(f"{base}/{first['id']}/read")
    await client.patch(f"{base}/{second['id']}/archive")
    unread = (await client.get(base, params={"read": "false"})).json()["data"]
    assert [n["id"] for n in unread] == [third["id"]]
    archived = (await client.get(base, params={"archived": "true"})).json()["data"]
    assert [n["isRead"] for n in archived] == [True]  # archiving reads it too
    counts = await client.get(f"{base}/count", params={"filters": '[{"read": false}, {"seen": true}]'})
    assert [c["count"] for c in counts.json()["data"]] == [1, 2]
    await client.post(f"{base}/read", json={})
    assert (await client.get("/v1/subscribers/ada/notifications/unseen")).json()["data"]["count"] == 0
    await client.delete(f"{base}/{third['id']}")
    assert len(await feed(client, "ada")) == 2


async def test_topics_fan_out_except_the_excluded(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    for subscriber_id in ("ada", "bob", "cy"):
        await client.post("/v2/subscribers", json={"subscriberId": subscriber_id})
    await client.post("/v2/topics/team/subscriptions", json={"subscriptions": ["ada", "bob", "cy"]})
    assert fake.topic_subscribers("team") == ["ada", "bob", "cy"]
    ack = await trigger(
        client, "standup", [{"type": "Topic", "topicKey": "team", "exclude": ["cy"]}, "ada", "dee"]
    )
    assert {n: len(await feed(client, n)) for n in ("ada", "bob", "cy", "dee")} == {
        "ada": 1,
        "bob": 1,
        "cy": 0,
        "dee": 1,
    }
    through = (await client.get("/v1/notifications", params={"topicKey": "team"})).json()["data"]
    assert [n["subscriber"]["subscriberId"] for n in through] == ["bob"]  # ada was named directly first
    assert {n["transactionId"] for n in fake.notifications()} == {ack["transactionId"]}


async def test_a_subscriptions_preference_keeps_a_workflow_away(client: httpx.AsyncClient) -> None:
    body = {"subscriptions": ["ada", "bob"], "preferences": [{"workflowId": "digest", "enabled": False}]}
    await client.post("/v2/topics/team/subscriptions", json=body)
    await client.post("/v2/subscribers", json={"subscriberId": "ada"})
    await client.post("/v2/topics/team/subscriptions", json=body)
    await trigger(client, "digest", {"type": "Topic", "topicKey": "team"})
    await trigger(client, "alert", {"type": "Topic", "topicKey": "team"})
    assert [n["workflow"]["identifier"] for n in await feed(client, "ada")] == ["alert"]
    assert (await client.get("/v2/subscribers/bob")).status_code == 404  # never subscribed: not found


async def test_broadcast_reaches_every_subscriber(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_subscriber("ada")
    await client.post(
        "/v1/subscribers/bulk", json={"subscribers": [{"subscriberId": f"s{n}"} for n in range(5)]}
    )
    await client.post("/v1/events/trigger/broadcast", json={"name": "news", "payload": {"v": 2}})
    assert all(len(fake.inbox(subscriber_id)) == 1 for subscriber_id in fake.subscribers)
    assert len(fake.messages()) == 6


async def test_preferences_turn_channels_off_unless_the_workflow_is_critical(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_workflow("digest-mail", steps=["in_app", "email"])
    fake.add_workflow("security", steps=["in_app", "email"], critical=True)
    await client.post("/v2/subscribers", json={"subscriberId": "ada", "email": "ada@example.com"})
    await client.patch("/v2/subscribers/ada/preferences", json={"channels": {"email": False}})
    await client.patch(
        "/v2/subscribers/ada/preferences", json={"workflowId": "digest-mail", "channels": {"in_app": False}}
    )
    await trigger(client, "digest-mail", "ada")
    await trigger(client, "security", "ada")
    sent = [(m["templateIdentifier"], m["channel"]) for m in fake.messages("ada")]
    assert sent == [("security", "in_app"), ("security", "email")]
    skipped = fake.notifications()[0]["jobs"]
    assert [job["status"] for job in skipped] == ["skipped", "skipped"]
    listed = (await client.get("/v2/subscribers/ada/preferences")).json()["data"]
    assert listed["global"]["channels"]["email"] is False
    assert [w["workflow"]["identifier"] for w in listed["workflows"]] == [
        "digest-mail"
    ]  # critical: not listed
    assert listed["workflows"][0]["channels"] == {"in_app": False, "email": False}


async def test_a_channel_without_an_address_fails_its_job(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow("receipt", steps=["email", "sms", "push", "chat"])
    await trigger(client, "receipt", {"subscriberId": "ada", "email": "ada@example.com"})
    assert [m["channel"] for m in fake.messages("ada")] == ["email"]
    assert fake.messages("ada")[0]["email"] == "ada@example.com"
    jobs = fake.notifications()[0]["jobs"]
    assert [job["status"] for job in jobs] == ["completed", "failed", "failed", "failed"]
    await client.put(
        "/v1/subscribers/ada/credentials", json={"providerId": "fcm", "credentials": {"deviceTokens": ["t"]}}
    )
    await trigger(client, "receipt", "ada")
    assert [m["channel"] for m in fake.messages("ada")] == ["email", "email", "push"]


async def test_a_delay_holds_the_steps_after_it_until_the_clock_passes(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_workflow("reminder", steps=[DELAY, "in_app"])
    await trigger(client, "reminder", "ada")
    assert await feed(client, "ada") == []
    assert [job["status"] for job in fake.notifications()[0]["jobs"]] == ["delayed", "pending"]
    fake.advance(9 * 60)
    assert await feed(client, "ada") == []
    fake.advance(60)
    assert len(await feed(client, "ada")) == 1
    assert [job["status"] for job in fake.notifications()[0]["jobs"]] == ["completed", "completed"]


async def test_cancel_stops_delayed_work(fake: FakeNovu, client: httpx.AsyncClient) -> None:
    fake.add_workflow("reminder", steps=[DELAY, "in_app"])
    kept = await trigger(client, "reminder", "ada")
    doomed = await trigger(client, "reminder", ["ada", "bob"])
    assert (await client.delete(f"/v1/events/trigger/{doomed['transactionId']}")).json() == {"data": True}
    assert (await client.delete(f"/v1/events/trigger/{doomed['transactionId']}")).json() == {"data": False}
    fake.advance(3600)
    assert [n["transactionId"] for n in await feed(client, "ada")] == [kept["transactionId"]]
    assert await feed(client, "bob") == []
    jobs = [job["status"] for n in fake.notifications(doomed["transactionId"]) for job in n["jobs"]]
    assert jobs == ["canceled"] * 4
    assert fake.cancelled == {doomed["transactionId"]}
    assert (await client.delete(f"/v1/events/trigger/{kept['transactionId']}")).json() == {"data": False}


async def test_a_digest_merges_events_of_its_window_and_sends_once(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_workflow("comments", steps=[DIGEST, "in_app"])
    first = await trigger(client, "comments", "ada", payload={"post": 1, "n": 1})
    await trigger(client, "comments", "ada", payload={"post": 1, "n": 2})
    await trigger(client, "comments", "ada", payload={"post": 2, "n": 3})  # another digest key
    fake.advance(3600)
    messages = fake.messages("ada")
    assert len(messages) == 2
    leader = fake.notifications(first["transactionId"])[0]["jobs"][0]
    assert [event["n"] for event in leader["digest"]["events"]] == [1, 2]
    await trigger(client, "comments", "ada", payload={"post": 1})  # the window has closed: a new one
    assert len(fake.messages("ada")) == 2


async def test_cancelling_a_digests_first_event_lets_the_next_lead(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    fake.add_workflow("comments", steps=[DIGEST, "in_app"])
    first = await trigger(client, "comments", "ada", payload={"post": 1, "n": 1})
    second = await trigger(client, "comments", "ada", payload={"post": 1, "n": 2})
    third = await trigger(client, "comments", "ada", payload={"post": 1, "n": 3})
    assert (await client.delete(f"/v1/events/trigger/{first['transactionId']}")).json()["data"] is True
    fake.advance(3600)
    [message] = fake.messages("ada")
    assert message["transactionId"] == second["transactionId"]
    leader = fake.notifications(second["transactionId"])[0]["jobs"][0]
    assert [event["n"] for event in leader["digest"]["events"]] == [2, 3]
    assert [job["status"] for job in fake.notifications(third["transactionId"])[0]["jobs"]] == [
        "merged",
        "merged",
    ]


async def test_a_deleted_subscriber_leaves_topics_and_keeps_history(
    fake: FakeNovu, client: httpx.AsyncClient
) -> None:
    await trigger(client, "welcome", "ada")
    await client.post("/v2/topics/team/subscriptions", json={"subscriptions": ["ada"]})
    await client.delete("/v2/subscribers/ada")
    assert fake.topic_subscribers("team") == []
    assert (await client.get("/v2/subscribers/ada/notifications")).status_code == 404
    assert len(fake.messages("ada")) == 1
    assert len((await client.get("/v1/messages", params={"subscriberId": "ada"})).json()["data"]) == 1


async def test_triggers_are_delivered_when_anything_looks_not_before() -> None:
    fake = FakeNovu()
    async with api(fake) as client:
        await client.post(
            "/v1/events/trigger", json={"name": "w", "to": "ada"}, headers={"Authorization": "ApiKey k"}
        )
    assert fake.summary()["pending"] == 1  # accepted, not yet delivered
    assert fake.summary()["subscribers"] == 0
    assert len(fake.inbox("ada")) == 1
    assert fake.summary()["pending"] == 0
