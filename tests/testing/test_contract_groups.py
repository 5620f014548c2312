"""Every operation FakeNovu models, sent with success and with the documented errors it gives: each
answer's body (after the envelope) and headers fit what the document declares for that status."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from novu_async.testing import FakeNovu
from tests.testing.support import AUTH, KEY, Contract

pytestmark = pytest.mark.anyio

INBOX_STEP = {
    "type": "in_app",
    "controlValues": {
        "subject": "Hello {{subscriber.firstName}}",
        "body": "Order {{payload.order}} shipped",
        "avatar": "https://example.com/a.png",
        "primaryAction": {"label": "Track", "redirect": {"url": "https://example.com/t", "target": "_blank"}},
        "secondaryAction": {"label": "Later"},
        "redirect": {"url": "https://example.com/o"},
        "data": {"order": 1},
    },
}
DELAY_STEP = {"type": "delay", "controlValues": {"amount": 1, "unit": "hours"}}
DIGEST_STEP = {
    "type": "digest",
    "controlValues": {"amount": 5, "unit": "minutes", "digestKey": "payload.post"},
}


class Recorder:
    """A raw client over the fake's transport that keeps every answer."""

    def __init__(self, fake: FakeNovu) -> None:
        self.answers: list[httpx.Response] = []

        async def keep(response: httpx.Response) -> None:
            await response.aread()
            self.answers.append(response)

        self.http = httpx.AsyncClient(
            transport=fake.transport, base_url=fake.url, headers=AUTH, event_hooks={"response": [keep]}
        )

    async def send(self, method: str, path: str, expected: int, **kwargs: Any) -> Any:
        response = await self.http.request(method, path, **kwargs)
        assert response.status_code == expected, (method, path, response.status_code, response.text)
        if not response.content:
            return None
        body = response.json()
        return body["data"] if isinstance(body, dict) and set(body) == {"data"} else body


@pytest.fixture
def fake() -> FakeNovu:
    fake = FakeNovu(KEY)
    fake.add_workflow("order-shipped", steps=[INBOX_STEP, "email", "sms"], tags=["orders"], severity="high")
    fake.add_workflow("reminder", steps=[DELAY_STEP, "in_app"])
    fake.add_workflow("comments", steps=[DIGEST_STEP, "in_app"])
    fake.add_workflow("paused", active=False)
    fake.add_workflow("empty", steps=[])
    fake.add_workflow("alerts", steps=["in_app"], critical=True)
    # what channel connections, endpoints and agent links name
    fake.add_integration("slack", "chat", identifier="slack-prod")
    fake.add_integration("msteams", "chat", identifier="teams-prod")
    fake.add_integration("chat-webhook", "chat", identifier="hooks")
    return fake


@pytest.fixture
async def api(fake: FakeNovu) -> AsyncIterator[Recorder]:
    recorder = Recorder(fake)
    async with recorder.http:
        yield recorder


async def events(api: Recorder, fake: FakeNovu) -> str:
    ada = {"subscriberId": "ada", "firstName": "Ada", "email": "ada@example.com", "phone": "+100"}
    shipped = await api.send(
        "POST", "/v1/events/trigger", 201, json={"name": "order-shipped", "to": ada, "payload": {"order": 7}}
    )
    await api.send(
        "POST", "/v1/events/trigger", 201, json={"name": "order-shipped", "to": "bob", "payload": {}}
    )
    await api.send("POST", "/v1/events/trigger", 201, json={"name": "paused", "to": "ada"})
    await api.send("POST", "/v1/events/trigger", 201, json={"name": "empty", "to": "ada"})
    await api.send("POST", "/v1/events/trigger", 422, json={"name": "no-such-workflow", "to": "ada"})
    await api.send("POST", "/v1/events/trigger", 422, json={"name": "x", "to": ["s"] * 101})
    reminder = await api.send("POST", "/v1/events/trigger", 201, json={"name": "reminder", "to": "ada"})
    bulk = [
        {"name": "comments", "to": "ada", "payload": {"post": 1}, "transactionId": "c-1"},
        {"name": "comments", "to": "ada", "payload": {"post": 1}, "transactionId": "c-2"},
        {"name": "comments", "to": "ada", "payload": {"post": 1}, "transactionId": "c-1"},
        {"name": "no-such-workflow", "to": "ada"},
    ]
    acks = await api.send("POST", "/v1/events/trigger/bulk", 201, json={"events": bulk})
    assert [ack["status"] for ack in acks] == ["processed", "processed", "processed", "error"]
    await api.send("POST", "/v1/events/trigger/bulk", 422, json={"events": []})
    await api.send("POST", "/v1/events/trigger/broadcast", 201, json={"name": "alerts", "payload": {"n": 1}})
    await api.send("POST", "/v1/events/trigger/broadcast", 422, json={"name": "alerts"})
    assert await api.send("DELETE", f"/v1/events/trigger/{reminder['transactionId']}", 200) is True
    assert await api.send("DELETE", "/v1/events/trigger/c-2", 200) is True
    assert await api.send("DELETE", "/v1/events/trigger/unknown", 200) is False
    transaction_id: str = shipped["transactionId"]
    return transaction_id


