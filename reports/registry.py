"""The report kinds: each declares its scopes and its sheets; each sheet has one row generator.

The Celery task, the ``build_report`` command and the tests all go through ``build_workbook``, so
what the tests check is exactly what users download.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import figures, selectors
from reports.clusters import school_cluster_map
from reports.models import Scope
from reports.selectors import ReportScope
from reports.writer import Column, ReportWriter, TotalRow
from schools.models import School, Staff


@dataclass
class Sheet:
    key: str
    title: str
    columns: Callable[[ReportScope], list[Column]]
    rows: Callable[[ReportScope], Iterable]
    estimate: Callable[[ReportScope], int] = field(default=lambda scope: len(scope.schools) + 1)


@dataclass
class ReportKind:
    key: str
    label: str
    scopes: tuple[str, ...]
    sheets: Callable[[ReportScope], list[Sheet]]
    slug: str


def label(value) -> str:
    """A translated label as plain text, capitalised (evaluated once, not per cell)."""
    return str(capfirst(str(value)))


def _cached_figures(scope: ReportScope) -> dict:
    if "figures" not in scope.cache:
        scope.cache["figures"] = figures.fetch_all(scope.schools, scope.year)
    return scope.cache["figures"]


# --- sheets shared by every kind -----------------------------------------------------------
def info_sheet(kind_label: str, *, compliance: bool = False) -> Sheet:
    def rows(scope):
        yield (_("Report"), str(kind_label))
        yield (_("Year"), scope.years_label if scope.first_year else scope.year)
        yield (_("Scope"), scope.label)
        yield (_("Number of schools"), len(scope.schools))
        yield (_("Created at"), timezone.localtime().strftime("%d/%m/%Y %H:%M"))
        yield (_("Note"), _("Staff figures count the active staff when the report was made."))
        if compliance:
            yield (_("Note"), _("The standard-school status is the latest one when the report was made, "
                                "whatever the year of the report."))

    return Sheet(
        "info",
        gettext_lazy("General information"),
        lambda scope: [Column(_("Item"), width=24), Column(_("Content"), "value", width=70)],
        rows,
        lambda scope: 7 if compliance else 6,
    )


def headline_sheet() -> Sheet:
    """One school's headline figures as label/value rows, section by section."""

    def rows(scope):
        data = _cached_figures(scope)
        for section in figures.sections():
            values = data[section.key].get(scope.school.pk, {})
            for figure in section.figures:
                value = values.get(figure.key)
                if figure.type == "percent" and value is not None:
                    value = round(float(value), 1)
                yield (str(section.title), label(figure.label), value)

    return Sheet(
        "headline",
        gettext_lazy("Headline figures"),
        lambda scope: [Column(_("Section"), width=28), Column(_("Figure"), width=50), Column(_("Value"), "value", width=16)],
        rows,
        lambda scope: sum(len(section.figures) for section in figures.sections()),
    )


# --- training --------------------------------------------------------------------------------
TRAINING_KEYS = ("classes_opened", "classes_closed", "learner_turns", "planned_classes", "planned_learners")


def training_sheet() -> Sheet:
    """One school's training by programme (classes opened/closed, learner-turns, plan) and a total."""

    def rows(scope):
        summary = _cached_figures(scope)["training"][scope.school.pk]
        for line in summary["by_programme"]:
            programme = line["programme"]
            yield (programme.name, label(programme.get_kind_display()), *(line[key] for key in TRAINING_KEYS))
        yield TotalRow((_("Total"), "", *(summary[key] for key in TRAINING_KEYS)))

    def columns(scope):
        return [
            Column(_("Programme"), width=40), Column(_("Kind"), width=24), Column(_("Classes opened"), "int"),
            Column(_("Classes closed"), "int"), Column(_("Learner-turns"), "int"),
            Column(_("Planned classes"), "int"), Column(_("Planned learner-turns"), "int"),
        ]

    return Sheet("training", gettext_lazy("Training by programme"), columns, rows, lambda scope: 10)


