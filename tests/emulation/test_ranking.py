from decimal import Decimal

from emulation.ranking import Entry, rank_entries


def entry(name, total, penalty=0, first=0):
    return Entry(key=name, name=name, total=Decimal(total), penalty=Decimal(penalty), first_criterion=Decimal(first))


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    ranked = rank_entries([entry("A", 90), entry("B", 95), entry("C", 90), entry("D", 80)])
    assert [(r.entry.name, r.rank) for r in ranked] == [("B", 1), ("A", 2), ("C", 2), ("D", 4)]
    assert [r.position for r in ranked] == [1, 2, 3, 4]


def test_tie_breakers_order_within_a_shared_rank_without_changing_it():
    ranked = rank_entries([
        entry("Zeta", 90, penalty=0, first=20),
        entry("Alpha", 90, penalty=1, first=30),   # more penalty points: after the others
        entry("Beta", 90, penalty=0, first=25),    # higher first criterion: before Zeta
        entry("Đà Nẵng", 90, penalty=0, first=20),  # same as Zeta: name decides (Đ before Z)
    ])
    assert [r.entry.name for r in ranked] == ["Beta", "Đà Nẵng", "Zeta", "Alpha"]
    assert {r.rank for r in ranked} == {1}


def test_all_different_and_empty():
    assert [r.rank for r in rank_entries([entry("A", 1), entry("B", 3), entry("C", 2)])] == [1, 2, 3]
    assert rank_entries([]) == []


def test_three_way_tie_after_first_place():
    ranked = rank_entries([entry("A", 100), entry("B", 50), entry("C", 50), entry("D", 50), entry("E", 10)])
    assert [r.rank for r in ranked] == [1, 2, 2, 2, 5]