async def subscribers(api: Recorder) -> None:
    await api.send(
        "POST", "/v2/subscribers", 201, json={"subscriberId": "cy", "lastName": "C", "data": {"k": 1}}
    )
    await api.send("POST", "/v2/subscribers?failIfExists=true", 409, json={"subscriberId": "cy"})
    await api.send("POST", "/v2/subscribers", 422, json={"email": "nobody@example.com"})
    await api.send("GET", "/v2/subscribers/cy", 200)
    await api.send("GET", "/v2/subscribers/nobody", 404)
    await api.send("PATCH", "/v2/subscribers/cy", 200, json={"locale": "en_US", "data": None})
    await api.send("PATCH", "/v2/subscribers/nobody", 404, json={})
    page = await api.send("GET", "/v2/subscribers", 200, params={"limit": 2})
    await api.send(
        "GET", "/v2/subscribers", 200, params={"limit": 2, "after": page["next"], "orderBy": "updatedAt"}
    )
    await api.send("GET", "/v2/subscribers", 422, params={"limit": 0})
    await api.send(
        "POST",
        "/v1/subscribers/bulk",
        201,
        json={"subscribers": [{"subscriberId": "cy"}, {"subscriberId": "dee"}]},
    )
    await api.send("POST", "/v1/subscribers/bulk", 422, json={"subscribers": [{"firstName": "?"}]})
    credentials = {"providerId": "fcm", "credentials": {"deviceTokens": ["t1"]}}
    await api.send("PUT", "/v1/subscribers/dee/credentials", 200, json=credentials)
    more = {"providerId": "fcm", "credentials": {"deviceTokens": ["t2"]}, "integrationIdentifier": "fcm-1"}
    await api.send("PATCH", "/v1/subscribers/dee/credentials", 200, json=more)
    await api.send(
        "PUT", "/v1/subscribers/dee/credentials", 422, json={"providerId": "pigeon", "credentials": {}}
    )
    await api.send("PUT", "/v1/subscribers/nobody/credentials", 404, json=credentials)
    await api.send("DELETE", "/v1/subscribers/dee/credentials/fcm", 204)
    await api.send("PATCH", "/v1/subscribers/dee/online-status", 200, json={"isOnline": False})
    await api.send("PATCH", "/v1/subscribers/dee/online-status", 422, json={"isOnline": "yes"})
    await api.send("GET", "/v2/subscribers/ada/subscriptions", 200)
    await api.send("GET", "/v2/subscribers/nobody/subscriptions", 404)
    await api.send("DELETE", "/v2/subscribers/dee", 200)
    await api.send("DELETE", "/v2/subscribers/dee", 404)


async def preferences(api: Recorder) -> None:
    await api.send("GET", "/v2/subscribers/ada/preferences", 200, params={"criticality": "all"})
    await api.send("GET", "/v2/subscribers/nobody/preferences", 404)
    await api.send("PATCH", "/v2/subscribers/ada/preferences", 200, json={"channels": {"sms": False}})
    schedule = {"isEnabled": True, "weeklySchedule": {}}
    await api.send("PATCH", "/v2/subscribers/ada/preferences", 200, json={"schedule": schedule})
    await api.send(
        "PATCH",
        "/v2/subscribers/ada/preferences",
        200,
        json={"workflowId": "order-shipped", "channels": {"email": False}},
    )
    await api.send(
        "PATCH", "/v2/subscribers/ada/preferences", 404, json={"workflowId": "nope", "channels": {}}
    )
    bulk = {"preferences": [{"workflowId": "reminder", "channels": {"in_app": True}}]}
    await api.send("PATCH", "/v2/subscribers/ada/preferences/bulk", 200, json=bulk)
    await api.send(
        "PATCH",
        "/v2/subscribers/ada/preferences/bulk",
        422,
        json={"preferences": [{"workflowId": "reminder"}]},
    )


async def inbox(api: Recorder) -> None:
    base = "/v2/subscribers/ada/notifications"
    listing = await api.send("GET", base, 200, params={"limit": 5, "severity": ["high", "none"]})
    first = next(n["id"] for n in listing["data"] if n["workflow"]["identifier"] == "order-shipped")
    other = next(n["id"] for n in listing["data"] if n["workflow"]["identifier"] == "alerts")
    await api.send(
        "GET", base, 200, params={"read": "false", "after": first, "offset": 0, "data": '{"order": 1}'}
    )
    await api.send("GET", base, 422, params={"limit": 500})
    await api.send("GET", "/v2/subscribers/nobody/notifications", 404)
    filters = json.dumps([{"read": False}, {"tags": ["orders"]}, {"tags": {"and": [{"or": ["orders"]}]}}])
    await api.send("GET", f"{base}/count", 200, params={"filters": filters})
    await api.send("GET", f"{base}/count", 422, params={"filters": "not json"})
    for action in ("read", "unread", "archive", "unarchive", "unsnooze"):
        await api.send("PATCH", f"{base}/{first}/{action}", 200)
    await api.send("PATCH", f"{base}/{first}/snooze", 200, json={"snoozeUntil": "2999-01-01T00:00:00Z"})
    await api.send("PATCH", f"{base}/{first}/snooze", 422, json={"snoozeUntil": "2000-01-01T00:00:00Z"})
    await api.send("PATCH", f"{base}/{first}/actions/primary/complete", 200)
    await api.send("PATCH", f"{base}/{first}/actions/primary/revert", 200)
    await api.send("PATCH", f"{base}/nope/read", 404)
    await api.send("PATCH", f"{base}/{other}/actions/secondary/complete", 400)
    await api.send("POST", f"{base}/seen", 204, json={"notificationIds": [first]})
    await api.send("POST", f"{base}/read", 204, json={"tags": ["orders"]})
    await api.send("POST", f"{base}/read-archive", 204, json={})
    await api.send("POST", f"{base}/archive", 204, json={"data": '{"order": 1}'})
    await api.send("DELETE", f"{base}/{first}", 204)
    await api.send("DELETE", f"{base}/{first}", 404)
    await api.send("POST", f"{base}/delete", 204, json={})


async def feed(api: Recorder, fake: FakeNovu) -> None:
    fake.add_subscriber("eve", firstName="Eve")
    await api.send(
        "POST",
        "/v1/events/trigger",
        201,
        json={"name": "order-shipped", "to": "eve", "payload": {"order": 9}},
    )
    payload = base64.b64encode(json.dumps({"order": 9}).encode()).decode()
    page = await api.send(
        "GET", "/v1/subscribers/eve/notifications/feed", 200, params={"payload": payload, "limit": 5}
    )
    message_id = page["data"][0]["_id"]
    await api.send("GET", "/v1/subscribers/eve/notifications/feed", 422, params={"payload": "%%%"})
    await api.send("GET", "/v1/subscribers/eve/notifications/unseen", 200)
    await api.send(
        "POST", "/v1/subscribers/eve/messages/mark-as", 201, json={"messageId": message_id, "markAs": "seen"}
    )
    await api.send(
        "POST", "/v1/subscribers/eve/messages/mark-as", 404, json={"messageId": ["nope"], "markAs": "read"}
    )
    await api.send("POST", "/v1/subscribers/eve/messages/mark-all", 201, json={"markAs": "read"})
    action = {"status": "done", "payload": {"ok": True}}
    await api.send("POST", f"/v1/subscribers/eve/messages/{message_id}/actions/primary", 201, json=action)
    await api.send("POST", "/v1/subscribers/eve/messages/mark-all", 422, json={"markAs": "gone"})


