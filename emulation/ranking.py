"""Ranking of a cluster year from final scores — a pure function, no database.

Tie rule (standard competition ranking): schools with equal totals share a rank and the next rank
skips, e.g. 1, 2, 2, 4.
Tie-breaker order, used only to order schools *within* a shared rank (it never changes the rank):
1. fewer penalty points;
2. higher score in the first criterion of the scheme;
3. school name in Vietnamese alphabetical order.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.vietnamese import fold

TIE_BREAKERS = (_("fewer penalty points"), _("higher score in the first criterion"), _("school name"))


@dataclass(frozen=True)
class Entry:
    key: object
    name: str
    total: Decimal
    penalty: Decimal = Decimal(0)
    first_criterion: Decimal = Decimal(0)


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int
    position: int  # 1-based place in the ordered list


def rank_entries(entries: list[Entry]) -> list[Ranked]:
    ordered = sorted(entries, key=lambda e: (-e.total, e.penalty, -e.first_criterion, fold(e.name), e.name))
    result: list[Ranked] = []
    for position, entry in enumerate(ordered, start=1):
        rank = result[-1].rank if result and result[-1].entry.total == entry.total else position
        result.append(Ranked(entry=entry, rank=rank, position=position))
    return result