def learner_register_sheet(*, with_school: bool) -> Sheet:
    """One row per enrollment in the classes opened in the year (the learner-turns), streamed."""

    def rows(scope):
        from courses.models import Classification, Enrollment, Learner, TrainingClass

        status = {value: label(text) for value, text in Enrollment.Status.choices}
        classification = {value: label(text) for value, text in Classification.choices}
        mode = {value: label(text) for value, text in TrainingClass.Mode.choices}
        sex = {value: label(text) for value, text in Learner.Sex.choices}
        queryset = selectors.learner_register(scope.school_ids, scope.year, scope.first_year)
        for row in queryset.iterator(chunk_size=selectors.REGISTER_CHUNK):
            (school_name, code, class_name, programme, class_mode, opening, closing, name, cccd, dob, sx, ethnic,
             position, workplace, state, average, grade, diploma, diploma_date) = row
            values = (
                code, class_name, programme, mode.get(class_mode), opening, closing, name, cccd, dob, sex.get(sx),
                ethnic, position, workplace, status.get(state), average, classification.get(grade), diploma,
                diploma_date,
            )
            yield (school_name, *values) if with_school else values

    def columns(scope):
        head = [Column(_("School"), width=32)] if with_school else []
        return head + [
            Column(_("Class code"), width=12), Column(_("Class"), width=30), Column(_("Programme"), width=30),
            Column(_("Mode"), width=14), Column(_("Opening"), "date", width=12), Column(_("Closing"), "date", width=12),
            Column(_("Full name"), width=26), Column(_("Citizen ID number"), width=15),
            Column(_("Date of birth"), "date", width=12), Column(_("Sex"), width=8), Column(_("Ethnicity"), width=12),
            Column(_("Position"), width=24), Column(_("Workplace"), width=30), Column(_("Status"), width=16),
            Column(_("Average"), "decimal", width=10), Column(_("Classification"), width=16),
            Column(_("Diploma / certificate number"), width=16), Column(_("Diploma / certificate date"), "date", width=12),
        ]

    return Sheet(
        "learners",
        gettext_lazy("Learner register"),
        columns,
        rows,
        lambda scope: selectors.learner_register(scope.school_ids, scope.year, scope.first_year).count(),
    )


# --- research --------------------------------------------------------------------------------
def research_sheet() -> Sheet:
    """One school's research in detail: topics by level and status, acceptances, workshops,
    publications and field trips (rules in research/selectors.py)."""

    def rows(scope):
        from research.models import Event, Publication, Topic

        data = _cached_figures(scope)["research"][scope.school.pk]
        groups = (
            (_("Topics under way, by level"), data["topics_by_level"], Topic.Level),
            (_("Topics under way, by status"), data["topics_by_status"], Topic.Status),
            (_("Topics accepted, by level"), data["accepted_by_level"], Topic.Level),
            (_("Topics accepted, by grade"), data["accepted_by_grade"], Topic.Grade),
            (_("Workshops and roundtables, by level"), data["events_by_level"], Event.Level),
            (_("Workshops and roundtables, by kind"), data["events_by_kind"], Event.Kind),
            (_("Publications, by kind"), data["publications"], Publication.Kind),
        )
        for group, counts, choices in groups:
            for value, text in choices.choices:
                yield (str(group), label(text), counts.get(value, 0))
        other = _("Other figures")
        for key, text in (
            ("papers", _("workshop papers")), ("proceedings", _("proceedings published")),
            ("articles", _("bulletin articles")), ("ideological_items", _("items protecting the Party's ideological foundation")),
            ("essay_entries", _("essay-contest entries")), ("essay_prizes", _("essay-contest prizes")),
            ("field_trips", _("field trips")), ("field_trip_lecturers", _("lecturers on field trips")),
            ("field_trip_days", _("field-trip lecturer-days")),
            ("field_trip_days_per_lecturer", _("field-trip days per lecturer")),
        ):
            yield (str(other), label(text), data[key])

    return Sheet(
        "research",
        gettext_lazy("Research"),
        lambda scope: [Column(_("Group"), width=36), Column(_("Item"), width=44), Column(_("Value"), "value", width=12)],
        rows,
        lambda scope: 40,
    )


