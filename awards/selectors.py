"""Reads of the awards register. ``school_awards`` is what the school's register page, its Excel
export and the reports use, so a school's awards read the same everywhere."""

from collections import defaultdict

from awards.models import Award, AwardKind, ConferringLevel


def academy_conferred_codes() -> set[str]:
    """Codes of the award kinds the Academy's Director confers: the only ones a cluster proposes."""
    return set(AwardKind.objects.filter(level=ConferringLevel.ACADEMY_DIRECTOR, active=True).values_list("code", flat=True))


def absorbed_schools(school) -> dict[int, object]:
    """Every school merged into ``school``, directly or through a chain of mergers: {pk: school}."""
    from schools.models import School

    found: dict[int, object] = {}
    frontier = [school.pk]
    while frontier:
        batch = list(School.objects.filter(merged_into_id__in=frontier).exclude(pk__in=[school.pk, *found]))
        found.update({s.pk: s for s in batch})
        frontier = [s.pk for s in batch]
    return found


def school_awards(school, year=None, *, include_absorbed=True):
    """The school's awards (and its staff's), with those of the schools it absorbed; each row has
    ``absorbed`` (True for an absorbed school's award). Newest year first."""
    ids = [school.pk]
    if include_absorbed:
        ids += list(absorbed_schools(school))
    queryset = (
        Award.objects.filter(school_id__in=ids)
        .select_related("school", "staff", "kind", "proposal__cluster_year__cluster")
        .order_by("-year", "kind__order", "decision_date", "pk")
    )
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset


def awards_by_year(school, year=None) -> list[dict]:
    """``school_awards`` grouped by year: [{"year": 2023, "awards": [award, …]}, …] newest first;
    each award carries ``absorbed``."""
    groups: dict[int, list] = defaultdict(list)
    for award in school_awards(school, year):
        award.absorbed = award.school_id != school.pk
        groups[award.year].append(award)
    return [{"year": y, "awards": groups[y]} for y in sorted(groups, reverse=True)]


def award_labels(schools, year: int) -> dict[int, list[str]]:
    """For reports: per school, the labels of the awards it (or a school it absorbed) received for
    ``year``, e.g. "Bằng khen của Giám đốc Học viện — 15-QĐ/HVCTQG (10/01/2024)". Two queries plus
    one per merger level."""
    result: dict[int, list[str]] = {s.pk: [] for s in schools}
    owner = {s.pk: s.pk for s in schools}
    for school in schools:
        for pk in absorbed_schools(school):
            owner.setdefault(pk, school.pk)
    rows = (Award.objects.filter(school_id__in=list(owner), year=year).select_related("kind", "staff", "school")
            .order_by("kind__order", "decision_date", "pk"))
    for award in rows:
        label = f"{award.kind.name} — {award.decision_number} ({award.decision_date:%d/%m/%Y})"
        if award.staff_id:
            label = f"{award.staff.full_name}: {label}"
        if award.school_id != owner[award.school_id]:
            label = f"{award.school}: {label}"
        result[owner[award.school_id]].append(label)
    return result


def collective_award_labels(schools, year: int) -> dict[int, list[str]]:
    """For the year-end reports: per school, the awards the school itself (not its staff) received
    for ``year``, of every level — state, government, province, Academy, cluster — from the register
    (an approved cluster proposal is entered in it on approval, ``emulation.services``). A school
    absorbed by another keeps its own row in the years it existed, so its awards are not added to its
    successor's here. One query, whatever the number of schools."""
    school_ids = [getattr(s, "pk", s) for s in schools]
    result: dict[int, list[str]] = {pk: [] for pk in school_ids}
    for award in (Award.objects.filter(school_id__in=school_ids, year=year, staff__isnull=True)
                  .select_related("kind").order_by("kind__order", "decision_date", "pk")):
        result[award.school_id].append(f"{award.kind.name} ({award.decision_number}, {award.decision_date:%d/%m/%Y})")
    return result
