"""Load demo data: every app with a ``demo`` module contributes its part (idempotent)."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

# The order matters: later apps build on earlier ones' records.
DEMO_APPS = ["schools", "courses", "research", "emulation", "awards", "compliance", "reports"]


class Command(BaseCommand):
    help = "Load demo schools, staff, training, research, emulation and compliance data (idempotent)."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            if app not in settings.INSTALLED_APPS:
                continue
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed()
            self.stdout.write(f"demo data: {app} ✓")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Accounts use the password demo12345."))