async def topics(api: Recorder) -> None:
    await api.send("POST", "/v2/topics", 201, json={"key": "news", "name": "News"})
    await api.send("POST", "/v2/topics", 200, json={"key": "news", "name": "Daily news"})
    await api.send("POST", "/v2/topics?failIfExists=true", 409, json={"key": "news"})
    await api.send("POST", "/v2/topics", 422, json={"key": "not a key!"})
    await api.send("GET", "/v2/topics", 200, params={"name": "news"})
    await api.send("GET", "/v2/topics/news", 200)
    await api.send("GET", "/v2/topics/nope", 404)
    await api.send("PATCH", "/v2/topics/news", 200, json={"name": "News"})
    subscriptions = {
        "subscriptions": ["ada", {"identifier": "cy-news", "subscriberId": "cy", "name": "Cy"}, "ghost"],
        "preferences": [
            "order-shipped",
            {"workflowId": "reminder", "enabled": False},
            {"filter": {"tags": ["orders"]}},
        ],
    }
    made = await api.send("POST", "/v2/topics/news/subscriptions", 201, json=subscriptions)
    assert made["meta"] == {"totalCount": 3, "successful": 2, "failed": 1}
    await api.send("POST", "/v2/topics/news/subscriptions", 422, json={})
    await api.send("GET", "/v2/topics/news/subscriptions", 200, params={"subscriberId": "ada"})
    await api.send("GET", "/v2/topics/news/subscriptions/cy-news", 200)
    await api.send("GET", "/v2/topics/news/subscriptions/nope", 404)
    await api.send(
        "PATCH", "/v2/topics/news/subscriptions/cy-news", 200, json={"name": "Cy C", "preferences": []}
    )
    await api.send("GET", "/v1/topics/news/subscribers/ada", 200)
    await api.send("GET", "/v1/topics/news/subscribers/bob", 404)
    await api.send(
        "POST",
        "/v1/events/trigger",
        201,
        json={"name": "order-shipped", "to": {"type": "Topic", "topicKey": "news"}},
    )
    await api.send(
        "DELETE",
        "/v2/topics/news/subscriptions",
        200,
        json={"subscriptions": [{"identifier": "cy-news"}, "ghost"]},
    )
    await api.send("DELETE", "/v2/topics/news", 200)
    await api.send("DELETE", "/v2/topics/news", 404)


async def messages_and_notifications(api: Recorder, fake: FakeNovu, transaction_id: str) -> None:
    listing = await api.send("GET", "/v1/messages", 200, params={"channel": "email", "limit": 5})
    await api.send("GET", "/v1/messages", 200, params={"transactionId": [transaction_id], "page": 0})
    await api.send("GET", "/v1/messages", 422, params={"channel": "pigeon"})
    await api.send("DELETE", f"/v1/messages/{listing['data'][0]['_id']}", 200)
    await api.send("DELETE", "/v1/messages/nope", 404)
    await api.send("DELETE", f"/v1/messages/transaction/{transaction_id}", 204, params={"channel": "sms"})
    await api.send("DELETE", "/v1/messages/transaction/nope", 404)
    found = await api.send("GET", "/v1/notifications", 200, params={"subscriberIds": ["ada"], "limit": 50})
    await api.send(
        "GET",
        "/v1/notifications",
        200,
        params={"channels": ["in_app"], "topicKey": "news", "after": "2000-01-01T00:00:00Z"},
    )
    await api.send("GET", "/v1/notifications", 422, params={"limit": 51})
    await api.send("GET", f"/v1/notifications/{found['data'][0]['_id']}", 200)
    await api.send("GET", "/v1/notifications/nope", 404)
    webhook = f"/v2/inbound-webhooks/delivery-providers/{fake.environment_id}/novu-email"
    email = fake.messages("ada")[0]["_id"]
    results = await api.send(
        "POST", webhook, 200, json=[{"messageId": email, "status": "opened"}, {"other": 1}]
    )
    assert [r["event"]["status"] for r in results] == ["opened"]
    other = "/v2/inbound-webhooks/delivery-providers/other-env/novu-email"
    assert await api.send("POST", other, 200, json=[{"messageId": email, "status": "opened"}]) == []


RECEIPT = {
    "name": "Receipt",
    "workflowId": "receipt",
    "active": True,
    "tags": ["billing"],
    "description": "Sent when an order is paid",
    "severity": "low",
    "steps": [
        {
            "name": "Mail",
            "type": "email",
            "controlValues": {"subject": "Paid #{{payload.n}}", "body": "Thanks"},
        },
        {
            "name": "Wait",
            "type": "delay",
            "controlValues": {"type": "regular", "amount": 1, "unit": "minutes"},
        },
        {"name": "Digest", "type": "digest", "controlValues": {"amount": 5, "unit": "minutes"}},
        {"name": "Inbox", "type": "in_app", "controlValues": {"body": "Paid"}},
        {
            "name": "Hook",
            "type": "http_request",
            "controlValues": {"method": "POST", "url": "https://example.com"},
        },
        {"name": "Throttle", "type": "throttle"},
    ],
    "preferences": {
        "workflow": {"all": {"enabled": True, "readOnly": False}, "channels": {"email": {"enabled": True}}},
        "user": None,
    },
}


