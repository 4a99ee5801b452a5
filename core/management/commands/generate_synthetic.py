"""Generate national-size synthetic data for benchmarks (see bench/synthetic.py and bench/parts.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bench import parts
from bench.synthetic import generate


class Command(BaseCommand):
    help = ("Generate deterministic synthetic schools, staff, classes, learners, enrollments and marks, then "
            "emulation results, research records and standard-school self-assessments. Each part already "
            "there is skipped, so a re-run adds only what is missing.")

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--enrollments-per-year", type=int, default=300_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--end-year", type=int, default=timezone.localdate().year,
                            help="the last year generated (default: this year)")
        parser.add_argument("--replace", action="store_true",
                            help="delete every class, learner, enrollment, mark and plan first, and the synthetic "
                                 "emulation clusters and the synthetic schools' research records and "
                                 "self-assessments")

    def handle(self, *args, **options):
        if options["years"] < 1 or options["enrollments_per_year"] < 1:
            raise CommandError("--years and --enrollments-per-year must be positive.")
        if options["replace"]:
            self._delete_generated_data()
        from courses.models import Enrollment, Learner

        started = time.monotonic()
        learners = Learner.objects.count()
        if learners:
            self.stdout.write(f"Training data already there ({learners} learners, "
                              f"{Enrollment.objects.count()} enrollments): skipped (--replace makes it again).")
        else:
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
        made = parts.add_missing(seed=options["seed"], first_year=options["end_year"] - options["years"] + 1,
                                 end_year=options["end_year"], log=self.stdout.write)
        for name, result in made.items():
            if result is None:
                self.stdout.write(f"{parts.LABELS[name].capitalize()}: already there, skipped.")
            else:
                rows, seconds = result
                self.stdout.write(self.style.SUCCESS(
                    f"{parts.LABELS[name].capitalize()}: {rows} {parts.UNITS[name]} made in {seconds:.1f} s."))
        totals = ", ".join(f"{n} {label}" for label, n in parts.counts().items())
        self.stdout.write(f"Synthetic schools now have: {totals}.")

    @transaction.atomic
    def _delete_generated_data(self):
        from courses.models import (
            AnnualPlan,
            Enrollment,
            Learner,
            Mark,
            PlanLine,
            SchoolLearner,
            TrainingClass,
        )

        parts.delete()
        for model in (Mark, SchoolLearner, Enrollment, Learner, TrainingClass, PlanLine, AnnualPlan):
            model.objects.all()._raw_delete(model.objects.db)
