"""The sheets of one school's annual report (and the learner register, shared by every scope).

Each sheet has one row generator; the figures come from ``reports.figures`` (the same selectors as
the pages), for the year of the report: staff as at 31/12, the standard-school status as at 31/12,
the enrollments the year's figures count.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from reports import figures, frozen, profile, selectors
from reports.selectors import ReportScope
from reports.writer import Column, Percent, SubtotalRow, TotalRow
from schools.models import Staff


@dataclass
class Sheet:
    key: str
    title: str
    columns: Callable[[ReportScope], list[Column]]
    rows: Callable[[ReportScope], Iterable]
    estimate: Callable[[ReportScope], int] = field(default=lambda scope: len(scope.schools) + 1)
    # An information sheet keeps its rows when the year has no data (the others say so instead).
    always: bool = False
    # Row heights from the wrapped text (off for the streamed register: no per-row work there).
    fit_rows: bool = True
    tab: str = ""  # the sheet's tab name when shorter than its title (31 characters at most)


def label(value) -> str:
    """A translated label as plain text, capitalised (evaluated once, not per cell)."""
    return str(capfirst(str(value)))


def cached_figures(scope: ReportScope, year: int | None = None) -> dict:
    year = scope.year if year is None else year
    key = f"figures-{year}"
    if key not in scope.cache:
        scope.cache[key] = figures.fetch_all(scope.schools, year)
    return scope.cache[key]


def stt_columns(*middle: Column) -> list[Column]:
    """STT, the given columns (the indicator), "Đơn vị tính"."""
    return [Column(_("No."), "int", width=5), *middle, Column(_("Unit"), width=10)]


def level_text(status: dict) -> str:
    """The standard-school level in one wording everywhere ("Mức chuẩn": "Mức 1", "Mức 2",
    "Chưa được công nhận", "Không áp dụng")."""
    from compliance.models import Level

    if not status.get("applies", True):
        return label(_("not applicable"))
    level = status["level_recognised"]
    return label(Level(level).label if level else _("not recognised"))


# --- information and definitions --------------------------------------------------------------
DEFINITIONS = (
    gettext_lazy("Staff: the staff members of the school on 31/12 of the year (joined on or before "
                 "that day and not yet left)."),
    gettext_lazy("Standard school: the status on 31/12 of the year (the latest self-assessment of the year "
                 "or before, and the latest recognition decided by that day); only provincial political "
                 "schools are assessed, the other rows say “not applicable”."),
    gettext_lazy("Classes opened: the classes whose opening date is in the year, with or without learners "
                 "(the training sheet shows those without learners)."),
    gettext_lazy("Learner-turns: the enrollments of the classes opened in the year. Graduates and "
                 "classifications: those of the classes whose graduation (closing) decision is in the year."),
    gettext_lazy("Joint classes: the classes run jointly with an academy (liên kết) are counted apart. The "
                 "school's own figures (classes, learner-turns, graduates, classifications, plan fulfilment) "
                 "leave them out; the training sheet shows them by programme after the total of the school's "
                 "own classes, with their subtotal, and the headline figures on lines of their own."),
    gettext_lazy("The learner register lists exactly these enrollments, of the school's own classes and of the "
                 "joint classes: those of the classes opened in the year and those of the classes graduating in "
                 "the year (its graduates are the school's own graduates plus those of the joint classes)."),
    gettext_lazy("Learner profile: one column per programme with learner-turns or graduates in the year, "
                 "ordered as on the training sheet (the joint classes apart, marked); the total column adds "
                 "them all up."),
    gettext_lazy("Staff and lecturers by qualification: all the staff members on 31/12 and, of whom, the "
                 "lecturers; each group ends with its subtotal."),
    gettext_lazy("Publications are counted by kind (bulletin issues, books, articles in outside journals); "
                 "essay-contest entries are counted apart."),
    gettext_lazy("Research topics under way in the year: started by 31/12, and not accepted or cancelled "
                 "before the year."),
    gettext_lazy("Schools: the schools that existed in the year, under their name of that year; a school "
                 "merged during the year is listed with a note of the merger."),
    gettext_lazy("Awards: the school's own awards for the year in the awards register, of every level (state, "
                 "government, province, Academy, emulation cluster); awards to staff members are not counted."),
    gettext_lazy("Locked year: once a school has locked the figures of the year, every sheet of its reports "
                 "gives the figures and rows stored at the lock, whatever changed afterwards."),
)


def info_sheet(kind_label: str) -> Sheet:
    def rows(scope):
        yield (_("Report"), str(kind_label))
        yield (_("Year"), scope.years_label)
        yield (_("Scope"), scope.label)
        yield (_("Number of schools"), str(len(scope.schools)))
        yield (_("Created at"), timezone.localtime().strftime("%d/%m/%Y %H:%M"))
        if scope.cache.get("notice"):
            yield (_("Note"), scope.cache["notice"])
        for definition in DEFINITIONS:
            yield (_("Definition"), str(definition))

    return Sheet(
        "info",
        gettext_lazy("General information"),
        lambda scope: [Column(_("Item"), width=42), Column(_("Content"), "value", width=56)],
        rows,
        lambda scope: 5 + len(DEFINITIONS),
        always=True,
    )


# --- headline figures with the previous year -------------------------------------------------------
def _shown(figure, value):
    if value is None:
        return None
    if figure.key == "level_recognised":
        return value
    if figure.type == "percent":
        return Percent(round(float(value), 1))
    return value


def _change(figure, current, previous):
    """The change from the previous year in % (None when it cannot be said)."""
    if figure.type == "percent" or figure.key in ("level_recognised", "rank"):
        return None
    if current is None or previous in (None, 0):
        return None
    return Percent(round((float(current) - float(previous)) * 100 / float(previous), 1))


def headline_sheet() -> Sheet:
    """One school's headline figures, section by section, with the previous year and the change."""

    def rows(scope):
        data = cached_figures(scope)
        before = cached_figures(scope, scope.year - 1)
        number = 0
        for section in figures.sections():
            values = data[section.key].get(scope.school.pk, {})
            previous = before[section.key].get(scope.school.pk, {})
            for figure in section.figures:
                number += 1
                current, last = values.get(figure.key), previous.get(figure.key)
                if figure.key == "level_recognised":
                    current, last = level_text(values), level_text(previous)
                yield (
                    number, str(section.title), label(figure.label), str(figure.unit),
                    _shown(figure, last), _shown(figure, current), _change(figure, current, last),
                )

    def columns(scope):
        return [
            Column(_("No."), "int", width=5), Column(_("Section"), width=20), Column(_("Indicator"), width=40),
            Column(_("Unit"), width=9),
            Column(_("Year %(year)s") % {"year": scope.year - 1}, "value", width=12),
            Column(_("Year %(year)s") % {"year": scope.year}, "value", width=12),
            Column(_("Change (%)"), "value", width=10),
        ]

    return Sheet(
        "headline", gettext_lazy("Headline figures"), columns, rows,
        lambda scope: sum(len(section.figures) for section in figures.sections()),
    )


