"""Load the 63 provincial schools that existed before the 2025 mergers (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from schools.reference import load_provincial_schools


class Command(BaseCommand):
    help = ("Create the provincial schools of the 63 former provinces that are missing (schools/data/"
            "provincial_schools.csv), each school merged away marked merged into its successor on 01/07/2025. "
            "Existing schools (same code) keep their data.")

    def handle(self, *args, **options):
        with transaction.atomic():
            schools = load_provincial_schools()
        merged = sum(1 for school in schools.values() if school.merged_into_id)
        self.stdout.write(self.style.SUCCESS(f"{len(schools)} provincial schools ({merged} merged on 01/07/2025)."))
