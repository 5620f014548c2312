"""Error answers (status -> body type) of 3 operations of Fixture API 0.0.1, written once.

The ``OPERATION`` of ``people_list``, ``people_create``, ``people_tags_remove`` takes them as
``errors=``. Each distinct map has a module of its own, so importing an operation loads the
models of its own error answers and no others. Do not edit: `make generate` rewrites this file.
"""

from __future__ import annotations

from fixture_api.models.person import Person

from novu_async._operation import ResponseSpec

__all__ = ["ERRORS"]

ERRORS: dict[str, ResponseSpec] = {
    "400": ResponseSpec(Person),
    "429": ResponseSpec(str),
}
