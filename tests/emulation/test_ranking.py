from decimal import Decimal

from emulation.ranking import Entry, rank_entries


def entry(name, total, penalty=0, **criteria):
    return Entry(key=name, name=name, total=Decimal(total), penalty=Decimal(penalty),
                 criteria={code: Decimal(points) for code, points in criteria.items()})


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    ranked = rank_entries([entry("A", 90), entry("B", 95), entry("C", 90), entry("D", 80)])
    assert [(r.entry.name, r.rank, r.tied) for r in ranked] == [
        ("B", 1, False), ("A", 2, True), ("C", 2, True), ("D", 4, False)]
    assert [r.position for r in ranked] == [1, 2, 3, 4]


def test_the_clusters_rule_breaks_ties_in_its_order():
    entries = [
        entry("Zeta", 90, penalty=0, I=20),
        entry("Alpha", 90, penalty=1, I=30),
        entry("Beta", 90, penalty=0, I=25),
    ]
    ranked = rank_entries(entries, ["penalty", "criterion:I"])
    assert [(r.entry.name, r.rank, r.tied) for r in ranked] == [("Beta", 1, False), ("Zeta", 2, False),
                                                                ("Alpha", 3, False)]
    # another cluster puts the criterion first
    ranked = rank_entries(entries, ["criterion:I", "penalty"])
    assert [r.entry.name for r in ranked] == ["Alpha", "Beta", "Zeta"]


def test_a_tie_the_rule_cannot_break_is_a_tie_never_decided_by_the_name():
    # Đà Nẵng and Zeta are level on everything the rule looks at: neither name nor input order decides
    for order in ([entry("Zeta", 90, I=20), entry("Đà Nẵng", 90, I=20)], [entry("Đà Nẵng", 90, I=20),
                                                                          entry("Zeta", 90, I=20)]):
        ranked = rank_entries(order + [entry("Alpha", 90, penalty=2, I=20)], ["penalty", "criterion:I"])
        assert {(r.entry.name, r.rank, r.tied) for r in ranked[:2]} == {("Zeta", 1, True), ("Đà Nẵng", 1, True)}
        assert (ranked[2].entry.name, ranked[2].rank, ranked[2].tied) == ("Alpha", 3, False)


def test_the_meetings_vote_ends_what_can_be_computed():
    entries = [entry("A", 90, penalty=1, I=20), entry("B", 90, penalty=0, I=10)]
    ranked = rank_entries(entries, ["vote", "penalty"])  # the vote comes first: the meeting decides
    assert [(r.rank, r.tied) for r in ranked] == [(1, True), (1, True)]


def test_all_different_and_empty():
    assert [r.rank for r in rank_entries([entry("A", 1), entry("B", 3), entry("C", 2)])] == [1, 2, 3]
    assert rank_entries([]) == []


def test_three_way_tie_after_first_place():
    ranked = rank_entries([entry("A", 100), entry("B", 50), entry("C", 50), entry("D", 50), entry("E", 10)])
    assert [r.rank for r in ranked] == [1, 2, 2, 2, 5]