async def workflows(api: Recorder) -> None:
    created = await api.send("POST", "/v2/workflows", 201, json=RECEIPT)
    await api.send("POST", "/v2/workflows", 409, json=RECEIPT)
    await api.send("POST", "/v2/workflows", 422, json={"name": "no id", "steps": []})
    await api.send(
        "POST",
        "/v2/workflows",
        422,
        json={**RECEIPT, "workflowId": "r2", "steps": [{"name": "x", "type": "fax"}]},
    )
    query = {
        "query": "REC",
        "tags": ["billing"],
        "status": ["ACTIVE"],
        "orderBy": "name",
        "orderDirection": "ASC",
    }
    listing = await api.send("GET", "/v2/workflows", 200, params=query)
    assert [w["workflowId"] for w in listing["workflows"]] == ["receipt"]
    await api.send(
        "GET", "/v2/workflows", 200, params={"limit": 2, "offset": 1, "orderBy": "lastTriggeredAt"}
    )
    await api.send("GET", "/v2/workflows", 422, params={"status": ["BROKEN"]})
    await api.send("GET", "/v2/workflows/receipt", 200)
    await api.send("GET", f"/v2/workflows/{created['_id']}", 200)
    await api.send("GET", "/v2/workflows/nope", 404)
    kept = created["steps"][3]
    update = {
        **RECEIPT,
        "name": "Receipt v2",
        "origin": "novu-cloud",
        "steps": [{**RECEIPT["steps"][3], "stepId": kept["stepId"]}],
    }
    updated = await api.send("PUT", "/v2/workflows/receipt", 200, json=update)
    assert updated["steps"][0]["_id"] == kept["_id"]
    await api.send("PUT", "/v2/workflows/receipt", 422, json={"name": "x", "steps": []})
    await api.send("PUT", "/v2/workflows/nope", 404, json=update)
    await api.send(
        "PATCH", "/v2/workflows/receipt", 200, json={"active": False, "tags": ["b"], "payloadSchema": None}
    )
    await api.send("GET", f"/v2/workflows/receipt/steps/{kept['stepId']}", 200)
    await api.send("GET", "/v2/workflows/receipt/steps/nope", 404)
    example = {"previewPayload": {"payload": {"order": 3}}, "controlValues": {"body": "#{{payload.order}}"}}
    await api.send("POST", f"/v2/workflows/receipt/step/{kept['stepId']}/preview", 201, json=example)
    for step in ("email-step-2", "sms-step-3"):
        await api.send("POST", f"/v2/workflows/order-shipped/step/{step}/preview", 201, json={})
    await api.send("POST", "/v2/workflows/reminder/step/delay-step-1/preview", 201, json={})
    await api.send("POST", "/v2/workflows/receipt/step/nope/preview", 404, json={})
    await api.send("DELETE", "/v2/workflows/receipt", 204)
    await api.send("DELETE", "/v2/workflows/receipt", 404)


BRAND = "<html><body><h1>{{subscriber.firstName}}</h1>{{content}}</body></html>"


async def layouts(api: Recorder) -> None:
    made = await api.send("POST", "/v2/layouts", 201, json={"layoutId": "brand", "name": "Brand"})
    assert made["isDefault"] is True
    await api.send("POST", "/v2/layouts", 409, json={"layoutId": "brand", "name": "Again"})
    await api.send("POST", "/v2/layouts", 422, json={"name": "no id"})
    email = {"body": BRAND, "editorType": "html"}
    await api.send("PUT", "/v2/layouts/brand", 200, json={"name": "Brand", "controlValues": {"email": email}})
    bad = {"email": {"body": "<p>{{content}}</p>", "editorType": "html"}}
    await api.send("PUT", "/v2/layouts/brand", 400, json={"name": "Brand", "controlValues": bad})
    await api.send("PUT", "/v2/layouts/brand", 422, json={"controlValues": None})
    await api.send("PUT", "/v2/layouts/nope", 404, json={"name": "x"})
    await api.send("GET", "/v2/layouts/brand", 200)
    await api.send("GET", f"/v2/layouts/{made['_id']}", 200)
    await api.send("GET", "/v2/layouts/nope", 404)
    copied = await api.send(
        "POST", "/v2/layouts/brand/duplicate", 201, json={"name": "Brand copy", "isTranslationEnabled": True}
    )
    await api.send("POST", "/v2/layouts/brand/duplicate", 409, json={"name": "x", "layoutId": "brand"})
    await api.send("POST", "/v2/layouts/nope/duplicate", 404, json={"name": "x"})
    query = {"query": "BRAND", "orderBy": "name", "orderDirection": "ASC", "limit": 5, "offset": 0}
    listing = await api.send("GET", "/v2/layouts", 200, params=query)
    assert [x["layoutId"] for x in listing["layouts"]] == ["brand", "brand-copy"]
    await api.send("GET", "/v2/layouts", 422, params={"limit": 0})
    example = {"previewPayload": {"subscriber": {"firstName": "Ada"}}}
    await api.send("POST", "/v2/layouts/brand/preview", 201, json=example)
    await api.send("POST", "/v2/layouts/nope/preview", 404, json={})
    await api.send("GET", "/v2/layouts/brand/usage", 200)
    await api.send("GET", "/v2/layouts/nope/usage", 404)
    await api.send("DELETE", "/v2/layouts/brand", 409)  # the default one
    await api.send("DELETE", f"/v2/layouts/{copied['layoutId']}", 204)
    await api.send("DELETE", f"/v2/layouts/{copied['layoutId']}", 404)


async def translations(api: Recorder) -> None:
    body = {
        "resourceId": "order-shipped",
        "resourceType": "workflow",
        "locale": "en_US",
        "content": {"greeting": "Hello"},
    }
    await api.send("POST", "/v2/translations", 200, json=body)
    await api.send(
        "POST", "/v2/translations", 200, json={**body, "locale": "de_DE", "content": {"greeting": "Hallo"}}
    )
    await api.send("POST", "/v2/translations", 422, json={**body, "locale": "german"})
    await api.send("POST", "/v2/translations", 404, json={**body, "resourceId": "nope"})
    await api.send("GET", "/v2/translations/workflow/order-shipped/de_DE", 200)
    await api.send("GET", "/v2/translations/workflow/order-shipped/fr_FR", 404)
    await api.send("GET", "/v2/translations/group/workflow/order-shipped", 200)
    await api.send("GET", "/v2/translations/group/workflow/nope", 404)
    await api.send("GET", "/v2/translations/master-json", 200, params={"locale": "de_DE"})
    await api.send("GET", "/v2/translations/master-json", 422, params={"locale": "german"})
    master = {"workflows": {"order-shipped": {"greeting": "Bonjour"}, "nope": {}}}
    imported = await api.send(
        "POST", "/v2/translations/master-json", 200, json={"locale": "fr_FR", "masterJson": master}
    )
    assert (imported["successful"], imported["failed"]) == (["order-shipped"], ["nope"])
    await api.send("POST", "/v2/translations/master-json", 422, json={"locale": "fr_FR"})
    upload = json.dumps({"workflows": {"reminder": {"k": "v"}}}).encode()
    await api.send("POST", "/v2/translations/master-json/upload", 200, files={"file": ("es_ES.json", upload)})
    await api.send("POST", "/v2/translations/master-json/upload", 400, files={"file": ("es.json", upload)})
    form = {"resourceId": "reminder", "resourceType": "workflow"}
    files = [("files", ("it_IT.json", b'{"k": "v"}')), ("files[]", ("pt_BR.json", b"not json"))]
    uploaded = await api.send("POST", "/v2/translations/upload", 200, data=form, files=files)
    assert (uploaded["successfulUploads"], uploaded["failedUploads"]) == (1, 1)
    one = [("files", ("it_IT.json", b"{}"))]
    await api.send(
        "POST", "/v2/translations/upload", 400, data=form, files=[("files", ("italian.json", b"{}"))]
    )
    await api.send("POST", "/v2/translations/upload", 404, data={**form, "resourceId": "nope"}, files=one)
    await api.send("POST", "/v2/translations/upload", 422, data={"resourceType": "workflow"}, files=one)
    await api.send("DELETE", "/v2/translations/workflow/order-shipped/de_DE", 204)
    await api.send("DELETE", "/v2/translations/workflow/order-shipped/de_DE", 404)
    await api.send("DELETE", "/v2/translations/workflow/reminder", 204)
    await api.send("DELETE", "/v2/translations/workflow/reminder", 404)