# --- training --------------------------------------------------------------------------------------
TRAINING_KEYS = ("classes_opened", "classes_closed", "learner_turns", "graduated")
CLASSIFIED = ("classified_excellent", "classified_very_good", "classified_good", "classified_fairly_good",
              "classified_average")
PLAN_KEYS = ("planned_classes", "planned_learners")


def training_sheet() -> Sheet:
    """Training by programme: the school's own classes (classes, learner-turns, graduates,
    classification, plan and its fulfilment per programme, then their total), then the classes run
    jointly with an academy, apart, by programme with their subtotal; totals are live SUMs."""
    from courses.selectors import fulfilment_pct

    def line_values(line, empty, joint):
        programme = line["programme"]
        values = [
            programme.name, label(programme.get_kind_display()),
            *(line.get(key, 0) for key in TRAINING_KEYS), empty.get((programme.pk, joint), 0),
            *(line.get(key, 0) for key in CLASSIFIED),
        ]
        if joint:  # no plan: the school's plan is of its own classes
            return (*values, None, None, None, None)
        planned = line["planned_classes"] or line["planned_learners"]
        return (
            *values, *(line[key] for key in PLAN_KEYS),
            fulfilment_pct(line["classes_opened"], line["planned_classes"], bool(planned)),
            fulfilment_pct(line["learner_turns"], line["planned_learners"], bool(planned)),
        )

    def rows(scope):
        summary = cached_figures(scope)["training"][scope.school.pk]
        empty = profile.empty_classes(scope.school_ids, scope.year)
        number = 0
        for line in summary["by_programme"]:
            number += 1
            yield (number, *line_values(line, empty, False))
        own_empty = sum(n for (_programme, joint), n in empty.items() if not joint)
        yield TotalRow((
            "", _("Total, the school's own classes"), "", *(summary[key] for key in TRAINING_KEYS), own_empty,
            *(summary["classifications"].get(key.removeprefix("classified_"), 0) for key in CLASSIFIED),
            *(summary[key] for key in PLAN_KEYS),
            summary["fulfilment_classes_pct"], summary["fulfilment_learners_pct"],
        ))
        joint = summary["joint"]
        yield ("", _("Classes run jointly with an academy (counted apart)"))
        for line in joint["by_programme"]:
            number += 1
            yield (number, *line_values(line, empty, True))
        yield SubtotalRow((
            "", _("Subtotal, joint classes"), "", *(joint[key] for key in TRAINING_KEYS),
            sum(n for (_programme, is_joint), n in empty.items() if is_joint),
            *(joint["classifications"].get(key.removeprefix("classified_"), 0) for key in CLASSIFIED),
        ))

    def columns(scope):
        return [
            Column(_("No."), "int", width=5), Column(_("Programme"), width=28), Column(_("Kind"), width=16),
            Column(_("Classes opened"), "int", width=9), Column(_("Classes closed"), "int", width=9),
            Column(_("Learner-turns"), "int", width=9), Column(_("Graduated learners"), "int", width=9),
            Column(_("Classes opened without learners"), "int", width=10),
            Column(label(_("excellent")), "int", width=8), Column(label(_("very good")), "int", width=8),
            Column(label(_("good")), "int", width=8), Column(label(_("fairly good")), "int", width=8),
            Column(label(_("average")), "int", width=8),
            Column(_("Planned classes"), "int", width=9), Column(_("Planned learner-turns"), "int", width=10),
            Column(_("Plan fulfilment, classes (%)"), "percent", width=10),
            Column(_("Plan fulfilment, learner-turns (%)"), "percent", width=10),
        ]

    return Sheet("training", gettext_lazy("Training by programme"), columns, rows, lambda scope: 10)


