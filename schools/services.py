"""Write-side rules for schools: renames (name history), dissolving a centre."""

from django.db import transaction
from django.utils import timezone

from schools.models import School, SchoolName


def ensure_name_history(school: School) -> None:
    """Give ``school`` its first (undated) name period from its stored values when it has none."""
    if not school.names.exists():
        SchoolName.objects.create(
            school=school, valid_from=None, name=school.name, short_name=school.short_name,
            province_name=school.province.name if school.province_id else "",
        )


@transaction.atomic
def record_name(school: School, *, valid_from, name: str, short_name: str = "", province_name: str = "",
                decision: str = "") -> SchoolName:
    """Record a name period of ``school`` starting ``valid_from`` (None: since before the records).

    The school's first name period is created from its current values when it has none yet, so a
    rename never loses the old name. When the new period is the latest one and has begun, the
    school's current official name and short name follow it.
    """
    ensure_name_history(school)
    record, _ = SchoolName.objects.update_or_create(
        school=school, valid_from=valid_from,
        defaults={"name": name, "short_name": short_name, "province_name": province_name, "decision": decision},
    )
    latest = school.names.order_by("-valid_from").exclude(valid_from__isnull=True).first() or record
    if latest.pk == record.pk and (valid_from is None or valid_from <= timezone.localdate()):
        school.name, school.short_name = name, short_name
        school.save(update_fields=["name", "short_name", "updated_at"])
    return record


def current_period_start(school: School):
    """Start of the school's name period in force today (None: undated), for in-place corrections."""
    today = timezone.localdate()
    record = school.names.filter(valid_from__lte=today).order_by("-valid_from").first()
    return record.valid_from if record else None


@transaction.atomic
def dissolve(school: School, *, on, successor: School | None = None) -> School:
    """Dissolve ``school`` (typically a district centre on 01/07/2025): its records stay under its name."""
    school.dissolved_on = on
    school.successor = successor
    school.full_clean()
    school.save()
    return school
