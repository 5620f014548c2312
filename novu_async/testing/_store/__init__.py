"""What a FakeNovu holds: one ``State`` made of a store per kind of resource, and the delivery that
turns accepted triggers into notifications and messages.

Stores keep records and their indexes, and know nothing of HTTP; the resource groups
(``novu_async.testing._groups``) read and change them and render what the API returns.
"""

from __future__ import annotations

from .._clock import Clock
from .agents import Agents
from .channels import Channels
from .contexts import Contexts
from .delivery import Delivery
from .domains import Domains
from .environments import Environments
from .events import Events, Kind, LedgerEntry
from .ids import Ids
from .inbox import Inbox
from .integrations import Integrations
from .layouts import Layouts
from .preferences import Preferences
from .sending import Sending
from .subscribers import Subscribers
from .tenants import Tenants
from .topics import Topics
from .translations import Translations
from .variables import Variables
from .workflows import Workflows

__all__ = ["Kind", "LedgerEntry", "State"]


class State:
    """Everything one fake holds; ``seed`` makes generated ids reproducible."""

    def __init__(self, seed: int, clock: Clock) -> None:
        self.clock = clock
        self.ids = Ids(seed)
        self.events = Events()
        self.subscribers = Subscribers(self.ids, clock)
        self.topics = Topics(self.ids, clock)
        self.workflows = Workflows(self.ids, clock)
        self.preferences = Preferences()
        self.inbox = Inbox()
        self.layouts = Layouts(self.ids, clock)
        self.translations = Translations(clock)
        self.integrations = Integrations(self.ids, clock)
        self.environments = Environments(self.ids, clock, self.workflows, self.layouts)
        self.variables = Variables(self.ids, clock)
        self.contexts = Contexts(self.ids, clock)
        self.delivery = Delivery(
            self.ids,
            clock,
            self.events,
            self.subscribers,
            self.topics,
            self.workflows,
            self.preferences,
            self.inbox,
            Sending(self.ids, self.integrations, self.layouts, self.translations, self.variables),
            contexts=self.contexts,
        )
        self.channels = Channels(self.ids, clock)
        self.domains = Domains(self.ids, clock)
        self.agents = Agents(self.ids, clock)
        self.tenants = Tenants(self.ids, clock)  # the legacy v1 API's

    def settle(self) -> None:
        """Deliver what was accepted and what has fallen due (see ``delivery``)."""
        self.delivery.settle()

    def forget_subscriber(self, subscriber_id: str) -> None:
        """A subscriber was deleted: their topic subscriptions and preferences go with them (their
        notifications and messages stay, as history)."""
        self.topics.forget_subscriber(subscriber_id)
        self.preferences.forget(subscriber_id)
