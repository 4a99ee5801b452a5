"""The sheets of the cluster and national summaries: one sheet per section of headline figures
(one row per school of the year, with subtotals and a total as live SUMs), the figures by kind of
school, the cluster ranking, the standard-school picture.
"""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import figures, frozen
from reports.clusters import school_cluster_map
from reports.sheets import Sheet, cached_figures, label, level_text
from reports.writer import Column, SubtotalRow, TotalRow
from schools.models import Region, School


def school_name(school, year: int) -> str:
    """The school's name in ``year``, with a note when it was merged during the year."""
    name = getattr(school, "name_in_year", None) or school.name
    if school.merged_on and school.merged_on.year == year:
        successor = (school.merged_into.short_name or school.merged_into.name) if school.merged_into_id else ""
        return _("%(name)s (merged into %(successor)s on %(date)s)") % {
            "name": name, "successor": successor, "date": school.merged_on.strftime("%d/%m/%Y"),
        }
    return name


def name_width(scope, least: int = 30, most: int = 80) -> int:
    """The width of the school-name column from its content: the longest name of the year (with its
    merger note) on one line, so that no row prints on two lines (widths are ~1.2 characters of
    Times New Roman per unit); bounded so that a very long name wraps rather than shrinking the page."""
    key = f"name-width-{least}-{most}"
    if key not in scope.cache:
        longest = max((len(school_name(school, scope.year)) for school in scope.schools), default=0)
        scope.cache[key] = max(least, min(most, round(longest / 1.2) + 2))
    return scope.cache[key]


def _figure_column(figure) -> Column:
    if figure.key == "level_recognised":
        return Column(label(figure.label), width=18)
    kind = "percent" if figure.type == "percent" else figure.type
    return Column(label(figure.label) + (f" ({figure.unit})" if figure.unit and figure.unit != "%" else ""), kind, width=13)


def _values(section, data: dict, school) -> list:
    values = data[section.key].get(school.pk, {})
    row = []
    for figure in section.figures:
        if figure.key == "level_recognised":
            row.append(level_text(values))
        elif section.key == "compliance" and not values.get("applies", True):
            row.append(None)
        else:
            row.append(values.get(figure.key))
    return row


def _totals(section, data: dict, schools) -> list:
    total = figures.totals(section, [data[section.key].get(school.pk, {}) for school in schools])
    return [total.get(figure.key) for figure in section.figures]


def _region_label(region: str) -> str:
    return label(Region(region).label) if region in Region.values else label(_("no region"))


def section_sheet(section, *, national: bool, number: int) -> Sheet:
    """One row per school with the figures of ``section``. National: ordered by region, then
    cluster, then province, with a subtotal per region; cluster: in rank order. Then the total."""

    def columns(scope):
        head = [Column(_("No."), "int", width=5), Column(_("School"), width=name_width(scope))]
        if national:
            head.append(Column(_("Emulation cluster"), width=24))
        return head + [_figure_column(figure) for figure in section.figures]

    def ordered_groups(scope):
        if not national:
            emulation = cached_figures(scope)["emulation"]
            ranked = sorted(scope.schools, key=lambda s: (emulation[s.pk]["rank"] is None, emulation[s.pk]["rank"] or 0))
            return [(None, ranked)], {}
        clusters = school_cluster_map(scope.schools, scope.year)
        groups = defaultdict(list)
        for school in scope.schools:  # already by region, then province (selectors.national_order)
            groups[school.region].append(school)
        for region in groups:
            groups[region].sort(key=lambda s: (clusters[s.pk].name if s.pk in clusters else "\uffff"))
        return list(groups.items()), clusters

    def rows(scope):
        data = cached_figures(scope)
        groups, clusters = ordered_groups(scope)
        number = 0
        for region, schools in groups:
            for school in schools:
                number += 1
                head = [number, school_name(school, scope.year)]
                if national:
                    head.append(clusters[school.pk].name if school.pk in clusters else "")
                yield (*head, *_values(section, data, school))
            if national:
                title = _("Subtotal: %(region)s") % {"region": _region_label(region)}
                yield SubtotalRow(("", title, "", *_totals(section, data, schools)))
        yield TotalRow(("", _("Total"), *([""] if national else []), *_totals(section, data, scope.schools)))

    title = _("%(section)s by school") % {"section": label(section.title)}
    return Sheet(f"summary_{section.key}", title, columns, rows, lambda scope: len(scope.schools) + 8,
                 tab=label(section.title))


