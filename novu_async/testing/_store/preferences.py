"""Subscribers' channel preferences: global, and per workflow.

What a channel step does for a subscriber: the subscriber's setting for that workflow and channel
when there is one, else their global setting for the channel, else the workflow's default, else
enabled. A workflow or global preference turned off (``enabled: false``) turns off every channel of
it. Critical workflows ignore subscribers' preferences, as in Novu.
"""

from __future__ import annotations

from typing import Any

import attrs

from .workflows import CHANNELS, Workflow

__all__ = ["Preference", "Preferences"]


@attrs.define(eq=False)
class Preference:
    enabled: bool = True
    channels: dict[str, bool] = attrs.Factory(dict)  # only the channels set
    schedule: dict[str, Any] | None = None
    updated_at: str | None = None


class Preferences:
    """subscriberId -> global ``Preference``; (subscriberId, workflow _id) -> workflow ``Preference``."""

    def __init__(self) -> None:
        self.global_: dict[str, Preference] = {}
        self.workflows: dict[tuple[str, str], Preference] = {}

    def of(self, subscriber_id: str) -> Preference:
        return self.global_.get(subscriber_id) or Preference()

    def of_workflow(self, subscriber_id: str, workflow: Workflow) -> Preference | None:
        return self.workflows.get((subscriber_id, workflow.id))

    def channels(self, subscriber_id: str, workflow: Workflow | None) -> dict[str, bool]:
        """Every channel -> whether this subscriber gets it (from ``workflow``; globally when None)."""
        found = self.of(subscriber_id)
        own = None if workflow is None else self.of_workflow(subscriber_id, workflow)
        result = {}
        for channel in CHANNELS:
            if own is not None and channel in own.channels:
                enabled = own.channels[channel]
            elif channel in found.channels:
                enabled = found.channels[channel]
            elif workflow is not None:
                enabled = workflow.channels.get(channel, True)
            else:
                enabled = True
            result[channel] = enabled
        return result

    def allows(self, subscriber_id: str, workflow: Workflow, channel: str) -> bool:
        if workflow.critical:
            return True
        own = self.of_workflow(subscriber_id, workflow)
        if own is not None and not own.enabled:
            return False
        if not self.of(subscriber_id).enabled:
            return False
        return self.channels(subscriber_id, workflow)[channel]

    def forget(self, subscriber_id: str) -> None:
        self.global_.pop(subscriber_id, None)
        for key in [key for key in self.workflows if key[0] == subscriber_id]:
            del self.workflows[key]