def learner_register_sheet(*, with_school: bool) -> Sheet:
    """One row per enrollment the year's figures count (``selectors.register_condition``), streamed."""

    def live(scope, exclude):
        from courses.models import Classification, Enrollment, Learner, TrainingClass

        status = {value: label(text) for value, text in Enrollment.Status.choices}
        classification = {value: label(text) for value, text in Classification.choices}
        mode = {value: label(text) for value, text in TrainingClass.Mode.choices}
        sex = {value: label(text) for value, text in Learner.Sex.choices}
        queryset = selectors.learner_register(scope.school_ids, scope.year, scope.first_year, exclude=exclude,
                                              positioned=bool(exclude))
        for row in queryset.iterator(chunk_size=selectors.REGISTER_CHUNK):
            (school_name, code, class_name, programme, class_mode, opening, closing, name, cccd, dob, sx, ethnic,
             position, workplace, state, average, grade, diploma, diploma_date, *at) = row
            values = (
                code, class_name, programme, mode.get(class_mode), opening, closing, name, cccd, dob, sex.get(sx),
                ethnic, position, workplace, status.get(state), average, classification.get(grade), diploma,
                diploma_date,
            )
            row = (school_name, *values) if with_school else values
            yield (at[0], row) if exclude else row

    def rows(scope):
        # A single school's locked year: build_workbook gives the stored sheet instead of these rows.
        locked = frozen.locked_schools(scope, "learners") if with_school else set()
        if not locked:
            yield from live(scope, ())
            return
        # The schools whose year is locked give their stored rows, at their place in the scope's
        # order, between the live rows of the others (one streamed query, their position in it).
        blocks = iter([(position, school) for position, school in enumerate(scope.schools) if school.pk in locked])
        block = next(blocks, None)
        for position, row in live(scope, locked):
            while block is not None and block[0] < position:
                yield from stored_block(scope, block[1])
                block = next(blocks, None)
            yield row
        while block is not None:
            yield from stored_block(scope, block[1])
            block = next(blocks, None)

    def stored_block(scope, school):
        stored = frozen.load([school.pk], scope.year, frozen.SHEETS, "learners").get(school.pk)
        for row in frozen.StoredSheet(frozen.decode_columns(stored["columns"]), stored["rows"]).rows():
            yield (school.name, *row)  # the school's name as the live rows have it

    def columns(scope):
        head = [Column(_("School"), width=24)] if with_school else []
        return head + [
            Column(_("Class code"), width=9), Column(_("Class"), width=20), Column(_("Programme"), width=20),
            Column(_("Mode"), width=10), Column(_("Opening"), "date", width=10), Column(_("Closing"), "date", width=10),
            Column(_("Full name"), width=20), Column(_("Citizen ID number"), width=13),
            Column(_("Date of birth"), "date", width=10), Column(_("Sex"), width=5), Column(_("Ethnicity"), width=8),
            Column(_("Position"), width=16), Column(_("Workplace"), width=20), Column(_("Status"), width=11),
            Column(_("Average"), "decimal", width=7), Column(_("Classification"), width=9),
            Column(_("Diploma / certificate number"), width=11), Column(_("Diploma / certificate date"), "date", width=10),
        ]

    return Sheet(
        "learners",
        gettext_lazy("Learner register"),
        columns,
        rows,
        lambda scope: selectors.learner_register(scope.school_ids, scope.year, scope.first_year).count(),
        fit_rows=False,
    )


