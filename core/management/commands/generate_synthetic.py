"""Generate national-size synthetic data for benchmarks (see bench/synthetic.py)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bench.synthetic import generate


class Command(BaseCommand):
    help = "Generate deterministic synthetic schools, staff, classes, learners, enrollments and marks."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--enrollments-per-year", type=int, default=300_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--end-year", type=int, default=datetime.date.today().year,
                            help="the last year generated (default: this year)")
        parser.add_argument("--replace", action="store_true",
                            help="delete every class, learner, enrollment, mark and plan first")

    def handle(self, *args, **options):
        if options["years"] < 1 or options["enrollments_per_year"] < 1:
            raise CommandError("--years and --enrollments-per-year must be positive.")
        if options["replace"]:
            self._delete_training_data()
        started = time.monotonic()
        try:
            counts = generate(
                years=options["years"], enrollments_per_year=options["enrollments_per_year"],
                seed=options["seed"], end_year=options["end_year"], log=self.stdout.write,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Generated {counts.classes} classes, {counts.learners} learners, {counts.enrollments} enrollments, "
            f"{counts.marks} marks in {time.monotonic() - started:.1f} s."
        ))

    @transaction.atomic
    def _delete_training_data(self):
        from courses.models import (
            AnnualPlan,
            Enrollment,
            Learner,
            Mark,
            PlanLine,
            SchoolLearner,
            TrainingClass,
        )

        for model in (Mark, SchoolLearner, Enrollment, Learner, TrainingClass, PlanLine, AnnualPlan):
            model.objects.all()._raw_delete(model.objects.db)
