"""What a generated function tells the core about its operation: a constant made once at import.

Generated modules (``novu_async/funcs/*.py``) build one ``Operation`` and pass it, with the call's
values, to ``NovuCore.request``. Every decision that can be made from the document is made by the
generator and recorded here, so the core does no per-request schema work.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._types import Limits

__all__ = ["Operation", "Param", "ResponseSpec"]

BodyKind = Literal["json", "multipart"]


@attrs.frozen
class Param:
    """A path, query or header parameter: its wire name and the Python argument it comes from."""

    wire: str
    python: str
    required: bool = False
    # query arrays are sent as repeated keys: ``?severity=high&severity=low``
    explode: bool = True
    # the documented type of the value (of each item, for an array): "str", "int", "float", "bool",
    # "datetime", "enum"; "" when any value with a text form will do
    kind: str = ""
    # the document's bounds on the value (on each item and on the count, for an array)
    limits: Limits | None = None


@attrs.frozen
class ResponseSpec:
    """One documented response status.

    ``type`` is the Python type its JSON body structures into, ``None`` when the status has no body
    (or when the caller reads the JSON itself, with ``_decode.payload``: ``trigger_many`` does).
    ``unwrap`` says whether a ``{"data": ...}`` envelope around the body is removed: false only where
    the declared schema itself is an object whose only property is ``data`` (it already describes
    the wrapped body).
    """

    type: Any = None
    unwrap: bool = True


@attrs.frozen
class Operation:
    """One HTTP operation of the Novu API.

    * ``name``: the function name (``workflows_create``), used in errors and logs;
    * ``operation_id``: the document's operationId (``WorkflowController_create``);
    * ``path``: the template with wire names, ``/v2/workflows/{workflowId}``;
    * ``responses``: status (``"200"``, ``"2XX"``, ``"default"``...) -> ``ResponseSpec``, for 2XX
      statuses; ``errors``: the same for error statuses (the body type of a 422 is
      ``ValidationErrorDto``, for instance); error bodies that do not fit are kept raw.
    * ``body_type``: what a request body structures into (a model class, ``list[...]``, a union...);
      ``body_kind``: how it is encoded, ``None`` when the operation takes no body.
    """

    name: str
    operation_id: str
    method: str
    path: str
    path_params: tuple[Param, ...] = ()
    query_params: tuple[Param, ...] = ()
    header_params: tuple[Param, ...] = ()
    body_type: Any = None
    body_kind: BodyKind | None = None
    body_required: bool = False
    # the most items each top-level array property of the body may hold (``maxItems``), by wire name:
    # the chunk sizes of the bulk helpers (the check itself reads the models' ``Limits``)
    body_max_items: Mapping[str, int] = attrs.field(factory=dict)
    # bounds on the body value itself (a body that is an array...), rarely set
    body_limits: Limits | None = None
    responses: Mapping[str, ResponseSpec] = attrs.field(factory=dict)
    errors: Mapping[str, ResponseSpec] = attrs.field(factory=dict)
    # ("path" | "query" | "header", wire name) -> Param, made once: the core looks values up per request
    params_by_wire: Mapping[tuple[str, str], Param] = attrs.field(init=False, repr=False, eq=False)

    @params_by_wire.default
    def _index_params(self) -> Mapping[tuple[str, str], Param]:
        located = (("path", self.path_params), ("query", self.query_params), ("header", self.header_params))
        return {(where, p.wire): p for where, params in located for p in params}