def summary_sheets(*, national: bool) -> list[Sheet]:
    return [section_sheet(section, national=national, number=i) for i, section in enumerate(figures.sections())]


def cluster_ranking_sheet() -> Sheet:
    """The cluster's schools in rank order with score and the awards of the year."""

    def rows(scope):
        emulation = cached_figures(scope)["emulation"]
        ranked = sorted(scope.schools, key=lambda s: (emulation[s.pk]["rank"] is None, emulation[s.pk]["rank"] or 0))
        for number, school in enumerate(ranked, start=1):
            entry = emulation[school.pk]
            yield (number, school_name(school, scope.year), entry["final_score"], entry["rank"],
                   "; ".join(entry["awards"]))

    return Sheet(
        "ranking",
        gettext_lazy("Cluster ranking"),
        lambda scope: [
            Column(_("No."), "int", width=5), Column(_("School"), width=38), Column(_("Final score"), "decimal", width=10),
            Column(_("Ranking"), "int", width=9), Column(_("Awards"), width=40),
        ],
        rows,
    )


def by_kind_sheet() -> Sheet:
    """The summed figures by kind of school (kinds as columns, a SUM column for all schools)."""

    def kinds(scope):
        present = {school.kind for school in scope.schools}
        return [(kind, text) for kind, text in School.Kind.choices if kind in present]

    def columns(scope):
        present = kinds(scope)
        return [
            Column(_("No."), "int", width=5), Column(_("Indicator"), width=40), Column(_("Unit"), width=10),
            *(Column(label(text), "value", width=13) for _kind, text in present),
            Column(_("National total"), "value", width=13, sum_of=(3, 2 + len(present)) if present else None),
        ]

    def rows(scope):
        data = cached_figures(scope)
        groups = defaultdict(list)
        for school in scope.schools:
            groups[school.kind].append(school)
        present = [kind for kind, _text in kinds(scope)]
        number = 1
        yield (number, _("Number of schools"), _("school"), *(len(groups[k]) for k in present), len(scope.schools))
        for section in figures.sections():
            by_kind = {k: figures.totals(section, [data[section.key].get(s.pk, {}) for s in groups[k]]) for k in present}
            overall = figures.totals(section, [data[section.key].get(s.pk, {}) for s in scope.schools])
            for figure in section.figures:
                if figure.total is None:
                    continue
                number += 1
                name = f"{label(section.title)}: {figure.label}"
                if figure.type == "percent":
                    from reports.writer import Percent

                    def shown(v):
                        return Percent(v) if v is not None else None
                    yield (number, name, "%", *(shown(by_kind[k].get(figure.key)) for k in present),
                           shown(overall.get(figure.key)))
                    continue
                yield (number, name, str(figure.unit), *(by_kind[k].get(figure.key) for k in present),
                       overall.get(figure.key))

    return Sheet("by_kind", gettext_lazy("By kind of school"), columns, rows, lambda scope: 40)


def compliance_picture_sheet() -> Sheet:
    """How many of the schools the standard applies to stand where on 31/12 of the year: by level
    recognised and by review progress (each group with its SUM); the others are counted apart."""

    def rows(scope):
        from compliance.models import Assessment, Level

        statuses = cached_figures(scope)["compliance"]
        applying = [s for s in scope.schools if statuses[s.pk].get("applies", True)]

        def counted(test):
            return sum(1 for school in applying if test(statuses[school.pk]))

        group = _("Level recognised")
        number = 0
        for level, text in Level.choices:
            number += 1
            yield (number, group, label(text), counted(lambda status, level=level: status["level_recognised"] == level))
        number += 1
        yield (number, group, label(_("not recognised")), counted(lambda status: status["level_recognised"] is None))
        yield SubtotalRow(("", group, _("Subtotal"), len(applying)))
        group = _("Review progress of the latest self-assessment")
        for stage, text in Assessment.Stage.choices:
            number += 1
            yield (number, group, label(text), counted(lambda status, stage=stage: status["stage_code"] == stage))
        number += 1
        yield (number, group, label(_("no self-assessment yet")), counted(lambda status: status["stage_code"] is None))
        yield SubtotalRow(("", group, _("Subtotal"), len(applying)))
        number += 1
        yield (number, _("Standard political school"), label(_("not applicable")), len(scope.schools) - len(applying))

    return Sheet(
        "compliance_picture",
        gettext_lazy("Standard-school picture"),
        lambda scope: [Column(_("No."), "int", width=5), Column(_("Group"), width=36), Column(_("Status"), width=36),
                       Column(_("Number of schools"), "int", width=12)],
        rows,
        lambda scope: 15,
    )


