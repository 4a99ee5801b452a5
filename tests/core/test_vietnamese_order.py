"""School and province names list in Vietnamese alphabetical order on SQLite and Postgres alike.

Both databases order by the "vi" collation that the name columns declare (SQLite: a function
registered per connection from core.vietnamese; Postgres: ICU's Vietnamese locale). A byte-wise
order put "Trần Phú" before "Tô Hiệu" and every "Đ…" after "Y…".
"""

import pytest

from core.vietnamese import collate, text_key
from schools.models import Province, School

NAMES = [  # the expected order
    "Trường Chính trị tỉnh Cà Mau",
    "Trường Chính trị tỉnh Đắk Lắk",
    "Trường Chính trị tỉnh Điện Biên",
    "Trường Chính trị tỉnh Gia Lai",
    "Trường Chính trị Tô Hiệu",
    "Trường Chính trị Trần Phú",
]


def test_text_key_orders_the_vietnamese_alphabet():
    shuffled = [NAMES[i] for i in (3, 5, 0, 4, 1, 2)]
    assert sorted(shuffled, key=text_key) == NAMES
    assert collate("Tô Hiệu", "Trần Phú") == -1 and collate("Đà Nẵng", "Da") == 1
    assert collate("Hà Nội", "hà nội") == 0


@pytest.mark.django_db
def test_schools_and_provinces_order_by_vietnamese_collation():
    for index, name in enumerate(reversed(NAMES)):
        School.objects.create(code=f"ORD{index}", name=name)
    assert list(School.objects.filter(code__startswith="ORD").order_by("name")
                .values_list("name", flat=True)) == NAMES
    names = list(Province.objects.values_list("name", flat=True))  # Meta.ordering = ["name"]
    assert names == sorted(names, key=text_key)
    assert names.index("Tỉnh Đắk Lắk") < names.index("Tỉnh Gia Lai")  # byte order put "Đ" after "G"
