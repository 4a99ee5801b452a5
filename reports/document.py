"""The official form of a report (REPORT_FORM.md): who issues it, where, who signs, its status.

The lines come from school data an administrator edits (``School.superior_body`` …); blank fields
fall back to what the province and the name give, so that a school without them still gets a
correct heading.
"""

from django.utils.translation import gettext as _

from reports.models import Scope
from reports.writer import DocumentHead
from schools.models import Province, School
from schools.selectors import school_name_in_year


def year_locked(school, year: int) -> bool:
    """Whether ``school`` has locked (chốt) the figures of ``year`` (the year-end lock, yearend/):
    reports of an unlocked year say "Số liệu chưa chốt" in their title block."""
    from yearend.services import year_locked as locked

    return locked(school, year)


def _upper(text: str) -> str:
    return (text or "").upper()


def place_of(province_name: str) -> str:
    """"Tỉnh Nghệ An" → "Nghệ An"; "Thành phố Hồ Chí Minh" → "TP. Hồ Chí Minh"; "Thành phố Huế" → "Huế"."""
    name = province_name or ""
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name == "Hồ Chí Minh":
        return "TP. Hồ Chí Minh"
    return name


def committee_of(province_name: str, *, city: bool) -> str:
    """The provincial Party committee: "TỈNH ỦY NGHỆ AN", "THÀNH ỦY HÀ NỘI"."""
    if not province_name:
        return ""
    committee = "THÀNH ỦY" if city else "TỈNH ỦY"
    return f"{committee} {_upper(place_of(province_name).replace('TP. ', 'Thành phố '))}"


def province_place(province: Province | None) -> str:
    return place_of(province.name) if province is not None else ""


def province_committee(province: Province | None) -> str:
    if province is None:
        return ""
    return committee_of(province.name, city=province.kind == Province.Kind.CITY)


def school_lines(school: School, year: int | None = None) -> dict:
    """The document lines of ``school``: superior, issuer, place, symbol, signer.

    For a year in which the school had another name or province than today (a school merged away
    in 2025, reported for 2024 or 2025), the lines are those of that year, from its name history:
    "TỈNH ỦY QUẢNG BÌNH" over the name it then had, place Quảng Bình. The edited fields (superior
    body, issuing body, place, signer's name) describe the school as it is today and are not used
    then; the signer's name is left blank to fill in.
    """
    if year is not None:
        then = school_name_in_year(school, year)
        today_province = school.province.name if school.province_id else ""
        if then["name"] != school.name or then["province"] != today_province:
            return {
                "superior": committee_of(then["province"], city=then["province"].startswith("Thành phố ")),
                "issuer": _upper(then["name"]),
                "place": place_of(then["province"]),
                "symbol": school.document_symbol or "…",
                "signer_capacity": school.signer_capacity,
                "signer_title": school.signer_title or "",
                "signer_name": "",
            }
    return {
        "superior": school.superior_body or province_committee(school.province),
        "issuer": school.issuing_body or _upper(school.name),
        "place": school.place_name or province_place(school.province),
        "symbol": school.document_symbol or "…",
        "signer_capacity": school.signer_capacity,
        "signer_title": school.signer_title or "",
        "signer_name": school.signer_name,
    }


def academy() -> School | None:
    return School.objects.filter(kind=School.Kind.ACADEMY).select_related("province").order_by("pk").first()


ACADEMY_LINES = {
    "superior": "HỌC VIỆN CHÍNH TRỊ QUỐC GIA HỒ CHÍ MINH",
    "issuer": "VỤ CÁC TRƯỜNG CHÍNH TRỊ",
    "place": "Hà Nội",
    "symbol": "…",
    "signer_capacity": "",
    "signer_title": "VỤ TRƯỞNG",
    "signer_name": "",
}


def issuer_lines(scope) -> dict:
    """Who issues a report of ``scope``: the school; the cluster's head school (signing as cluster
    head); the Academy's department of political schools (from the Academy's school record)."""
    if scope.scope == Scope.SCHOOL:
        return school_lines(scope.school, scope.year)
    if scope.scope == Scope.CLUSTER and scope.cluster and scope.cluster.head_id:
        head = School.objects.select_related("province").get(pk=scope.cluster.head_id)
        lines = school_lines(head, scope.year)
        lines["signer_capacity"] = ""
        lines["signer_title"] = head.cluster_signer_title
        return lines
    record = academy()
    if record is None:
        return dict(ACADEMY_LINES)
    return {
        "superior": record.superior_body or ACADEMY_LINES["superior"],
        "issuer": record.issuing_body or ACADEMY_LINES["issuer"],
        "place": record.place_name or ACADEMY_LINES["place"],
        "symbol": record.document_symbol or "…",
        "signer_capacity": record.signer_capacity,
        "signer_title": record.signer_title,
        "signer_name": record.signer_name,
    }


def unlocked(scope) -> bool:
    """Whether any school of the report has not locked the year."""
    return any(not year_locked(school, scope.year) for school in scope.schools) or not scope.schools


def document_head(scope, title: str) -> DocumentHead:
    """The heading and signature block of a report of ``scope`` titled ``title``."""
    lines = issuer_lines(scope)
    years = scope.years_label
    first = scope.first_year or scope.year
    return DocumentHead(
        superior=lines["superior"],
        issuer=lines["issuer"],
        place_date=_("%(place)s, date … month … year %(year)s") % {"place": lines["place"] or "……", "year": "…"},
        number=_("No. …-BC/%(symbol)s") % {"symbol": lines["symbol"]},
        title=_upper(_("%(title)s year %(year)s") % {"title": title, "year": years}),
        period=_("(From 01/01/%(first)s to 31/12/%(last)s)") % {"first": first, "last": scope.year},
        status=_("Figures not yet locked") if unlocked(scope) else "",
        unit=_("Reporting unit: %(unit)s") % {"unit": scope.label},
        receiver=_("Receiving unit: %(unit)s") % {"unit": _receiver(scope)},
        maker=_("PREPARED BY"),
        maker_hint=_("(Signature, full name)"),
        signer_capacity=lines["signer_capacity"],
        signer_title=lines["signer_title"],
        signer_hint=_("(Signature and seal)"),
        signer_name=lines["signer_name"],
    )


def _receiver(scope) -> str:
    if scope.scope == Scope.NATIONAL:
        return _("Ho Chi Minh National Academy of Politics")
    return _("Department of Political Schools")
