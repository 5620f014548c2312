"""The resource groups FakeNovu models: one module each (a large group may take several), each a
``Group`` of handlers registered by operationId. ``GROUPS`` is what the router is built from; an
operation of the document that no group registers answers 501. See docs/fakenovu.md, "How to add a
resource group"."""

from __future__ import annotations

from .._routes import Group
from . import (
    activity,
    agent_replies,
    agents,
    channel_connections,
    channel_endpoints,
    contexts,
    domains,
    environments,
    events,
    feed,
    inbox,
    integrations,
    layouts,
    legacy,
    messages,
    notifications,
    preferences,
    subscribers,
    topics,
    translations,
    variables,
    workflows,
)

__all__ = ["GROUPS"]

GROUPS: tuple[Group, ...] = (
    events.group,
    subscribers.group,
    inbox.group,
    feed.group,
    preferences.group,
    topics.group,
    messages.group,
    notifications.group,
    activity.group,
    workflows.group,
    layouts.group,
    translations.group,
    integrations.group,
    environments.group,
    variables.group,
    contexts.group,
    channel_connections.group,
    channel_endpoints.group,
    domains.group,
    agents.group,
    agent_replies.group,
    legacy.group,
)
