"""Load a version of the standard-school regulation from a JSON file kept in the repository."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from compliance.services import load_standard

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "11-QD-TW-2021.json"


class Command(BaseCommand):
    help = "Load a standard (criteria and indicators) from a JSON file; running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE), help="JSON file (default: 11-QĐ/TW 2021)")
        parser.add_argument(
            "--update", action="store_true",
            help="Overwrite existing indicators with the file's values (by default the Academy's edits are kept).",
        )

    def handle(self, *args, file, update, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            standard, counts = load_standard(data=data, update=update)
        except (ValueError, KeyError) as exc:
            raise CommandError(f"Invalid standard file {path.name}: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(f"Invalid indicator in {path.name}: {exc.messages}") from exc
        self.stdout.write(
            f"{standard}: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
        )