def learner_profile_sheet() -> Sheet:
    """Learners of the year by programme (``reports.profile``): one column per programme with
    enrollments or graduates in the year, ordered as the training sheet (the joint classes' apart,
    marked), then the total column, a SUM."""

    def cached_profile(scope):
        if "profile" not in scope.cache:
            data = profile.learner_profile(scope.school_ids, scope.year)
            scope.cache["profile"] = (data, profile.programme_columns(data))
        return scope.cache["profile"]

    def heading(programme, joint):
        if joint:
            return _("%(programme)s (joint classes)") % {"programme": programme.name}
        return programme.name

    def columns(scope):
        _data, present = cached_profile(scope)
        first = 4
        return [
            Column(_("No."), "int", width=5), Column(_("Group"), width=24), Column(_("Indicator"), width=26),
            Column(_("Unit"), width=9),
            *(Column(heading(programme, joint), "int", width=11) for (_pk, joint), programme in present),
            Column(_("Total"), "int", width=10, sum_of=(first, first + len(present) - 1) if present else None),
        ]

    def rows(scope):
        data, present = cached_profile(scope)
        unit = str(_("learner-turn"))
        number = 0
        for group, items in profile.rows(data):
            for key, text in items:
                number += 1
                counts = [data[column].get(key, 0) for column, _programme in present]
                yield (number, group, label(text), unit, *counts, sum(counts))

    return Sheet("profile", gettext_lazy("Learner profile"), columns, rows, lambda scope: 30)


# --- staff -----------------------------------------------------------------------------------------
STAFF_BREAKDOWN = (
    ("category", gettext_lazy("category"), Staff.Category),
    ("degree", gettext_lazy("degree"), Staff.Degree),
    ("academic_title", gettext_lazy("academic title"), Staff.AcademicTitle),
    ("lecturer_rank", gettext_lazy("lecturer rank"), Staff.LecturerRank),
    ("theory_level", gettext_lazy("political-theory level"), Staff.TheoryLevel),
)
AGE_LABELS = (
    ("under_30", gettext_lazy("under 30")), ("30_39", gettext_lazy("30 to 39")), ("40_49", gettext_lazy("40 to 49")),
    ("50_plus", gettext_lazy("50 and over")), ("unknown", gettext_lazy("not stated")),
)