# --- standard school (compliance) ---------------------------------------------------------------
def _level_text(level) -> str:
    from compliance.models import Level

    return label(Level(level).label if level else _("not recognised"))


def _stage_text(status: dict) -> str:
    return label(status["stage"] or _("no self-assessment yet"))


def compliance_sheet() -> Sheet:
    """One school's standing against the standard (``compliance.selectors.compliance_status``):
    the result of the latest self-assessment, the level recognised and the review progress."""

    def rows(scope):
        status = _cached_figures(scope)["compliance"][scope.school.pk]
        yield (_("Standard"), status["standard"])
        yield (_("Assessment year"), status["year"])
        yield (_("Indicators in total"), status["indicators_total"])
        yield (label(_("indicators met (exceeded included)")), status["met"])
        yield (label(_("indicators exceeded")), status["exceeded"])
        yield (_("Indicators not met"), status["not_met"])
        yield (_("Indicators awaiting opinion"), status["pending"])
        yield (label(_("level recognised")), _level_text(status["level_recognised"]))
        yield (_("Recognition decision date"), status["recognised_on"])
        yield (_("Review progress"), _stage_text(status))
        yield (_("Indicators in the standard (only the issued ones are assessed)"), status["indicators_in_standard"])

    return Sheet(
        "compliance",
        gettext_lazy("Standard school"),
        lambda scope: [Column(_("Item"), width=36), Column(_("Content"), "value", width=40)],
        rows,
        lambda scope: 10,
    )


def compliance_picture_sheet() -> Sheet:
    """How many schools stand where: by level recognised and by review progress of the latest
    self-assessment, for all schools and per kind of school."""

    def kinds(scope):
        present = {school.kind for school in scope.schools}
        return [(kind, text) for kind, text in School.Kind.choices if kind in present]

    def columns(scope):
        return [Column(_("Group"), width=36), Column(_("Status"), width=40), Column(_("Number of schools"), "int")] + [
            Column(label(text), "int", width=18) for _kind, text in kinds(scope)
        ]

    def rows(scope):
        from compliance.models import Assessment, Level

        statuses = _cached_figures(scope)["compliance"]
        columns_kinds = [kind for kind, _text in kinds(scope)]

        def counted(test):
            matching = [school for school in scope.schools if test(statuses[school.pk])]
            return (len(matching), *(sum(1 for s in matching if s.kind == kind) for kind in columns_kinds))

        group = _("Level recognised")
        for level, text in Level.choices:
            yield (group, label(text), *counted(lambda status, level=level: status["level_recognised"] == level))
        yield (group, label(_("not recognised")), *counted(lambda status: status["level_recognised"] is None))
        group = _("Review progress of the latest self-assessment")
        for stage, text in Assessment.Stage.choices:
            yield (group, label(text), *counted(lambda status, stage=stage: status["stage_code"] == stage))
        yield (group, label(_("no self-assessment yet")), *counted(lambda status: status["stage_code"] is None))
        yield TotalRow((_("Total"), "", *counted(lambda status: True)))

    return Sheet(
        "compliance_picture",
        gettext_lazy("Standard-school picture"),
        columns,
        rows,
        lambda scope: 15,
    )


