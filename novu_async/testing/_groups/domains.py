"""Domains (v1): inbound-email domains, their verification and DNS auto-configuration, and their
routes (``<address>@<domain>`` to a webhook or an agent), with a route test.

A domain is created ``pending`` (a fully qualified name, kept in lower case; 409 for a name taken)
with the MX record it needs (``expectedDnsRecords``). The fake has no DNS: whether that record is in
place is what ``FakeNovu.set_mx_record`` says, or what starting the auto-configuration did (the
fake's DNS provider applies the records at once). A verify sets the status from it (``verified`` or
back to ``pending``); a diagnose reports it. Domains are found by name or ``_id``. A route's address
is a local part or ``*`` (every other address); an agent route names its agent by identifier (404)
and shows the agent's ``_id``; one route per address (409). A route test finds the address's route
or the wildcard one; a dry run shows the payload, a real one records the delivery
(``FakeNovu.inbound_mail``).
"""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import quote

from .._routes import CONFIGURATION, NO_BODY, Call, Group, Result
from .._store import State
from .._store.domains import MAIL_HOST, Domain, Route
from .._wire import ApiError
from ._common import Args, Fields, conflict, cursor_page, not_found
from .agents import find_agent

__all__ = ["domain_view", "group"]

group = Group("Domains", CONFIGURATION)

