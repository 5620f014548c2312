"""An agent's reply into one of its conversations (``POST /v1/agents/{agentId}/reply``).

The conversation must exist and belong to the agent (404; the fake's conversations are seeded with
``FakeNovu.add_conversation``). What one reply may do, as the document lists it: ``reply`` (markdown,
a card or a tool-approval card, with files) or ``edit`` (a delivered message), ``deleteMessages``,
``addReactions``, ``typing``, ``resolve`` (status ``resolved``), ``signals`` (conversation metadata
set, delete, clear, up to 64 KiB; or a workflow trigger, to the conversation's subscriber unless the
signal names recipients: a trigger like any other, in the ledger and delivered), ``toolResults``,
``toolApprovalRequest``, or ``error: true`` alone. ``edit`` goes with none of the others (400), and
a reply that asks for nothing is a 400. The answer is ``{messageId, platformThreadId}`` when a message
was delivered or edited, else null.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

from .._routes import GLOBAL, Call, Group, Result
from .._store import State
from .._store.agents import Conversation
from .._wire import ApiError
from ._common import Fields, not_found
from .agents import find_agent
from .events import check_trigger, trigger_for

__all__ = ["group"]

group = Group("Agents", GLOBAL)  # the reply controller has no rate-limit category of its own

MAX_FILES: Final = 15
MAX_METADATA_BYTES: Final = 64 * 1024
_KEY: Final = re.compile(r"^[A-Za-z0-9_:-]{1,128}$")
_CONTENT: Final = ("markdown", "card", "toolApprovalCard")
_ACTIONS: Final = (
    "reply",
    "edit",
    "resolve",
    "signals",
    "toolResults",
    "toolApprovalRequest",
    "addReactions",
    "deleteMessages",
    "typing",
)


def _content(fields: Fields) -> dict[str, Any]:
    """A reply's or an edit's content: exactly one of markdown, card, toolApprovalCard; files."""
    given = [name for name in _CONTENT if name in fields]
    if len(given) != 1:
        raise ApiError.invalid(
            fields.prefix.rstrip("."), "give exactly one of markdown, card or toolApprovalCard", None
        )
    if given[0] == "markdown":
        fields.text("markdown", required=True)
    else:
        fields.obj(given[0], required=True)
    for index, item in enumerate(fields.array("files", max_items=MAX_FILES) or ()):
        file = Fields(item, f"{fields.prefix}files.{index}.")
        file.text("filename", required=True)
        file.text("mimeType")
        if ("data" in file) == ("url" in file):
            raise ApiError.invalid(f"{file.prefix}data", "give exactly one of data or url", None)
        file.text("data")
        file.text("url")
    return dict(fields.body)


def _message(conversation: Conversation, message_id: str) -> dict[str, Any]:
    found = next((m for m in conversation.messages if m["messageId"] == message_id), None)
    if found is None:
        raise not_found(f"Message {message_id} not found in conversation {conversation.id}")
    return found


def _metadata(fields: Fields, index: int, metadata: dict[str, Any]) -> None:
    action = fields.choice("action", ("set", "delete", "clear")) or "set"
    if action == "clear":
        metadata.clear()
        return
    key = fields.text("key", required=True)
    if not _KEY.match(key):
        raise ApiError.invalid(f"signals.{index}.key", "key must be 1-128 letters, digits, -, _ or :", key)
    if action == "delete":
        metadata.pop(key, None)
        return
    if "value" not in fields:
        raise ApiError.invalid(f"signals.{index}.value", "value should not be empty", None)
    metadata[key] = fields.body["value"]


def _signals(fields: Fields, conversation: Conversation) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The metadata after the signals (checked, at most 64 KiB) and the triggers they ask for."""
    metadata = dict(conversation.metadata)
    triggers = []
    for index, item in enumerate(fields.array("signals") or ()):
        signal = Fields(item, f"signals.{index}.")
        if signal.choice("type", ("metadata", "trigger"), required=True) == "metadata":
            _metadata(signal, index, metadata)
            continue
        to = signal.body.get("to", conversation.subscriber_id)
        if to is None:
            raise ApiError(400, "A trigger signal needs `to` when the conversation has no subscriber")
        name = signal.text("workflowId", required=True)
        triggers.append({"name": name, "to": to, "payload": signal.obj("payload") or {}})
    if len(json.dumps(metadata, separators=(",", ":")).encode()) > MAX_METADATA_BYTES:
        raise ApiError(400, "Conversation metadata exceeds 64KB limit")
    return metadata, triggers