def compliance_schools_sheet() -> Sheet:
    """One row per school with its whole standard-school status."""

    def columns(scope):
        return [
            Column(_("Code"), width=12), Column(_("School"), width=40), Column(_("Kind of school"), width=24),
            Column(_("Standard"), width=14), Column(_("Assessment year"), "int", width=10),
            Column(_("Indicators in total"), "int", width=10), Column(label(_("indicators met (exceeded included)")), "int"),
            Column(label(_("indicators exceeded")), "int"), Column(_("Indicators not met"), "int"),
            Column(_("Indicators awaiting opinion"), "int"), Column(label(_("level recognised")), width=16),
            Column(_("Recognition decision date"), "date", width=14), Column(_("Review progress"), width=30),
            Column(_("Indicators in the standard (only the issued ones are assessed)"), "int", width=14),
        ]

    def rows(scope):
        statuses = _cached_figures(scope)["compliance"]
        kinds = {value: label(text) for value, text in School.Kind.choices}
        for school in scope.schools:
            status = statuses[school.pk]
            yield (
                school.code, school.name, kinds.get(school.kind), status["standard"], status["year"],
                status["indicators_total"], status["met"], status["exceeded"], status["not_met"], status["pending"],
                _level_text(status["level_recognised"]), status["recognised_on"], _stage_text(status),
                status["indicators_in_standard"],
            )

    return Sheet("compliance_schools", gettext_lazy("Standard school by school"), columns, rows)


def structure_sheet() -> Sheet:
    """The organisation rule of 09-QĐi/TW for each provincial school of the scope, one row per unit,
    computed from the staff records (``schools.structure``, as on the Academy's structure-check page)."""
    from schools import structure
    from schools.structure_views import export_headers, export_rows

    def checks(scope):
        if "structure" not in scope.cache:
            provincial = [s for s in scope.schools if s.kind == School.Kind.PROVINCIAL]
            scope.cache["structure"] = structure.structure_checks(provincial, scope.year)
        return scope.cache["structure"]

    def columns(scope):
        types = ["text", "text", "int", "int", "int", "int", "decimal", "text", "text", "text", "int", "int", "int", "text"]
        return [Column(header, kind, width=30 if i in (1, 8) else 14)
                for i, (header, kind) in enumerate(zip(export_headers(), types, strict=True))]

    return Sheet("structure", gettext_lazy("Structure check"), columns, lambda scope: export_rows(checks(scope)),
                 lambda scope: len(scope.schools) * 5 + 1)


# --- emulation -------------------------------------------------------------------------------
def emulation_sheet() -> Sheet:
    """One school's cluster, score, rank and the awards approved for the year."""

    def rows(scope):
        entry = _cached_figures(scope)["emulation"][scope.school.pk]
        if not entry["cluster"]:
            yield (_("Emulation cluster"), _("not in a cluster this year"))
            return
        yield (_("Emulation cluster"), entry["cluster"])
        yield (_("Schools in the cluster"), entry["members"])
        yield (_("Final score"), entry["final_score"])
        yield (_("Ranking"), entry["rank"])
        for award in entry["awards"]:
            yield (_("Award"), award)

    return Sheet(
        "emulation",
        gettext_lazy("Emulation and awards"),
        lambda scope: [Column(_("Item"), width=28), Column(_("Content"), "value", width=70)],
        rows,
        lambda scope: 5,
    )


# --- staff -----------------------------------------------------------------------------------
STAFF_BREAKDOWN = (
    ("category", gettext_lazy("category"), Staff.Category),
    ("degree", gettext_lazy("degree"), Staff.Degree),
    ("academic_title", gettext_lazy("academic title"), Staff.AcademicTitle),
    ("lecturer_rank", gettext_lazy("lecturer rank"), Staff.LecturerRank),
    ("theory_level", gettext_lazy("political-theory level"), Staff.TheoryLevel),
)


def staff_qualifications_sheet() -> Sheet:
    def rows(scope):
        breakdown = selectors.staff_breakdown(scope.school_ids)
        for field_name, group, choices in STAFF_BREAKDOWN:
            counts = breakdown[field_name]
            for value, choice_label in choices.choices:
                shown = choice_label if value else _("not stated")
                yield (label(group), label(shown), counts.get(value, 0))

    return Sheet(
        "qualifications",
        gettext_lazy("Lecturer qualifications"),
        lambda scope: [Column(_("Group"), width=28), Column(_("Value"), width=36), Column(_("Lecturers"), "int")],
        rows,
        lambda scope: sum(len(choices.choices) for _f, _l, choices in STAFF_BREAKDOWN),
    )


