"""Ranking of a cluster year from final scores — a pure function, no database.

Schools are ranked by final score. Equal scores are separated only by the **cluster's own
tie-break rule**, stated in the scoring scheme of the cluster year (``ClusterYear.tie_break``): an
ordered list of steps the cluster chose from

- ``penalty``: fewer deductions (penalty points);
- ``criterion:<code>``: the higher score in the named top-level criterion of the scheme;
- ``vote``: the meeting's vote — it cannot be computed, so the schools still level when the rule
  reaches it are left tied for the meeting to decide.

The school's name never decides anything. Schools the rule cannot separate share a rank (standard
competition ranking: 1, 2, 2, 4) and are flagged ``tied``: the tie is shown for the meeting to decide.
"""

from dataclasses import dataclass, field
from decimal import Decimal

PENALTY = "penalty"
VOTE = "vote"
CRITERION = "criterion:"


@dataclass(frozen=True)
class Entry:
    key: object
    name: str
    total: Decimal
    penalty: Decimal = Decimal(0)
    criteria: dict = field(default_factory=dict, hash=False, compare=False)  # {top-level code: points}


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int
    position: int  # 1-based place in the ordered list
    tied: bool = False  # level with another school after the whole rule: for the meeting to decide


def criterion_code(step: str) -> str | None:
    return step[len(CRITERION):] if step.startswith(CRITERION) else None


def sort_key(entry: Entry, rule) -> tuple:
    parts = [-entry.total]
    for step in rule:
        if step == PENALTY:
            parts.append(entry.penalty)
        elif step == VOTE:
            break  # the meeting's vote: nothing after it can be computed
        elif criterion_code(step) is not None:
            parts.append(-entry.criteria.get(criterion_code(step), Decimal(0)))
    return tuple(parts)


def rank_entries(entries: list[Entry], rule=()) -> list[Ranked]:
    keyed = [(sort_key(entry, rule), index, entry) for index, entry in enumerate(entries)]
    keyed.sort(key=lambda item: (item[0], item[1]))  # level schools keep the given order: never by name
    counts: dict[tuple, int] = {}
    for key, _index, _entry in keyed:
        counts[key] = counts.get(key, 0) + 1
    result: list[Ranked] = []
    previous = None
    for position, (key, _index, entry) in enumerate(keyed, start=1):
        rank = result[-1].rank if result and previous == key else position
        result.append(Ranked(entry=entry, rank=rank, position=position, tied=counts[key] > 1))
        previous = key
    return result
