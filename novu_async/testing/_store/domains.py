"""Inbound-email domains and their routes, by name and by address.

A domain is ``pending`` until a verify finds its MX record pointing to the fake's mail host
(``MAIL_HOST``); the fake has no DNS, so whether the record is in place is a flag a test sets
(``FakeNovu.set_mx_record``) or a DNS auto-configuration sets (the fake's DNS provider applies the
records as soon as it is started). Each address of a domain (a local part, or ``*`` for every other
one) has at most one route, to a webhook or to an agent (by the agent's ``_id``). Deleting a domain
deletes its routes. Test deliveries through a route are kept in ``deliveries``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

import attrs

from .._clock import Clock
from .ids import Ids

__all__ = ["MAIL_HOST", "Domain", "Domains", "Route"]

MAIL_HOST: Final = "mail.fakenovu.test"  # where a domain's MX record must point


@attrs.define(eq=False)
class Route:
    id: str
    domain_id: str
    address: str  # the local part, or "*"
    type: str  # "agent" or "webhook"
    agent_id: str | None  # the destination agent's _id (agent routes)
    data: dict[str, str] | None
    created_at: str
    updated_at: str


@attrs.define(eq=False)
class Domain:
    id: str
    name: str
    created_at: str
    updated_at: str
    data: dict[str, str] | None = None
    verified: bool = False  # the status a verify found
    mx_record: bool = False  # what the fake's DNS says: the MX record points to MAIL_HOST
    routes: dict[str, Route] = attrs.Factory(dict)  # address -> route, in creation order

    @property
    def status(self) -> str:
        return "verified" if self.verified else "pending"


class Domains:
    """name -> ``Domain``, in creation order; ``changed`` orders domains and routes by last change."""

    def __init__(self, ids: Ids, clock: Clock) -> None:
        self._ids = ids
        self._clock = clock
        self.records: dict[str, Domain] = {}
        self.changed: dict[str, int] = {}  # domain or route id -> change counter
        self.deliveries: list[dict[str, Any]] = []  # what route tests delivered, oldest first
        self._changes = 0

    def __iter__(self) -> Iterator[Domain]:
        return iter(self.records.values())

    def find(self, key: str) -> Domain | None:
        """A domain by name (any case) or by ``_id``."""
        found = self.records.get(key.lower())
        return found if found is not None else next((d for d in self if d.id == key), None)

    def create(self, name: str, data: dict[str, str] | None) -> Domain:
        now = self._clock.iso()
        made = Domain(self._ids.object_id(), name, now, now, data=data)
        self.records[name] = made
        self.touch(made)
        return made

    def delete(self, domain: Domain) -> None:
        del self.records[domain.name]
        for route in domain.routes.values():
            self.changed.pop(route.id, None)
        self.changed.pop(domain.id, None)

    def add_route(
        self, domain: Domain, address: str, kind: str, agent_id: str | None, data: dict[str, str] | None
    ) -> Route:
        now = self._clock.iso()
        made = Route(self._ids.object_id(), domain.id, address, kind, agent_id, data, now, now)
        domain.routes[address] = made
        self.touch(made)
        return made

    def touch(self, record: Domain | Route) -> None:
        record.updated_at = self._clock.iso()
        self._changes += 1
        self.changed[record.id] = self._changes
