"""The cell rules of the learner import (the pages and the command run them: see test_import.py)."""

import datetime

import pytest

from courses.importer import ethnic_lookup, parse_date, parse_ethnic, parse_sex, parse_theory_level
from courses.models import Learner
from schools.models import EthnicGroup

D = datetime.date(1980, 3, 5)


@pytest.mark.parametrize(
    "value",
    [D, datetime.datetime(1980, 3, 5, 0, 0), "05/03/1980", "5/3/1980", " 05-03-1980 ", "05.03.1980", "1980-03-05",
     29285],  # 29285 = the Excel serial number of 05/03/1980, from a date typed into a number cell
)
def test_dates_in_every_form_schools_send(value):
    assert parse_date(value) == D


@pytest.mark.parametrize("value", ["1980", 1980, "31/02/1980", "05/03/80", "mùng 5 tháng 3", "05/03/1980 xx"])
def test_anything_else_is_not_a_date(value):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_date(value)


def test_empty_date_cells_are_none():
    assert parse_date(None) is None and parse_date("  ") is None


@pytest.mark.parametrize(("value", "sex"), [("Nam", "M"), (" nam ", "M"), ("Nữ", "F"), ("NỮ", "F"), ("nu", "F")])
def test_sex(value, sex):
    assert parse_sex(value) == sex


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "name"),
    [("Kinh", "Kinh"), ("kinh", "Kinh"), ("KINH", "Kinh"), ("Thái", "Thái"), ("thai", "Thái"), ("Ê-đê", "Ê Đê"),
     ("Êđê", "Ê Đê"), ("Bru-Vân Kiều", "Bru - Vân Kiều"), ("H'Mông", None), ("Mông", "Mông"), ("Mạ", "Mạ")],
)
def test_ethnic_groups_match_ignoring_case_diacritics_and_spacing(value, name):
    lookup = ethnic_lookup()
    if name is None:
        with pytest.raises(ValueError, match="54 dân tộc"):
            parse_ethnic(value, lookup)
    else:
        assert parse_ethnic(value, lookup) == EthnicGroup.objects.get(name=name).pk


@pytest.mark.parametrize(
    ("value", "level"),
    [("Sơ cấp", Learner.TheoryLevel.ELEMENTARY), ("sơ cấp LLCT", Learner.TheoryLevel.ELEMENTARY),
     ("Trung cấp lý luận chính trị", Learner.TheoryLevel.INTERMEDIATE), ("TC", Learner.TheoryLevel.INTERMEDIATE),
     ("Cao cấp", Learner.TheoryLevel.ADVANCED), ("Cử nhân chính trị", Learner.TheoryLevel.BACHELOR),
     ("", ""), (None, ""), ("Chưa có", "")],
)
def test_theory_levels(value, level):
    assert parse_theory_level(value) == level


def test_unknown_theory_level_is_refused():
    with pytest.raises(ValueError, match="Trung cấp"):
        parse_theory_level("Thạc sĩ")