async def integrations(api: Recorder) -> None:
    listed = await api.send("GET", "/v1/integrations", 200)
    # Novu's three for a new environment, then the ones the fixture seeds
    assert [i["providerId"] for i in listed] == [
        "novu",
        "novu-email",
        "novu-sms",
        "slack",
        "msteams",
        "chat-webhook",
    ]
    mail = {"providerId": "sendgrid", "channel": "email", "active": True, "credentials": {"apiKey": "k"}}
    made = await api.send("POST", "/v1/integrations", 201, json=mail)
    assert made["primary"] is False  # novu-email is the channel's primary
    taken = {"providerId": "mailgun", "channel": "email", "identifier": made["identifier"]}
    await api.send("POST", "/v1/integrations", 409, json=taken)
    await api.send("POST", "/v1/integrations", 422, json={"channel": "email"})
    await api.send("POST", "/v1/integrations", 400, json={"providerId": "novu", "channel": "in_app"})
    elsewhere = {"providerId": "mailgun", "channel": "email", "_environmentId": "other"}
    await api.send("POST", "/v1/integrations", 403, json=elsewhere)
    await api.send("GET", "/v1/integrations/active", 200)
    await api.send(
        "PUT", f"/v1/integrations/{made['_id']}", 200, json={"name": "SendGrid EU", "active": True}
    )
    await api.send("PUT", f"/v1/integrations/{made['_id']}", 400, json={})
    await api.send("PUT", "/v1/integrations/nope", 404, json={"name": "x"})
    await api.send("POST", f"/v1/integrations/{made['_id']}/set-primary", 200)
    await api.send("POST", f"/v1/integrations/{listed[0]['_id']}/set-primary", 400)  # in-app has none
    await api.send("POST", "/v1/integrations/nope/set-primary", 404)
    await api.send("POST", f"/v1/integrations/{made['_id']}/auto-configure", 200)
    await api.send("POST", "/v1/integrations/nope/auto-configure", 404)
    telegram = {"providerId": "telegram", "channel": "chat", "identifier": "tg", "active": True}
    bot = await api.send("POST", "/v1/integrations", 201, json=telegram)
    slack = {
        "providerId": "slack",
        "channel": "chat",
        "identifier": "slack-1",
        "credentials": {"clientId": "c"},
    }
    await api.send("POST", "/v1/integrations", 201, json=slack)
    await api.send("POST", "/v1/integrations/tg/mobile-link", 200, json={"subscriberId": "ada"})
    await api.send("POST", "/v1/integrations/slack-1/mobile-link", 400, json={})
    await api.send("POST", "/v1/integrations/nope/mobile-link", 404, json={})
    await api.send("POST", "/v1/integrations/tg/webhook/configure", 200)
    await api.send("POST", "/v1/integrations/slack-1/webhook/configure", 400)
    await api.send("POST", "/v1/integrations/nope/webhook/configure", 404)
    connect = "/v1/integrations/channel-connections/oauth"
    await api.send("POST", connect, 201, json={"integrationIdentifier": "slack-1", "scope": ["chat:write"]})
    await api.send("POST", connect, 400, json={"integrationIdentifier": "tg"})
    await api.send("POST", connect, 404, json={"integrationIdentifier": "nope"})
    await api.send("POST", connect, 422, json={})
    link_user = "/v1/integrations/channel-endpoints/oauth"
    await api.send("POST", link_user, 201, json={"integrationIdentifier": "slack-1", "subscriberId": "ada"})
    await api.send(
        "POST", link_user, 404, json={"integrationIdentifier": "slack-1", "subscriberId": "nobody"}
    )
    link = "/v1/integrations/channel-endpoints/link"
    await api.send("POST", link, 200, json={"integrationIdentifier": "tg", "subscriberId": "ada"})
    await api.send("POST", link, 200, json={"integrationIdentifier": "slack-1", "subscriberId": "ada"})
    await api.send("POST", link, 422, json={"integrationIdentifier": "tg"})
    chat = "/v1/integrations/chat/oauth"
    await api.send(
        "POST",
        chat,
        201,
        json={"integrationIdentifier": "slack-1", "mode": "link_user", "subscriberId": "ada"},
    )
    await api.send("POST", chat, 404, json={"integrationIdentifier": "nope"})
    remaining = await api.send("DELETE", f"/v1/integrations/{bot['_id']}", 200)
    assert bot["_id"] not in [i["_id"] for i in remaining]
    await api.send("DELETE", f"/v1/integrations/{bot['_id']}", 404)