def staff_qualifications_sheet() -> Sheet:
    """The staff on 31/12 of the year by category, degree, title, rank, theory level, sex and age
    band, in two figure columns: all staff (cán bộ, viên chức) and, of whom, lecturers; each group
    ends with its subtotal (SUMs over the group in both columns)."""

    def rows(scope):
        breakdown = selectors.staff_breakdown(scope.school_ids, selectors.year_end(scope.year))
        unit = str(_("person"))
        number = 0
        groups = [(field, group, [(v, t if v else _("not stated")) for v, t in choices.choices])
                  for field, group, choices in STAFF_BREAKDOWN]
        groups.append(("sex", gettext_lazy("sex"), [*Staff.Sex.choices, ("", _("not stated"))]))
        groups.append(("age_band", gettext_lazy("age"), list(AGE_LABELS)))
        empty = {"staff": 0, "lecturers": 0}
        for field_name, group, choices in groups:
            counts = breakdown[field_name]
            staff = lecturers = 0
            for value, choice_label in choices:
                number += 1
                line = counts.get(value, empty)
                staff += line["staff"]
                lecturers += line["lecturers"]
                yield (number, label(group), label(choice_label), unit, line["staff"], line["lecturers"])
            # the cached figures of the SUMs: the rows above, in both columns
            yield SubtotalRow(("", label(group), _("Subtotal"), unit, staff, lecturers))

    return Sheet(
        "qualifications",
        gettext_lazy("Staff and lecturers by qualification"),
        lambda scope: stt_columns(Column(_("Group"), width=34), Column(_("Value"), width=44))
        + [Column(_("Staff members"), "int", width=14), Column(_("Of whom lecturers"), "int", width=14)],
        rows,
        lambda scope: 45,
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
        day = selectors.year_end(scope.year)
        for number, (_school, name, dob, sx, unit, position, is_lecturer, cat, deg, ttl, rnk, thl, classics) in (
            enumerate(selectors.staff_list(scope.school_ids, day).iterator(chunk_size=2000), start=1)
        ):
            yield (
                number, name, dob, sex.get(sx), unit, position, yes if is_lecturer else no, category.get(cat, cat),
                degree.get(deg), title.get(ttl), rank.get(rnk), theory.get(thl), yes if classics else no,
            )

    def columns(scope):
        return [
            Column(_("No."), "int", width=5),
            Column(_("Full name"), width=22), Column(_("Date of birth"), "date", width=11), Column(_("Sex"), width=6),
            Column(_("Faculty / office"), width=36), Column(_("Position"), width=18), Column(_("Lecturer"), width=8),
            Column(_("Category"), width=10), Column(_("Degree"), width=9), Column(_("Academic title"), width=10),
            Column(_("Lecturer rank"), width=16), Column(_("Political-theory level"), width=22),
            Column(_("Classics certificate"), width=10),
        ]

    return Sheet(
        "staff",
        gettext_lazy("Staff list"),
        columns,
        rows,
        lambda scope: selectors.staff_on(scope.school_ids, selectors.year_end(scope.year)).count(),
    )


# --- research --------------------------------------------------------------------------------------
def research_sheet() -> Sheet:
    """One school's research in detail: topics by level and status, acceptances, workshops,
    publications by kind (contest entries apart) and field trips (rules in research/selectors.py)."""

    def rows(scope):
        from research.models import Event, Publication, Topic

        data = cached_figures(scope)["research"][scope.school.pk]
        topic, event, item = str(_("topic")), str(_("event")), pgettext("unit", "item")
        groups = (
            (_("Topics under way, by level"), data["topics_by_level"], Topic.Level, topic),
            (_("Topics under way, by status"), data["topics_by_status"], Topic.Status, topic),
            (_("Topics accepted, by level"), data["accepted_by_level"], Topic.Level, topic),
            (_("Topics accepted, by grade"), data["accepted_by_grade"], Topic.Grade, topic),
            (_("Workshops and roundtables, by level"), data["events_by_level"], Event.Level, event),
            (_("Workshops and roundtables, by kind"), data["events_by_kind"], Event.Kind, event),
        )
        number = 0
        for group, counts, choices, unit in groups:
            for value, text in choices.choices:
                number += 1
                yield (number, str(group), label(text), unit, counts.get(value, 0))
            yield SubtotalRow(("", str(group), _("Subtotal"), unit, sum(counts.values())))
        publications = _("Publications, by kind")
        for value, text in Publication.Kind.choices:
            if value == Publication.Kind.ESSAY_ENTRY:
                continue
            number += 1
            yield (number, str(publications), label(text), item, data["publications"].get(value, 0))
        yield SubtotalRow(("", str(publications), _("Subtotal"), item, data["publications_total"] - data["essay_entries"]))
        other = _("Other figures (not added up)")
        for key, text, unit in (
            ("papers", _("workshop papers"), _("paper")), ("proceedings", _("proceedings published"), _("book")),
            ("articles", _("bulletin articles"), pgettext("unit", "article")),
            ("ideological_items", _("items protecting the Party's ideological foundation"), pgettext("unit", "item")),
            ("essay_entries", _("essay-contest entries"), _("entry")),
            ("essay_prizes", _("essay-contest prizes"), pgettext("unit", "prize")),
            ("field_trips", _("field trips"), _("trip")), ("field_trip_lecturers", _("lecturers on field trips"), _("person")),
            ("field_trip_days", _("field-trip lecturer-days"), _("day")),
            ("field_trip_days_per_lecturer", _("field-trip days per lecturer"), _("day")),
        ):
            number += 1
            yield (number, str(other), label(text), str(unit), data[key])

    return Sheet(
        "research",
        gettext_lazy("Research"),
        lambda scope: stt_columns(Column(_("Group"), width=40), Column(_("Item"), width=56))
        + [Column(_("Value"), "decimal", width=14)],
        rows,
        lambda scope: 50,
    )


# --- standard school and emulation ------------------------------------------------------------------
def _stage_text(status: dict) -> str:
    return label(status["stage"] or _("no self-assessment yet"))


def compliance_sheet() -> Sheet:
    """One school's standing against the standard on 31/12 of the year."""

    def rows(scope):
        status = cached_figures(scope)["compliance"][scope.school.pk]
        if not status.get("applies", True):
            yield (1, _("Standard political school"), label(_("not applicable")))
            return
        lines = (
            (_("Standard"), status["standard"]),
            (_("Assessment year"), status["year"]),
            (_("Indicators in total"), status["indicators_total"]),
            (label(_("indicators met (exceeded included)")), status["met"]),
            (label(_("indicators exceeded")), status["exceeded"]),
            (_("Indicators not met"), status["not_met"]),
            (_("Indicators awaiting opinion"), status["pending"]),
            (label(_("level recognised")), level_text(status)),
            (_("Recognition decision date"), status["recognised_on"]),
            (_("Review progress"), _stage_text(status)),
            (_("Indicators in the standard (only the issued ones are assessed)"), status.get("indicators_in_standard")),
        )
        for number, (item, value) in enumerate(lines, start=1):
            yield (number, item, value)

    return Sheet(
        "compliance",
        gettext_lazy("Standard school"),
        lambda scope: [Column(_("No."), "int", width=5), Column(_("Item"), width=40), Column(_("Content"), "value", width=44)],
        rows,
        lambda scope: 11,
    )


def emulation_sheet() -> Sheet:
    """One school's cluster, score, rank and the awards approved for the year."""

    def rows(scope):
        entry = cached_figures(scope)["emulation"][scope.school.pk]
        if not entry["cluster"]:
            yield (1, _("Emulation cluster"), _("not in a cluster this year"))
            return
        lines = [
            (_("Emulation cluster"), entry["cluster"]),
            (_("Schools in the cluster"), entry["members"]),
            (_("Final score"), entry["final_score"]),
            (_("Ranking"), entry["rank"]),
        ] + [(_("Award"), award) for award in entry["awards"]]
        for number, (item, value) in enumerate(lines, start=1):
            yield (number, item, value)

    return Sheet(
        "emulation",
        gettext_lazy("Emulation and awards"),
        lambda scope: [Column(_("No."), "int", width=5), Column(_("Item"), width=28), Column(_("Content"), "value", width=60)],
        rows,
        lambda scope: 5,
    )


def standing_sheet() -> Sheet:
    """The standard-school status and the emulation results on one sheet (two short groups)."""
    parts = ((gettext_lazy("Standard political school"), compliance_sheet()),
             (gettext_lazy("Emulation and awards"), emulation_sheet()))

    def rows(scope):
        number = 0
        for group, sheet in parts:
            for _n, item, value in sheet.rows(scope):
                number += 1
                yield (number, str(group), item, value)

    return Sheet(
        "standing",
        gettext_lazy("Standard school and emulation"),
        lambda scope: [Column(_("No."), "int", width=5), Column(_("Group"), width=22), Column(_("Item"), width=34),
                       Column(_("Content"), "value", width=40)],
        rows,
        lambda scope: 15,
    )
