"""Build a report workbook from the command line, through the same code as the Celery task."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from reports.models import Scope
from reports.registry import KINDS, build_workbook
from reports.selectors import ScopeError, resolve_scope
from schools.models import School


class Command(BaseCommand):
    help = "Build a report: --kind school|cluster|national|learners --year YYYY [--from-year YYYY] [--school CODE | --cluster CODE] --out FILE.xlsx"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--from-year", type=int, help="learner register only: the first year it covers")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--school", help="school code (school scope)")
        target.add_argument("--cluster", help="emulation cluster code (cluster scope)")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, **options):
        # The whole command speaks the site's language (Vietnamese), its errors included.
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options):
        kind = KINDS[options["kind"]]
        school = None
        if options["school"]:
            scope = Scope.SCHOOL
            school = School.objects.filter(code__iexact=options["school"].strip()).first()
            if school is None:
                raise CommandError(_("No school has the code “%(code)s”.") % {"code": options["school"]})
        elif options["cluster"]:
            scope = Scope.CLUSTER
        else:
            scope = Scope.NATIONAL
        if scope not in kind.scopes:
            allowed = ", ".join(str(Scope(s).label) for s in kind.scopes)
            raise CommandError(
                _("“%(kind)s” is made for: %(scopes)s.") % {"kind": kind.label, "scopes": allowed}
            )
        first_year = options["from_year"]
        if first_year is not None and kind.key != "learners":
            raise CommandError(_("--from-year is for the learner register (--kind learners) only."))
        out = Path(options["out"])
        if out.suffix.lower() != ".xlsx":
            raise CommandError(_("--out must name an .xlsx file."))
        try:
            resolved = resolve_scope(
                scope=scope, year=options["year"], school=school, cluster_code=options["cluster"] or "",
                first_year=first_year,
            )
        except ScopeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("%(kind)s %(years)s · %(scope)s: %(count)s school(s)")
            % {"kind": kind.label, "years": resolved.years_label, "scope": resolved.label, "count": len(resolved.schools)}
        )
        rows = build_workbook(kind.key, resolved, out, progress=self._progress)
        self.stdout.write(self.style.SUCCESS(
            _("progress: 100%% — %(rows)s rows written to %(out)s") % {"rows": rows, "out": out}
        ))

    _last_printed = -1

    def _progress(self, percent):
        if percent // 5 > self._last_printed:  # one line per 5 %
            self._last_printed = percent // 5
            self.stdout.write(_("progress: %(percent)s%%") % {"percent": percent})
            self.stdout.flush()
