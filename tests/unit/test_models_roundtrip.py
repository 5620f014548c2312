"""Every component schema of the current document: valid JSON in, equal JSON out."""

from __future__ import annotations

import enum
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import novu_async.models as models
from novu_async._serde import structure, unstructure
from tests.support.strategies import SchemaStrategies

from .conftest import current_document, schema_classes

SCHEMAS = sorted(current_document()["components"]["schemas"])
strategies = SchemaStrategies(current_document())


def test_every_component_schema_has_a_class() -> None:
    assert len(SCHEMAS) == 441
    assert sorted(schema_classes()) == SCHEMAS


@pytest.mark.parametrize("schema", SCHEMAS)
@settings(
    max_examples=int(os.environ.get("ROUND_TRIP_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_round_trip(schema: str, data: st.DataObject) -> None:
    cls: Any = getattr(models, schema_classes()[schema])
    unknown_enums = not issubclass(cls, enum.Enum)  # a bare enum class is closed; fields are `Enum | str`
    value = data.draw(strategies.for_ref(f"#/components/schemas/{schema}", unknown_enums=unknown_enums))
    obj = structure(value, cls, what=schema)
    assert unstructure(obj) == value
