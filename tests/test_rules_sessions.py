"""Which chunks keep their durable session: the most recently used, within a rules budget."""

from __future__ import annotations

from dataclasses import dataclass, field

from stridewise.rules.sessions import Sessions


@dataclass
class FakeChunk:
    name: str
    size: int
    handle: str = ""
    rules: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.handle = f"handle-{self.name}"
        self.rules = {f"r{i}": i for i in range(self.size)}


def test_the_least_recently_used_sessions_beyond_the_budget_are_deleted() -> None:
    deleted: list[str] = []
    sessions = Sessions(10, deleted.append)
    a, b, c = FakeChunk("a", 4), FakeChunk("b", 4), FakeChunk("c", 4)
    sessions.keep(a)
    sessions.keep(b)
    sessions.keep(a)  # used again: b is now the least recently used
    sessions.keep(c)  # 12 rules > 10
    assert deleted == ["handle-b"]
    sessions.drop_all()
    assert deleted == ["handle-b", "handle-a", "handle-c"]


def test_the_chunk_just_used_keeps_its_session_even_over_the_budget() -> None:
    deleted: list[str] = []
    sessions = Sessions(3, deleted.append)
    sessions.keep(FakeChunk("big", 64))
    assert deleted == []
    sessions.keep(FakeChunk("next", 2))
    assert deleted == ["handle-big"]


def test_a_dropped_session_is_deleted_and_no_longer_counted() -> None:
    deleted: list[str] = []
    sessions = Sessions(8, deleted.append)
    a, b = FakeChunk("a", 5), FakeChunk("b", 3)
    sessions.keep(a)
    sessions.drop(a)  # a failed evaluation: its session goes at once
    sessions.keep(b)
    sessions.keep(FakeChunk("c", 5))  # 3 + 5 = 8: within the budget without a
    assert deleted == ["handle-a"]