def staff_list_sheet() -> Sheet:
    def rows(scope):
        # Choice labels are translated once, not per row; blank values stay blank.
        sex, category, degree, title, rank, theory = (
            {value: label(text) for value, text in choices.choices if value}
            for choices in (
                Staff.Sex, Staff.Category, Staff.Degree, Staff.AcademicTitle, Staff.LecturerRank, Staff.TheoryLevel
            )
        )
        yes, no = _("yes"), _("no")
        for (_school, name, dob, sx, unit, position, is_lecturer, cat, deg, ttl, rnk, thl, classics) in (
            selectors.staff_list(scope.school_ids).iterator(chunk_size=2000)
        ):
            yield (
                name, dob, sex.get(sx), unit, position, yes if is_lecturer else no, category.get(cat, cat),
                degree.get(deg), title.get(ttl), rank.get(rnk), theory.get(thl), yes if classics else no,
            )

    def columns(scope):
        return [
            Column(_("Full name"), width=28), Column(_("Date of birth"), "date", width=13), Column(_("Sex"), width=8),
            Column(_("Faculty / office"), width=30), Column(_("Position"), width=24), Column(_("Lecturer"), width=10),
            Column(_("Category"), width=12), Column(_("Degree"), width=12), Column(_("Academic title"), width=14),
            Column(_("Lecturer rank"), width=18), Column(_("Political-theory level"), width=24),
            Column(_("Classics certificate"), width=12),
        ]

    return Sheet(
        "staff",
        gettext_lazy("Staff list"),
        columns,
        rows,
        lambda scope: Staff.objects.filter(school_id__in=scope.school_ids, active=True).count(),
    )


# --- summaries (cluster, national) ---------------------------------------------------------
def _figure_columns() -> list[Column]:
    return [
        Column(label(figure.label), "percent" if figure.type == "percent" else figure.type, width=14)
        for section in figures.sections()
        for figure in section.figures
    ]


def _figure_values(data: dict, school_id: int) -> list:
    """The headline figures of one school, section after section."""
    return [
        data[section.key].get(school_id, {}).get(figure.key)
        for section in figures.sections()
        for figure in section.figures
    ]


def _figure_totals(data: dict, school_ids: list[int]) -> list:
    """The totals of the headline figures over several schools."""
    values = []
    for section in figures.sections():
        total = figures.totals(section, [data[section.key].get(school_id, {}) for school_id in school_ids])
        values += [total.get(figure.key) for figure in section.figures]
    return values


def summary_sheet(*, with_cluster: bool) -> Sheet:
    """One row per school with its headline figures; cluster subtotals (national) and a total row."""

    def columns(scope):
        head = [Column(_("Code"), width=12), Column(_("School"), width=40), Column(_("Kind of school"), width=24)]
        if with_cluster:
            head.append(Column(_("Emulation cluster"), width=24))
        return head + _figure_columns()

    def school_row(school, cluster, data):
        head = [school.code, school.name, label(school.get_kind_display())]
        if with_cluster:
            head.append(cluster.name if cluster else "")
        return tuple(head + _figure_values(data, school.pk))

    def total_row(title, school_ids, data):
        head = ["", title, ""] + ([""] if with_cluster else [])
        return TotalRow(head + _figure_totals(data, school_ids))

    def rows(scope):
        data = _cached_figures(scope)
        if not with_cluster:
            for school in scope.schools:
                yield school_row(school, None, data)
        else:
            clusters = school_cluster_map(scope.schools, scope.year)
            groups = defaultdict(list)
            for school in scope.schools:
                groups[clusters.get(school.pk)].append(school)
            ordered = sorted(groups, key=lambda c: (c is None, c.name if c else ""))
            for cluster in ordered:
                for school in groups[cluster]:
                    yield school_row(school, cluster, data)
                if clusters:
                    title = _("Subtotal: %(cluster)s") % {"cluster": cluster.name if cluster else _("no cluster")}
                    yield total_row(title, [s.pk for s in groups[cluster]], data)
        yield total_row(_("Total"), scope.school_ids, data)

    title = gettext_lazy("National summary") if with_cluster else gettext_lazy("Cluster summary")
    return Sheet("summary", title, columns, rows, lambda scope: len(scope.schools) + 1)


