"""Messages of every channel (``/v1/messages``): list, delete one, delete a transaction's."""

from __future__ import annotations

from typing import Final

from .._routes import NO_BODY, Call, Group, Result
from .._store import State
from .._store.workflows import CHANNELS
from ._common import Args, not_found, offset_page
from ._views import message_view

__all__ = ["group"]

group = Group("Messages")

MAX_LIMIT: Final = 1000


@group.operation("MessagesController_getMessages")
def get_messages(state: State, call: Call) -> Result:
    args = Args(call)
    channel = args.choice("channel", CHANNELS)
    subscriber_id = args.text("subscriberId")
    transactions = set(args.texts("transactionId"))
    contexts = set(args.texts("contextKeys"))
    messages = [
        m
        for m in reversed(state.inbox.messages.values())
        if (channel is None or m.channel == channel)
        and (subscriber_id is None or m.notification.subscriber_id == subscriber_id)
        and (not transactions or m.notification.transaction_id in transactions)
        and (not contexts or contexts == set(m.notification.context_keys))
    ]
    return 200, offset_page(call, messages, lambda m: message_view(state, m), max_limit=MAX_LIMIT)


@group.operation("MessagesController_deleteMessage")
def delete_message(state: State, call: Call) -> Result:
    message_id = call.params["messageId"]
    message = state.inbox.messages.get(message_id)
    if message is None:
        raise not_found(f"Message with id {message_id} not found")
    state.inbox.remove_message(message)
    return 200, {"acknowledged": True, "status": "deleted"}


@group.operation("MessagesController_deleteMessagesByTransactionId")
def delete_transaction_messages(state: State, call: Call) -> Result:
    transaction_id = call.params["transactionId"]
    channel = Args(call).choice("channel", CHANNELS)
    doomed = [
        m
        for n in state.inbox.by_transaction.get(transaction_id, [])
        for job in n.jobs
        if (m := job.message) is not None
        and m.id in state.inbox.messages
        and (channel is None or m.channel == channel)
    ]
    if not doomed:
        raise not_found(f"Message with transactionId {transaction_id} not found")
    for message in doomed:
        state.inbox.remove_message(message)
    return 204, NO_BODY