async def environments(api: Recorder, fake: FakeNovu) -> str:
    listed = await api.send("GET", "/v1/environments", 200)
    assert [e["name"] for e in listed] == ["Development", "Production"]
    production: str = listed[1]["_id"]
    staging = await api.send("POST", "/v1/environments", 201, json={"name": "Staging", "color": "#3498db"})
    await api.send("POST", "/v1/environments", 409, json={"name": "staging", "color": "#000000"})
    await api.send("POST", "/v1/environments", 422, json={"name": "QA"})
    change = {"name": "Staging 2", "color": "#111111", "bridge": {"url": "https://example.com/api/novu"}}
    await api.send("PUT", f"/v1/environments/{staging['_id']}", 200, json=change)
    await api.send("PUT", f"/v1/environments/{production}", 422, json={"name": "Live"})
    await api.send("PUT", "/v1/environments/nope", 404, json={"name": "x"})
    target = {"targetEnvironmentId": production}
    await api.send("PUT", "/v2/workflows/order-shipped/sync", 200, json=target)
    await api.send(
        "PUT", "/v2/workflows/order-shipped/sync", 400, json={"targetEnvironmentId": fake.environment_id}
    )
    await api.send("PUT", "/v2/workflows/order-shipped/sync", 404, json={"targetEnvironmentId": "nope"})
    await api.send("PUT", "/v2/workflows/nope/sync", 404, json=target)
    await api.send("PUT", "/v2/workflows/order-shipped/sync", 422, json={})
    await api.send("GET", "/v2/workflows/order-shipped", 200, params={"environmentId": production})
    await api.send("GET", "/v2/workflows/reminder", 404, params={"environmentId": production})
    await api.send("GET", f"/v2/environments/{production}/tags", 200)
    await api.send("GET", "/v2/environments/nope/tags", 404)
    await api.send("PATCH", "/v2/workflows/order-shipped", 200, json={"name": "Shipped"})
    diff = await api.send("POST", f"/v2/environments/{production}/diff", 200, json={})
    assert diff["summary"]["hasChanges"] is True
    await api.send("POST", "/v2/environments/nope/diff", 404, json={})
    await api.send("POST", f"/v2/environments/{fake.environment_id}/diff", 400, json={})
    publish = f"/v2/environments/{staging['_id']}/publish"
    await api.send("POST", publish, 200, json={"dryRun": True})
    await api.send("POST", publish, 200, json={})
    only = {
        "resources": [{"resourceType": "workflow", "resourceId": "reminder"}],
        "sourceEnvironmentId": production,
    }
    await api.send("POST", publish, 200, json=only)
    await api.send("POST", publish, 422, json={"resources": [{"resourceType": "REGULAR", "resourceId": "x"}]})
    await api.send("POST", "/v2/environments/nope/publish", 404, json={})
    await api.send("DELETE", f"/v1/environments/{production}", 400)
    await api.send("DELETE", f"/v1/environments/{staging['_id']}", 200)
    await api.send("DELETE", f"/v1/environments/{staging['_id']}", 404)
    return production


async def variables(api: Recorder, fake: FakeNovu, production: str) -> None:
    base = "/v1/environment-variables"
    value = [{"_environmentId": fake.environment_id, "value": "https://example.com"}]
    await api.send("POST", base, 200, json={"key": "BASE_URL", "values": value})
    await api.send("POST", base, 409, json={"key": "BASE_URL"})
    await api.send("POST", base, 422, json={"key": "1_BAD"})
    masked = [{"_environmentId": fake.environment_id, "value": "••••••••"}]
    await api.send("POST", base, 400, json={"key": "TOKEN", "isSecret": True, "values": masked})
    await api.send(
        "POST", base, 404, json={"key": "OTHER", "values": [{"_environmentId": "nope", "value": "x"}]}
    )
    secret = [{"_environmentId": production, "value": "s3cret"}]
    made = await api.send("POST", base, 200, json={"key": "TOKEN", "isSecret": True, "values": secret})
    assert made["values"][0]["value"] == "••••••••"
    await api.send("GET", base, 200, params={"search": "url"})
    await api.send("GET", base, 422, params={"search": "x" * 300})
    await api.send("GET", f"{base}/TOKEN", 200)
    await api.send("GET", f"{base}/NOPE", 404)
    more = [{"_environmentId": production, "value": "https://example.org"}]
    await api.send("PATCH", f"{base}/BASE_URL", 200, json={"values": more})
    await api.send("PATCH", f"{base}/BASE_URL", 400, json={})
    await api.send("PATCH", f"{base}/BASE_URL", 409, json={"key": "TOKEN"})
    await api.send("PATCH", f"{base}/NOPE", 404, json={"isSecret": True})
    await api.send("GET", f"{base}/BASE_URL/usage", 200)
    await api.send("GET", f"{base}/NOPE/usage", 404)
    await api.send("DELETE", f"{base}/TOKEN", 204)
    await api.send("DELETE", f"{base}/TOKEN", 404)


async def contexts(api: Recorder) -> None:
    await api.send(
        "POST", "/v2/contexts", 201, json={"type": "tenant", "id": "acme", "data": {"plan": "pro"}}
    )
    await api.send("POST", "/v2/contexts", 201, json={"type": "app", "id": "jira"})
    await api.send("POST", "/v2/contexts", 409, json={"type": "tenant", "id": "acme"})
    await api.send("POST", "/v2/contexts", 422, json={"type": "tenant", "id": "not an id!"})
    page = await api.send("GET", "/v2/contexts", 200, params={"limit": 1})
    await api.send("GET", "/v2/contexts", 200, params={"after": page["next"], "search": "ac", "id": "acme"})
    await api.send("GET", "/v2/contexts", 422, params={"limit": 101})
    await api.send("GET", "/v2/contexts/tenant/acme", 200)
    await api.send("GET", "/v2/contexts/tenant/nope", 404)
    await api.send("PATCH", "/v2/contexts/tenant/acme", 200, json={"data": {"plan": "team"}})
    await api.send("PATCH", "/v2/contexts/tenant/acme", 422, json={})
    await api.send("PATCH", "/v2/contexts/tenant/nope", 404, json={"data": {}})
    trigger = {"name": "order-shipped", "to": "ada", "context": {"tenant": "acme", "region": {"id": "eu"}}}
    await api.send("POST", "/v1/events/trigger", 201, json=trigger)
    await api.send("POST", "/v1/events/trigger", 422, json={**trigger, "context": {"tenant": ""}})
    await api.send("GET", "/v1/messages", 200, params={"contextKeys": ["region:eu", "tenant:acme"]})
    await api.send("DELETE", "/v2/contexts/app/jira", 204)
    await api.send("DELETE", "/v2/contexts/app/jira", 404)


