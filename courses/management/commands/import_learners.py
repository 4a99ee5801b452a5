"""``python manage.py import_learners <school-code> <class-code> <file.xlsx>``: the web import's code path.

Every row is validated first; with any problem the command prints each one ("Dòng 5, cột Số CCCD: …"),
saves nothing and exits with status 1. Otherwise it saves every row in one transaction and prints how
many learners were added and linked.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses import importer
from courses.models import TrainingClass
from schools.models import School


class Command(BaseCommand):
    help = "Import learners from an .xlsx workbook (the import template) into a class."

    def add_arguments(self, parser):
        parser.add_argument("school_code")
        parser.add_argument("class_code")
        parser.add_argument("file", type=Path)

    def handle(self, *args, school_code, class_code, file, **options):
        school = School.objects.filter(code=school_code).first()
        if school is None:
            raise CommandError(_("No school with the code %(code)s.") % {"code": school_code})
        training_class = TrainingClass.objects.for_school(school).filter(code=class_code).first()
        if training_class is None:
            raise CommandError(_("The school %(school)s has no class with the code %(code)s.")
                               % {"school": school_code, "code": class_code})
        if not file.is_file():
            raise CommandError(_("File not found: %(file)s") % {"file": file})
        try:
            analysis, result = importer.import_file(file, training_class=training_class)
        except ValidationError as exc:  # the file or the class is refused as a whole
            raise CommandError(" ".join(exc.messages)) from exc
        if result is None:
            for error in analysis.errors:
                self.stderr.write(str(error))
            raise CommandError(_("%(n)s problems in %(rows)s rows; nothing was saved.")
                               % {"n": len(analysis.errors), "rows": analysis.rows})
        self.stdout.write(_(
            "%(added)s new learners added, %(linked)s learners already on record linked, "
            "%(already)s already in the class (class %(code)s).") % {
            "added": result.added, "linked": result.linked, "already": result.already, "code": training_class.code})
