"""The menu per role (GLOSSARY.md "Navigation by role").

Entries name URL patterns; an entry whose pattern does not exist (yet) is left out, so each app
only has to define its URLs for its menu items to appear.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SCHOOL_MENU = [
    (_("Overview"), "schools:overview", []),
    (_("Training"), None, [
        (_("Annual plans"), "courses:plan_list"),
        (_("Classes"), "courses:class_list"),
        (_("Learners"), "courses:learner_list"),
        (_("Import from Excel"), "courses:import_start"),
    ]),
    (_("Staff and lecturers"), None, [
        (_("Faculties and offices"), "schools:unit_list"),
        (_("Staff and lecturers"), "schools:staff_list"),
        (_("Field trips"), "research:fieldtrip_list"),
    ]),
    (_("Research"), None, [
        (_("Research topics"), "research:topic_list"),
        (_("Workshops and roundtables"), "research:event_list"),
        (_("Publications"), "research:publication_list"),
        (_("Research summary"), "research:summary"),
    ]),
    (_("Emulation"), None, [
        (_("Emulation clusters"), "emulation:school_clusters"),
        (_("Self-score"), "emulation:school_scores"),
        (_("Awards"), "awards:register"),
    ]),
    (_("Standard school"), None, [
        (_("Self-assessment"), "compliance:assessment_list"),
        (_("Gap to the next level"), "compliance:gap"),
    ]),
]

# Grouped so that the whole menu fits an office laptop's 1366 px (tests/e2e/test_layout.py).
ACADEMY_MENU = [
    (_("National dashboard"), "schools:dashboard", []),
    (_("Schools"), None, [
        (_("Schools"), "schools:school_list"),
        (_("Learners"), "courses:academy_learner_list"),
        (_("Joint classes"), "courses:joint_classes"),
        (_("Structure check"), "schools:structure_check"),
    ]),
    (_("Emulation clusters"), "emulation:cluster_list", []),
    (_("Standard-school appraisal"), "compliance:console", []),
    (_("Catalogues"), None, [
        (_("Programmes"), "courses:programme_list"),
        (_("Standard-school criteria"), "compliance:standard_list"),
    ]),
    (_("Change log"), "audit:log_list", []),
]
# The reports, with the year-end lock of the figures they carry.
SCHOOL_REPORTS = [(_("Reports"), "reports:job_list"), (_("Year-end lock"), "yearend:school_locks")]
ACADEMY_REPORTS = [(_("Reports"), "reports:job_list"), (_("Year-end locks"), "yearend:console")]


def _url(name: str, kwargs: dict) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        try:
            return reverse(name)
        except NoReverseMatch:
            return None


def build_menu(user, school=None) -> list[dict]:
    if not user.is_authenticated:
        return []
    if user.is_academy and school is None:
        menu, kwargs = ACADEMY_MENU, {}
    else:
        school = school or user.school
        if school is None:
            return []
        menu, kwargs = SCHOOL_MENU, {"school_code": school.code}
    items = []
    for label, name, children in menu:
        entry = {"label": label, "url": _url(name, kwargs) if name else None, "children": []}
        for child_label, child_name in children:
            url = _url(child_name, kwargs)
            if url:
                entry["children"].append({"label": child_label, "url": url})
        if entry["url"] or entry["children"]:
            items.append(entry)
    reports = [{"label": label, "url": url}
               for label, name in (ACADEMY_REPORTS if menu is ACADEMY_MENU else SCHOOL_REPORTS)
               if (url := _url(name, kwargs))]
    if len(reports) > 1:
        items.append({"label": _("Reports"), "url": None, "children": reports})
    elif reports:
        items.append({**reports[0], "children": []})
    if user.is_academy_admin or (user.is_school_admin and not user.is_academy):
        url = _url("accounts:user_list", {})
        if url:
            items.append({"label": _("Accounts"), "url": url, "children": []})
    return items