MAX_DATA_KEYS: Final = 10
MAX_DATA_CHARS: Final = 500
DNS_PROVIDER: Final = ("FakeNovu DNS", "fakenovu.test")  # (name, id) of the fake's DNS provider
_LABEL: Final = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD: Final = re.compile(r"^([a-z]{2,}|xn--[a-z0-9-]{2,})$")
_LOCAL_PART: Final = re.compile(r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$", re.I)
_ROUTE_TYPES: Final = ("agent", "webhook")


def _valid_name(name: str) -> bool:
    """A fully qualified domain name: labels of letters, digits and inner hyphens, a letters TLD."""
    labels = name.split(".")
    return (
        len(name) <= 253
        and len(labels) >= 2
        and all(_LABEL.match(label) for label in labels)
        and _TLD.match(labels[-1]) is not None
    )


def _records(domain: Domain) -> list[dict[str, Any]]:
    """``ExpectedDnsRecordDto``s: the MX record the domain needs."""
    return [{"type": "MX", "name": domain.name, "content": MAIL_HOST, "ttl": "Auto", "priority": 10}]


def domain_view(state: State, domain: Domain) -> dict[str, Any]:
    """``DomainResponseDto``."""
    shown: dict[str, Any] = {
        "_id": domain.id,
        "name": domain.name,
        "status": domain.status,
        "mxRecordConfigured": domain.verified,
        "_environmentId": state.ids.environment_id,
        "_organizationId": state.ids.organization_id,
        "createdAt": domain.created_at,
        "updatedAt": domain.updated_at,
        "expectedDnsRecords": _records(domain),
    }
    if domain.data is not None:
        shown["data"] = dict(domain.data)
    return shown


def _route_view(state: State, route: Route) -> dict[str, Any]:
    """``DomainRouteResponseDto``."""
    shown: dict[str, Any] = {
        "_id": route.id,
        "_domainId": route.domain_id,
        "address": route.address,
        "type": route.type,
        "_environmentId": state.ids.environment_id,
        "_organizationId": state.ids.organization_id,
        "createdAt": route.created_at,
        "updatedAt": route.updated_at,
    }
    if route.agent_id is not None:
        shown["agentId"] = route.agent_id
    if route.data is not None:
        shown["data"] = dict(route.data)
    return shown


def _data(fields: Fields) -> dict[str, str] | None:
    """String key-value metadata: at most 10 keys and 500 characters of keys and values."""
    data = fields.obj("data")
    if data is None:
        return None
    if (
        len(data) > MAX_DATA_KEYS
        or not all(isinstance(value, str) for value in data.values())
        or sum(len(key) + len(value) for key, value in data.items()) > MAX_DATA_CHARS
    ):
        raise ApiError.invalid(
            "data",
            f"data must be an object with at most {MAX_DATA_KEYS} string keys and string values, with "
            f"combined key+value length at most {MAX_DATA_CHARS} characters.",
            None,
        )
    return dict(data)


def _domain(state: State, call: Call) -> Domain:
    key = call.params["domain"]
    found = state.domains.find(key)
    if found is None:
        raise not_found(f'Domain "{key}" not found.')
    return found


def _route(state: State, call: Call) -> tuple[Domain, Route]:
    domain = _domain(state, call)
    address = call.params["address"]
    found = domain.routes.get(address)
    if found is None:
        raise not_found(f'Route "{address}@{domain.name}" not found.')
    return domain, found


@group.operation("DomainsController_createDomain")
def create(state: State, call: Call) -> Result:
    fields = Fields(call.body)
    name: str = fields.text("name", required=True).lower()
    if not _valid_name(name):
        raise ApiError.invalid("name", "name must be a valid domain name", name)
    data = _data(fields)
    if state.domains.find(name) is not None:
        raise conflict(f'A domain with name "{name}" already exists.')
    return 201, domain_view(state, state.domains.create(name, data))


@group.operation("DomainsController_listDomains")
def list_domains(state: State, call: Call) -> Result:
    wanted = (Args(call).text("name") or "").lower()
    changed = state.domains.changed
    return 200, cursor_page(
        call,
        state.domains,
        cursor=lambda domain: domain.id,
        changed=lambda domain: changed[domain.id],
        keep=lambda domain: wanted in domain.name,
        render=lambda domain: domain_view(state, domain),
    )


@group.operation("DomainsController_getDomain")
def get(state: State, call: Call) -> Result:
    return 200, domain_view(state, _domain(state, call))


@group.operation("DomainsController_updateDomain")
def update(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    data = _data(Fields(call.body))
    if data is not None:
        domain.data = data
        state.domains.touch(domain)
    return 200, domain_view(state, domain)


@group.operation("DomainsController_deleteDomain")
def delete(state: State, call: Call) -> Result:
    state.domains.delete(_domain(state, call))
    return 204, NO_BODY


@group.operation("DomainsController_verifyDomain")
def verify(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    if domain.verified != domain.mx_record:
        domain.verified = domain.mx_record
        state.domains.touch(domain)
    return 200, domain_view(state, domain)


@group.operation("DomainsController_diagnoseDomain")
def diagnose(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    if domain.mx_record:
        statuses = {"mx_missing": "pass", "mx_wrong_target": "pass", "mx_low_priority": "pass"}
        issues = []
    else:
        statuses = {"mx_missing": "fail", "mx_wrong_target": "skipped", "mx_low_priority": "skipped"}
        issues = [
            {
                "code": "mx_missing",
                "severity": "error",
                "message": f"No MX records were found for {domain.name}.",
                "fix": f"Add an MX record pointing to {MAIL_HOST} (priority 10 is typical).",
            }
        ]
    statuses["apex_cname_collision"] = "pass"
    statuses["dnsbl_listed"] = "pass" if domain.mx_record else "skipped"
    return 200, {
        "ok": not issues,
        "runAt": state.clock.iso(),
        "checks": [{"code": code, "status": status, "latencyMs": 0} for code, status in statuses.items()],
        "issues": issues,
    }


@group.operation("DomainsController_getDomainAutoConfigure")
def auto_configure_status(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    name, provider_id = DNS_PROVIDER
    return 200, {
        "available": True,
        "providerName": name,
        "providerId": provider_id,
        "manualRecords": _records(domain),
    }


@group.operation("DomainsController_startDomainAutoConfigure")
def auto_configure_start(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    redirect = Fields(call.body).text("redirectUri") or f"https://dashboard.novu.co/domains/{domain.name}"
    domain.mx_record = True  # the fake's DNS provider applies the records at once
    name, provider_id = DNS_PROVIDER
    apply = (
        f"https://dns.{provider_id}/v2/domainTemplates/providers/novu.co/services/inbound-email/apply"
        f"?domain={quote(domain.name)}&redirect_uri={quote(redirect, safe='')}"
    )
    return 201, {"applyUrl": apply, "providerName": name, "redirectUri": redirect}


# --- routes


def _destination(state: State, kind: str, agent_identifier: str | None) -> str | None:
    """The agent ``_id`` an agent route goes to (None for a webhook route)."""
    if kind != "agent":
        return None
    if agent_identifier is None:
        raise ApiError(400, "agentId is required for agent routes.")
    return find_agent(state, agent_identifier).id


@group.operation("DomainsController_createDomainRoute")
def create_route(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    fields = Fields(call.body)
    address: str = fields.text("address", required=True)
    if address != "*" and (len(address) > 64 or not _LOCAL_PART.match(address)):
        raise ApiError.invalid(
            "address", 'address must be a valid inbox address local part, for example "hello" or "sales+vip".'
        )
    kind = fields.choice("type", _ROUTE_TYPES, required=True)
    assert kind is not None
    agent_identifier = fields.text("agentId", min_length=1)
    data = _data(fields)
    agent_id = _destination(state, kind, agent_identifier)
    if address in domain.routes:
        raise conflict(f'A {domain.routes[address].type} route for address "{address}" already exists.')
    return 201, _route_view(state, state.domains.add_route(domain, address, kind, agent_id, data))


@group.operation("DomainsController_listDomainRoutes")
def list_routes(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    agent_identifier = Args(call).text("agentId")
    agent = None if agent_identifier is None else state.agents.records.get(agent_identifier)
    changed = state.domains.changed
    return 200, cursor_page(
        call,
        domain.routes.values(),
        cursor=lambda route: route.id,
        changed=lambda route: changed[route.id],
        keep=None
        if agent_identifier is None
        else (lambda route: agent is not None and route.agent_id == agent.id),
        render=lambda route: _route_view(state, route),
    )


@group.operation("DomainsController_getDomainRoute")
def get_route(state: State, call: Call) -> Result:
    return 200, _route_view(state, _route(state, call)[1])


@group.operation("DomainsController_updateDomainRoute")
def update_route(state: State, call: Call) -> Result:
    _, route = _route(state, call)
    fields = Fields(call.body)
    kind = fields.choice("type", _ROUTE_TYPES) or route.type
    agent_identifier = fields.text("agentId", min_length=1)
    data = _data(fields)
    agent_id = None
    if kind == "agent":
        agent_id = route.agent_id if agent_identifier is None else _destination(state, kind, agent_identifier)
        if agent_id is None:
            raise ApiError(400, "agentId is required for agent routes.")
    route.type, route.agent_id = kind, agent_id
    if data is not None:
        route.data = data
    state.domains.touch(route)
    return 200, _route_view(state, route)


@group.operation("DomainsController_deleteDomainRoute")
def delete_route(state: State, call: Call) -> Result:
    domain, route = _route(state, call)
    del domain.routes[route.address]
    state.domains.changed.pop(route.id, None)
    return 204, NO_BODY


@group.operation("DomainsController_testDomainRoute")
def test_route(state: State, call: Call) -> Result:
    domain = _domain(state, call)
    address = call.params["address"]
    fields = Fields(call.body)
    sender = fields.inner("from", required=True)
    assert sender is not None
    mail = {
        "from": [{"address": sender.text("address", required=True), "name": sender.text("name") or ""}],
        "to": [{"address": f"{address}@{domain.name}", "name": ""}],
        "subject": fields.text("subject", required=True),
        "text": fields.text("text") or "",
        "html": fields.text("html") or "",
        "messageId": f"novu-test-{state.ids.object_id()}",
        "date": state.clock.iso(),
    }
    dry_run = fields.flag("dryRun") is True
    route = domain.routes.get(address) or domain.routes.get("*")
    shown: dict[str, Any] = {
        "matched": route is not None,
        "dryRun": dry_run,
        "domainStatus": domain.status,
        "mxRecordConfigured": domain.verified,
    }
    if route is None:
        return 200, shown
    payload = {"domain": domain.name, "route": _route_view(state, route), "mail": mail}
    shown["type"] = route.type
    agent = None if route.agent_id is None else state.agents.by_id(route.agent_id)
    if dry_run:
        target = f"agent {agent.identifier}" if agent is not None else "configured outbound webhooks"
        shown.update(wouldDeliverTo=target, payload=payload)
        return 200, shown
    state.domains.deliveries.append({**payload, "type": route.type, "agentId": route.agent_id})
    if route.type == "webhook":
        shown["webhook"] = {"skipped": False, "latencyMs": 0}
    else:
        shown["agent"] = {"agentId": route.agent_id or "", "httpStatus": 200, "latencyMs": 0}
    return 200, shown