def compliance_schools_sheet() -> Sheet:
    """One row per school with its standard-school status on 31/12 of the year."""

    def columns(scope):
        return [
            Column(_("No."), "int", width=5), Column(_("School"), width=name_width(scope)),
            Column(_("Assessment year"), "int", width=9), Column(_("Indicators in total"), "int", width=9),
            Column(label(_("indicators met (exceeded included)")), "int", width=10),
            Column(label(_("indicators exceeded")), "int", width=9), Column(_("Indicators not met"), "int", width=9),
            Column(_("Indicators awaiting opinion"), "int", width=9), Column(label(_("level recognised")), width=18),
            Column(_("Recognition decision date"), "date", width=11), Column(_("Review progress"), width=24),
            Column(_("Indicators in the standard (only the issued ones are assessed)"), "int", width=11),
        ]

    def rows(scope):
        statuses = cached_figures(scope)["compliance"]
        for number, school in enumerate(scope.schools, start=1):
            status = statuses[school.pk]
            name = school_name(school, scope.year)
            if not status.get("applies", True):
                yield (number, name, None, None, None, None, None, None, level_text(status), None, None, None)
                continue
            yield (
                number, name, status["year"], status["indicators_total"], status["met"], status["exceeded"],
                status["not_met"], status["pending"], level_text(status), status["recognised_on"],
                label(status["stage"] or _("no self-assessment yet")), status.get("indicators_in_standard"),
            )

    return Sheet("compliance_schools", gettext_lazy("Standard school by school"), columns, rows)


def structure_rows(schools, year: int) -> list:
    """The rows of the structure check of ``schools`` (as on the Academy's structure-check page)."""
    from schools import structure
    from schools.structure_views import export_rows

    return list(export_rows(structure.structure_checks(schools, year)))


def structure_sheet() -> Sheet:
    """The organisation rule of 09-QĐi/TW for each provincial school of the scope, one row per unit,
    computed from the staff records (``schools.structure``, as on the Academy's structure-check page);
    a school whose year is locked gives the rows stored at the lock (with its code and name of today,
    as the live rows have them)."""
    from schools.structure_views import export_headers

    def rows(scope):
        provincial = [s for s in scope.schools if s.kind == School.Kind.PROVINCIAL]
        stored = frozen.load([s.pk for s in provincial], scope.year, frozen.STRUCTURE) if frozen.applies(scope) else {}
        live = iter(structure_rows([s for s in provincial if s.pk not in stored], scope.year))
        row = next(live, None)
        for school in provincial:
            if school.pk in stored:
                for data in stored[school.pk]:
                    yield [school.code, school.name, *frozen.decode_row(data)[2:]]
                continue
            while row is not None and row[0] == school.code:
                yield row
                row = next(live, None)

    def columns(scope):
        types = ["text", "text", "int", "int", "int", "int", "decimal", "text", "text", "text", "int", "int", "int", "text"]
        # Widths from the content: the code, the school's name on one line, the unit's name, counts.
        widths = [12, name_width(scope, most=60), 8, 8, 9, 9, 9, 10, 46, 9, 9, 8, 9, 10]
        return [Column(label(header), kind, width=width)
                for header, kind, width in zip(export_headers(), types, widths, strict=True)]

    return Sheet("structure", gettext_lazy("Structure check"), columns, rows, lambda scope: len(scope.schools) * 5 + 1)
