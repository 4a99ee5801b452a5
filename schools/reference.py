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


# Thừa Thiên Huế became the centrally-run Thành phố Huế on 01/01/2025 (Resolution 1314/NQ-UBTVQH15);
# its school was renamed, not merged (issue 14).
CITY_RENAMES = {
    "HUE": ("2025-01-01", "Trường Chính trị Nguyễn Chí Thanh thành phố Huế", "Thành phố Huế"),
}


def load_provincial_schools() -> dict:
    """Every provincial school that existed before the 2025 mergers (``data/provincial_schools.csv``:
    the 63 former provinces; official names from DOMAIN.md §1.2 where known, else "Trường Chính trị
    tỉnh <tên tỉnh>"), each school merged away marked merged into its successor on 01/07/2025.

    Idempotent and conservative: an existing school (same code) keeps its name, short name, region
    and records; only missing facts are added (the merger, the name period with the province of its
    time). Returns ``{code: School}``.
    """
    import datetime

    from schools import services
    from schools.models import Province, School, SchoolName

    rows = read_rows("provincial_schools.csv")
    provinces = {p.name: p for p in Province.objects.all()}
    schools = {}
    for row in sorted(rows, key=lambda r: bool(r["merged_into"])):  # successors first
        school = School.objects.filter(code=row["code"]).first()
        rename = CITY_RENAMES.get(row["code"])
        if school is None:
            school = School.objects.create(
                code=row["code"], kind=School.Kind.PROVINCIAL, name=rename[1] if rename else row["name"],
                short_name=row["short_name"], region=row["region"], province=provinces.get(row["current_unit"]),
            )
        if row["merged_into"] and not school.merged_into_id:
            school.merged_into = schools[row["merged_into"]]
            school.merged_on = datetime.date.fromisoformat(row["merged_on"])
            school.save()
        first = SchoolName.objects.filter(school=school, valid_from__isnull=True).first()
        if first is None:
            SchoolName.objects.create(school=school, valid_from=None, name=row["name"] if rename else school.name,
                                      short_name=school.short_name, province_name=row["province_then"])
        elif first.province_name != row["province_then"] and (row["merged_into"] or rename):
            first.province_name = row["province_then"]
            if rename:
                first.name = row["name"]
            first.save()
        if rename and not school.names.filter(valid_from=rename[0]).exists():
            services.record_name(school, valid_from=datetime.date.fromisoformat(rename[0]), name=rename[1],
                                 short_name=school.short_name, province_name=rename[2])
        schools[row["code"]] = school
    return schools
