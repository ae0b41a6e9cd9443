"""Module tables: bounded, and every one of them emptied by `clear_all`."""

from __future__ import annotations

from stridewise import constraints, context, response, tables
from stridewise.planning import prescribe, schedule, season, sessions
from stridewise.rules import translate


def test_a_full_table_is_emptied_before_it_takes_a_new_entry() -> None:
    table: tables.Table[str, int] = tables.Table(2)
    assert table.put("a", 1) == 1 and table.put("b", 2) == 2
    assert table.put("c", 3) == 3
    assert table == {"c": 3}


def test_clear_all_empties_every_module_table_the_planner_keeps() -> None:
    kept = [context._CALENDAR, response._RULE_PARTS, schedule._TIES, constraints._PARAMS,
            prescribe._MATCHERS,
            schedule._PROTOCOL_WEEKS, season._LAYOUTS, season._KINDS, sessions._FIRST,
            translate._STRING_TEXTS]
    for number, table in enumerate(kept):
        assert isinstance(table, tables.Table)
        table.put(("test", number), None)  # type: ignore[arg-type]
    tables.clear_all()
    assert all(("test", n) not in t for n, t in enumerate(kept))