async def channels(api: Recorder) -> None:
    connection = {
        "identifier": "slack-ada",
        "subscriberId": "ada",
        "integrationIdentifier": "slack-prod",
        "workspace": {"id": "T1", "name": "Acme"},
        "auth": {"accessToken": "xoxb-1"},
    }
    await api.send("POST", "/v1/channel-connections", 201, json=connection)
    shared = {**connection, "identifier": None, "connectionMode": "shared", "context": {"tenant": "acme"}}
    await api.send("POST", "/v1/channel-connections", 201, json={k: v for k, v in shared.items() if v})
    await api.send("POST", "/v1/channel-connections", 409, json={**connection, "identifier": "other"})
    await api.send("POST", "/v1/channel-connections", 400, json={**connection, "subscriberId": None})
    await api.send("POST", "/v1/channel-connections", 404, json={**connection, "subscriberId": "nobody"})
    await api.send("POST", "/v1/channel-connections", 422, json={**connection, "auth": {}})
    await api.send("GET", "/v1/channel-connections", 200, params={"subscriberId": "ada", "channel": "chat"})
    await api.send("GET", "/v1/channel-connections", 200, params={"contextKeys": ["tenant:acme"]})
    await api.send("GET", "/v1/channel-connections", 422, params={"providerId": "pigeon"})
    await api.send("GET", "/v1/channel-connections/slack-ada", 200)
    await api.send("GET", "/v1/channel-connections/nope", 404)
    update = {"workspace": {"id": "T2"}, "auth": {"accessToken": "xoxb-2", "refreshToken": "r"}}
    await api.send("PATCH", "/v1/channel-connections/slack-ada", 200, json=update)
    await api.send("PATCH", "/v1/channel-connections/slack-ada", 422, json={"workspace": {"id": "T2"}})
    await api.send("PATCH", "/v1/channel-connections/nope", 404, json=update)

    endpoint = {
        "identifier": "ada-dm",
        "subscriberId": "ada",
        "integrationIdentifier": "slack-prod",
        "connectionIdentifier": "slack-ada",
        "type": "slack_user",
        "endpoint": {"userId": "U1"},
        "context": {"tenant": "acme"},
    }
    await api.send("POST", "/v1/channel-endpoints", 201, json=endpoint)
    hook = {
        "subscriberId": "ada",
        "integrationIdentifier": "hooks",
        "type": "webhook",
        "endpoint": {"url": "x"},
    }
    await api.send("POST", "/v1/channel-endpoints", 201, json=hook)
    phone = {**hook, "identifier": "ada-phone", "type": "phone", "endpoint": {"phoneNumber": "+1"}}
    await api.send("POST", "/v1/channel-endpoints", 201, json=phone)
    await api.send("POST", "/v1/channel-endpoints", 409, json=endpoint)
    await api.send(
        "POST", "/v1/channel-endpoints", 404, json={**endpoint, "identifier": "x", "subscriberId": "no"}
    )
    await api.send(
        "POST",
        "/v1/channel-endpoints",
        404,
        json={**endpoint, "identifier": "y", "connectionIdentifier": "no"},
    )
    webex = {**endpoint, "identifier": "z", "type": "webex_person", "endpoint": {"personId": "p"}}
    await api.send("POST", "/v1/channel-endpoints", 400, json=webex)
    await api.send("POST", "/v1/channel-endpoints", 422, json={**endpoint, "endpoint": {"channelId": "C1"}})
    await api.send(
        "GET", "/v1/channel-endpoints", 200, params={"connectionIdentifier": "slack-ada", "limit": 5}
    )
    await api.send("GET", "/v1/channel-endpoints", 422, params={"channel": "fax"})
    await api.send("GET", "/v1/channel-endpoints/ada-dm", 200)
    await api.send("GET", "/v1/channel-endpoints/nope", 404)
    await api.send("PATCH", "/v1/channel-endpoints/ada-dm", 200, json={"endpoint": {"userId": "U2"}})
    await api.send("PATCH", "/v1/channel-endpoints/ada-dm", 400, json={"endpoint": {"url": "https://x"}})
    await api.send("PATCH", "/v1/channel-endpoints/nope", 404, json={"endpoint": {"userId": "U2"}})
    await api.send("DELETE", "/v1/channel-endpoints/ada-dm", 204)
    await api.send("DELETE", "/v1/channel-endpoints/ada-dm", 404)
    await api.send("DELETE", "/v1/channel-connections/slack-ada", 204)
    await api.send("DELETE", "/v1/channel-connections/slack-ada", 404)


async def agents(api: Recorder, fake: FakeNovu) -> None:
    agent = {"name": "Support", "identifier": "support", "description": "Answers tickets"}
    await api.send("POST", "/v1/agents", 201, json=agent)
    managed = {"runtime": "managed", "managedRuntime": {"providerId": "anthropic", "integrationId": "i-1"}}
    await api.send("POST", "/v1/agents", 201, json={"name": "Brain", "identifier": "brain", **managed})
    await api.send("POST", "/v1/agents", 409, json=agent)
    await api.send("POST", "/v1/agents", 422, json={"name": "Bad", "identifier": "not a slug"})
    await api.send("GET", "/v1/agents", 200, params={"identifier": "SUP", "limit": 10})
    await api.send("GET", "/v1/agents", 422, params={"orderDirection": "UP"})
    await api.send("GET", "/v1/agents/support", 200)
    await api.send("GET", "/v1/agents/nope", 404)
    changes = {"active": False, "behavior": {"acknowledgeOnReceived": True, "subscriberAccess": "open"}}
    await api.send("PATCH", "/v1/agents/support", 200, json=changes)
    await api.send("PATCH", "/v1/agents/support", 422, json={"name": "x" * 61})
    await api.send("PATCH", "/v1/agents/nope", 404, json={})
    bridge = {"bridgeUrl": "https://example.com/bridge", "devBridgeActive": False}
    await api.send("PUT", "/v1/agents/support/bridge", 200, json=bridge)
    await api.send("PUT", "/v1/agents/nope/bridge", 404, json=bridge)
    link = await api.send(
        "POST", "/v1/agents/support/integrations", 201, json={"integrationIdentifier": "slack-prod"}
    )
    await api.send("POST", "/v1/agents/support/integrations", 201, json={"providerId": "novu-email-agent"})
    await api.send(
        "POST", "/v1/agents/support/integrations", 409, json={"integrationIdentifier": "slack-prod"}
    )
    await api.send("POST", "/v1/agents/support/integrations", 422, json={})
    await api.send("POST", "/v1/agents/nope/integrations", 404, json={"integrationIdentifier": "slack-prod"})
    await api.send(
        "GET", "/v1/agents/support/integrations", 200, params={"integrationIdentifier": "slack-prod"}
    )
    await api.send("GET", "/v1/agents/nope/integrations", 404)
    links = f"/v1/agents/support/integrations/{link['_id']}"
    await api.send("PATCH", links, 200, json={"integrationIdentifier": "teams-prod"})
    await api.send("PATCH", links, 422, json={})
    await api.send("PATCH", "/v1/agents/support/integrations/nope", 404, json={"integrationIdentifier": "x"})

    conversation = fake.add_conversation("support", integration="teams-prod", subscriber_id="ada")
    reply = "/v1/agents/support/reply"
    base = {"conversationId": conversation, "integrationIdentifier": "teams-prod"}
    sent = await api.send("POST", reply, 200, json={**base, "reply": {"markdown": "Hi **Ada**"}})
    await api.send(
        "POST",
        reply,
        200,
        json={**base, "edit": {"messageId": sent["messageId"], "content": {"markdown": "Hi"}}},
    )
    signals = [
        {"type": "metadata", "key": "ticket", "value": {"n": 1}},
        {"type": "trigger", "workflowId": "order-shipped", "payload": {"order": 8}},
    ]
    answer = await api.send(
        "POST", reply, 200, json={**base, "signals": signals, "resolve": {"summary": "done"}}
    )
    assert answer is None
    await api.send("POST", reply, 400, json=base)
    await api.send("POST", reply, 400, json={**base, "error": True, "typing": "stop"})
    await api.send("POST", reply, 404, json={**base, "conversationId": "nope", "resolve": {}})
    await api.send("POST", "/v1/agents/nope/reply", 404, json={**base, "resolve": {}})
    await api.send("POST", reply, 422, json={**base, "reply": {"markdown": "a", "card": {}}})

    await api.send("DELETE", links, 204)
    await api.send("DELETE", links, 404)
    await api.send("DELETE", "/v1/agents/brain", 204, params={"deleteFromProvider": "false"})
    await api.send("DELETE", "/v1/agents/brain", 404, params={"deleteFromProvider": "false"})