def _checked(fields: Fields, conversation: Conversation) -> None:
    """The combinations the document forbids, and the messages a reply names (before any change)."""
    asked = [name for name in _ACTIONS if fields.body.get(name) is not None]
    if fields.body.get("error") is True:
        if asked:
            raise ApiError(400, "error cannot be combined with other actions")
        return
    if not asked:
        raise ApiError(400, f"At least one of {', '.join(_ACTIONS)} or error must be provided")
    if "edit" in asked and len(asked) > 1:
        raise ApiError(400, "edit cannot be combined with other actions")
    for name in ("deleteMessages", "addReactions"):
        for index, item in enumerate(fields.array(name) or ()):
            inner = Fields(item, f"{name}.{index}.")
            _message(conversation, inner.text("messageId", required=True))
            if name == "addReactions":
                inner.text("emojiName", required=True)


@group.operation("AgentReplyController_handleAgentReplyHandler")
def reply(state: State, call: Call) -> Result:
    agent = find_agent(state, call.params["agentId"])
    fields = Fields(call.body)
    conversation_id = fields.text("conversationId", required=True)
    fields.text("integrationIdentifier", required=True)
    conversation = state.agents.conversations.get(conversation_id)
    if conversation is None or conversation.agent_identifier != agent.identifier:
        raise not_found(f"Conversation {conversation_id} not found")
    _checked(fields, conversation)
    activity = conversation.activity
    if fields.body.get("error") is True:
        activity.append({"type": "error"})
        return 200, None
    delivered = None
    edit = fields.inner("edit")
    if edit is not None:
        message = _message(conversation, edit.text("messageId", required=True))
        replacement = edit.inner("content", required=True)
        assert replacement is not None
        message["content"] = _content(replacement)
        message["edited"] = True
        activity.append({"type": "edit", "messageId": message["messageId"]})
        return 200, {"messageId": message["messageId"], "platformThreadId": conversation.platform_thread_id}
    given = fields.inner("reply")
    content = None if given is None else _content(given)
    approval = fields.inner("toolApprovalRequest")
    if approval is not None:
        for name in ("approvalId", "toolCallId", "name"):
            approval.text(name, required=True)
    for index, item in enumerate(fields.array("toolResults") or ()):
        Fields(item, f"toolResults.{index}.").text("toolCallId", required=True)
    metadata, triggers = _signals(fields, conversation)
    for index, event in enumerate(triggers):
        check_trigger(state, event, f"signals.{index}")
    typing = fields.body.get("typing")
    if typing is not None and typing != "stop":
        Fields(typing, "typing.").text("status")
    resolve = fields.inner("resolve")
    summary = None if resolve is None else resolve.text("summary")
    # everything is checked: from here on nothing refuses the request
    for item in fields.body.get("toolResults") or ():
        activity.append({"type": "toolResult", **item})
    if approval is not None:
        activity.append({"type": "toolApprovalRequest", **approval.body})
    if content is not None:
        delivered = state.agents.message_id()
        conversation.messages.append({"messageId": delivered, "content": content, "edited": False})
        activity.append({"type": "reply", "messageId": delivered})
    for item in fields.body.get("deleteMessages") or ():
        _message(conversation, item["messageId"])["deleted"] = True
        activity.append({"type": "delete", "messageId": item["messageId"]})
    for item in fields.body.get("addReactions") or ():
        _message(conversation, item["messageId"]).setdefault("reactions", []).append(item["emojiName"])
        activity.append({"type": "reaction", **item})
    if fields.array("signals"):
        conversation.metadata = metadata
        activity.append({"type": "metadata", "metadata": dict(metadata)})
    for event in triggers:
        ack = trigger_for(state, call, event)
        activity.append({"type": "trigger", "workflowId": event["name"], "status": ack["status"]})
    if typing is not None:
        status = typing if isinstance(typing, str) else typing.get("status")
        activity.append({"type": "typing", "status": status})
    if resolve is not None:
        conversation.status, conversation.summary = "resolved", summary
        activity.append({"type": "resolve", "summary": summary})
    if delivered is None:
        return 200, None
    return 200, {"messageId": delivered, "platformThreadId": conversation.platform_thread_id}
