"""Builders for training records in tests (kept in one school, with valid citizen IDs)."""

import datetime
import itertools
from decimal import Decimal

from courses.models import (
    DEFAULT_BANDS,
    ClassificationBand,
    Enrollment,
    Learner,
    Module,
    Programme,
    TrainingClass,
)

_serial = itertools.count(1)


def cccd_for(date_of_birth: datetime.date, sex: str = "M", province: str = "040", serial: int | None = None) -> str:
    """A valid CCCD for someone born on ``date_of_birth`` (century/sex digit and year digits agree)."""
    digit = (0 if date_of_birth.year < 2000 else 2) + (1 if sex == "F" else 0)
    serial = next(_serial) if serial is None else serial
    return f"{province}{digit}{date_of_birth.year % 100:02d}{serial:06d}"


def make_programme(code="TC-LLCT", *, modules=3, has_thesis=False, has_exam=False, bands=True, **kwargs):
    programme = Programme.objects.create(
        code=code, name=kwargs.pop("name", f"Trung cấp lý luận chính trị {code}"),
        kind=kwargs.pop("kind", Programme.Kind.INTERMEDIATE), has_thesis=has_thesis, has_exam=has_exam, **kwargs,
    )
    for order in range(1, modules + 1):
        Module.objects.create(programme=programme, order=order, name=f"Học phần {order}")
    if bands:
        ClassificationBand.objects.bulk_create(
            [ClassificationBand(programme=programme, label=label, min_average=minimum) for label, minimum in DEFAULT_BANDS]
        )
    return programme


def make_class(school, programme, code="K52A", opening=datetime.date(2025, 3, 1), closing=None, **kwargs):
    return TrainingClass.objects.create(
        school=school, programme=programme, code=code, name=kwargs.pop("name", f"Lớp {code}"),
        opening_date=opening, closing_date=closing,
        status=kwargs.pop("status", TrainingClass.Status.CLOSED if closing else TrainingClass.Status.IN_PROGRESS),
        **kwargs,
    )


def make_learner(full_name="Nguyễn Văn An", dob=datetime.date(1985, 5, 1), sex="M", **kwargs):
    return Learner.objects.create(full_name=full_name, date_of_birth=dob, sex=sex, cccd=cccd_for(dob, sex), **kwargs)


def enroll(training_class, learner=None, **kwargs):
    return Enrollment.objects.create(training_class=training_class, learner=learner or make_learner(), **kwargs)


D = Decimal
