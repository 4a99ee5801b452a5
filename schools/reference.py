"""Reference facts shipped with the app: provinces (63 former → 34 current) and ethnic groups.

Source files are in ``schools/data/`` (see shared/data/README.md of the project brief).
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(province_model, former_model, ethnic_model) -> None:
    """Idempotent: creates what is missing, leaves existing rows alone."""
    provinces = {}
    for row in read_rows("provinces.csv"):
        name = row["current_unit"]
        if name not in provinces:
            provinces[name], _ = province_model.objects.get_or_create(
                name=name, defaults={"kind": row["current_kind"]}
            )
        former_model.objects.get_or_create(
            cccd_code=row["former_code"],
            defaults={"name": row["former_province"], "merged_into": provinces[name]},
        )
    for row in read_rows("ethnic_groups.csv"):
        ethnic_model.objects.get_or_create(order=int(row["order"]), defaults={"name": row["name"]})
