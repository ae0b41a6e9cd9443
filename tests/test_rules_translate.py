"""The fact text the durable backend sends: each key's specialised encoder writes exactly what
`fact_value` then `json_text` write, for any value a fact may hold."""

from __future__ import annotations

import enum
from types import MappingProxyType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from stridewise.rules.evaluate import MISSING
from stridewise.rules.translate import encoder, fact_value, json_text

# Every tag an encoder specialises. The others (item witnesses, slots) are encoded by
# `fact_value` then `json_text` themselves, which is what this test compares with.
TAGS = ["number", "string", "boolean", "exists", "nonempty", "list:number", "list:string",
        "list:boolean"]


class Level(enum.IntEnum):
    LOW = 1


class Name(str):
    pass


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True),
    st.sampled_from([1e-05, 5e-324, 1e300, -0.0, float("inf")]), st.text(max_size=6),
    st.sampled_from(['"quoted"', "back\\slash", "tab\t", "naïve", "\u2028", Name("sub"),
                     Level.LOW]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["b", "c"]), inner, max_size=2),
), max_leaves=8)


def expected(facts: Any, parts: tuple[str, ...], tag: str) -> Any:
    value = fact_value(facts, parts, tag)
    return value if value is MISSING else json_text(value)


@settings(max_examples=3000, deadline=None)
@given(VALUES, st.sampled_from(TAGS), st.sampled_from(["top", "nested", "projected", "proxy"]))
def test_each_encoder_writes_what_fact_value_and_json_text_write(
    value: Any, tag: str, shape: str
) -> None:
    if shape == "top":
        facts, parts = {"a": value}, ("a",)
    elif shape == "nested":
        facts, parts = {"a": {"b": value}}, ("a", "b")
    elif shape == "projected":  # a list on the way projects the path over its items
        facts, parts = {"a": [{"b": value}, {"b": value}, {}]}, ("a", "b")
    else:  # an item of a list that is a Mapping but not a dict
        facts, parts = MappingProxyType({"a": value}), ("a",)
    assert encoder(parts, tag)(facts) == expected(facts, parts, tag)