async def domains(api: Recorder, fake: FakeNovu) -> None:
    created = await api.send(
        "POST", "/v1/domains", 201, json={"name": "Mail.Example.com", "data": {"team": "a"}}
    )
    assert created["name"] == "mail.example.com"
    await api.send("POST", "/v1/domains", 201, json={"name": "other.example.com"})
    await api.send("POST", "/v1/domains", 409, json={"name": "mail.example.com"})
    await api.send("POST", "/v1/domains", 422, json={"name": "not a domain"})
    await api.send("GET", "/v1/domains", 200, params={"name": "mail", "limit": 1})
    await api.send("GET", "/v1/domains", 422, params={"limit": 0})
    await api.send("GET", "/v1/domains/mail.example.com", 200)
    await api.send("GET", f"/v1/domains/{created['_id']}", 200)
    await api.send("GET", "/v1/domains/nope.example.com", 404)
    await api.send("PATCH", "/v1/domains/mail.example.com", 200, json={"data": {"team": "b"}})
    await api.send("PATCH", "/v1/domains/mail.example.com", 422, json={"data": {"n": 1}})
    await api.send("PATCH", "/v1/domains/nope.example.com", 404, json={})
    assert (await api.send("POST", "/v1/domains/mail.example.com/verify", 200))["status"] == "pending"
    await api.send("POST", "/v1/domains/mail.example.com/diagnose", 200)
    await api.send("GET", "/v1/domains/mail.example.com/auto-configure", 200)
    start = {"redirectUri": "https://example.com/back"}
    await api.send("POST", "/v1/domains/mail.example.com/auto-configure/start", 201, json=start)
    assert (await api.send("POST", "/v1/domains/mail.example.com/verify", 200))["status"] == "verified"
    await api.send("POST", "/v1/domains/mail.example.com/diagnose", 200)
    for path in ("verify", "diagnose", "auto-configure/start"):
        await api.send("POST", f"/v1/domains/nope.example.com/{path}", 404, json={})
    await api.send("GET", "/v1/domains/nope.example.com/auto-configure", 404)

    routes = "/v1/domains/mail.example.com/routes"
    await api.send("POST", routes, 201, json={"address": "support", "type": "agent", "agentId": "support"})
    await api.send("POST", routes, 201, json={"address": "*", "type": "webhook", "data": {"k": "v"}})
    await api.send("POST", routes, 409, json={"address": "support", "type": "webhook"})
    await api.send("POST", routes, 400, json={"address": "sales", "type": "agent"})
    await api.send("POST", routes, 404, json={"address": "sales", "type": "agent", "agentId": "nope"})
    await api.send("POST", routes, 422, json={"address": "a@b", "type": "webhook"})
    await api.send("GET", routes, 200, params={"agentId": "support"})
    await api.send("GET", "/v1/domains/nope.example.com/routes", 404)
    await api.send("GET", f"{routes}/support", 200)
    await api.send("GET", f"{routes}/nope", 404)
    await api.send("PATCH", f"{routes}/support", 200, json={"data": {"tier": "1"}})
    await api.send("PATCH", f"{routes}/*", 400, json={"type": "agent"})
    await api.send("PATCH", f"{routes}/nope", 404, json={})
    mail = {"from": {"address": "bob@example.org"}, "subject": "Help"}
    await api.send("POST", f"{routes}/support/test", 200, json={**mail, "dryRun": True})
    await api.send("POST", f"{routes}/support/test", 200, json=mail)
    await api.send("POST", f"{routes}/anyone/test", 200, json=mail)
    await api.send("POST", "/v1/domains/other.example.com/routes/x/test", 200, json=mail)
    await api.send("POST", f"{routes}/support/test", 422, json={"subject": "Help"})
    assert len(fake.inbound_mail) == 2
    await api.send("DELETE", f"{routes}/support", 204)
    await api.send("DELETE", f"{routes}/support", 404)
    await api.send("DELETE", "/v1/domains/mail.example.com", 204)
    await api.send("DELETE", "/v1/domains/mail.example.com", 404)


async def test_every_modelled_operation_answers_as_documented(fake: FakeNovu, api: Recorder) -> None:
    transaction_id = await events(api, fake)
    await subscribers(api)
    await preferences(api)
    await inbox(api)
    await feed(api, fake)
    await topics(api)
    await messages_and_notifications(api, fake, transaction_id)
    await workflows(api)
    await layouts(api)
    await translations(api)
    await integrations(api)
    production = await environments(api, fake)
    await variables(api, fake, production)
    await contexts(api)
    await channels(api)
    await agents(api, fake)
    await domains(api, fake)

    contract = Contract()  # its own: it counts what this test saw
    problems = [problem for response in api.answers for problem in contract.problems(response)]
    assert problems == [], "\n".join(problems)
    modelled = {operation.operation_id for operation, is_modelled in fake.operations if is_modelled}
    succeeded = {operation for operation, status in contract.seen if 200 <= status < 300}
    assert modelled - succeeded == set(), "modelled operations never answered with success"
    errors = {(operation, status) for operation, status in contract.seen if status >= 400}
    assert {status for _, status in errors} == {400, 403, 404, 409, 422}
    assert len(errors) >= 110  # (operation, error status) pairs sent above