def by_kind_sheet() -> Sheet:
    def rows(scope):
        data = _cached_figures(scope)
        by_kind = defaultdict(list)
        for school in scope.schools:
            by_kind[school.kind].append(school.pk)
        for kind, text in School.Kind.choices:
            if by_kind.get(kind):
                yield (label(text), len(by_kind[kind]), *_figure_totals(data, by_kind[kind]))
        yield TotalRow((_("National total"), len(scope.schools), *_figure_totals(data, scope.school_ids)))

    return Sheet(
        "by_kind",
        gettext_lazy("By kind of school"),
        lambda scope: [Column(_("Kind of school"), width=36), Column(_("Number of schools"), "int")] + _figure_columns(),
        rows,
        lambda scope: len(School.Kind.choices) + 1,
    )


# --- the kinds -------------------------------------------------------------------------------
def _school_sheets(scope):
    return [
        info_sheet(KINDS["school"].label, compliance=True),
        headline_sheet(),
        training_sheet(),
        learner_register_sheet(with_school=False),
        staff_qualifications_sheet(),
        staff_list_sheet(),
        research_sheet(),
        compliance_sheet(),
        emulation_sheet(),
    ]


def _cluster_sheets(scope):
    return [info_sheet(KINDS["cluster"].label, compliance=True), summary_sheet(with_cluster=False)]


def _national_sheets(scope):
    return [
        info_sheet(KINDS["national"].label, compliance=True),
        summary_sheet(with_cluster=True),
        by_kind_sheet(),
        compliance_picture_sheet(),
        compliance_schools_sheet(),
        structure_sheet(),
    ]


def _learner_sheets(scope):
    return [info_sheet(KINDS["learners"].label), learner_register_sheet(with_school=scope.scope != Scope.SCHOOL)]


KINDS: dict[str, ReportKind] = {
    kind.key: kind
    for kind in (
        ReportKind("school", gettext_lazy("School annual report"), (Scope.SCHOOL,), _school_sheets, "bao-cao-nam"),
        ReportKind("cluster", gettext_lazy("Cluster summary"), (Scope.CLUSTER,), _cluster_sheets, "tong-hop-cum"),
        ReportKind(
            "national", gettext_lazy("National summary"), (Scope.NATIONAL,), _national_sheets, "tong-hop-toan-quoc"
        ),
        ReportKind(
            "learners",
            gettext_lazy("Learner register"),
            (Scope.SCHOOL, Scope.CLUSTER, Scope.NATIONAL),
            _learner_sheets,
            "so-hoc-vien",
        ),
    )
}


def kind_choices():
    return [(kind.key, kind.label) for kind in KINDS.values()]


def build_workbook(kind_key: str, scope: ReportScope, path, *, progress=None) -> int:
    """Write the workbook of ``kind_key`` for ``scope`` to ``path``; return the number of data rows.

    ``progress(percent)`` is called whenever the whole percentage advances (at most ~100 times).
    """
    kind = KINDS[kind_key]
    sheets = kind.sheets(scope)
    total = max(1, sum(sheet.estimate(scope) for sheet in sheets))
    writer = ReportWriter(path, title=f"{kind.label} {scope.years_label} · {scope.label}")
    done = 0
    reported = 0
    next_mark = max(1, total // 100)
    try:
        for sheet in sheets:
            writer.add_sheet(str(sheet.title), sheet.columns(scope))
            for row in sheet.rows(scope):
                writer.write_row(row)
                done += 1
                if done >= next_mark:
                    percent = min(99, done * 100 // total)
                    if progress and percent > reported:
                        progress(percent)
                        reported = percent
                    next_mark = done + max(1, total // 100)
    finally:
        writer.close()
    return done
