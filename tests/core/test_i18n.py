"""Vietnamese everywhere, right: our catalogs win over Django's, and pages show no stray English.

1. Every entry of every catalog of ours renders, in Vietnamese, exactly as that catalog says: a
   third-party catalog (the admin's "active" → "Kích hoạt") or another of our catalogs translating
   the same msgid differently would show up here. One msgid, one translation (GLOSSARY).
2. Every page of the sitemap (every URL pattern, filled with a demo school's records, as that
   school's administrator and as the Academy administrator) is rendered in Vietnamese and its
   visible text searched for words known to be wrong: English left untranslated and the terms the
   glossary replaced.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import User
from tests.trust.test_tenancy_sweep import urls_for
from tests.trust.worlds import build_worlds

ROOT = Path(settings.BASE_DIR)
CATALOGS = sorted(ROOT.glob("*/locale/vi/LC_MESSAGES/django.po")) + [ROOT / "locale/vi/LC_MESSAGES/django.po"]

# Visible words that must never appear on a Vietnamese page.
WRONG_TERMS = [
    "Kích hoạt",  # Django admin's "active"
    "ngày-giảng viên", "đóng băng", "tiêu chí cha", "minh chứng trực tiếp", "dự thảo", "Dự kiến",
    "file mẫu", "trường cán bộ bộ, ngành",
]
ENGLISH_WORDS = ["version", "Save", "Cancel", "Delete", "Search", "Export", "Download", "History", "Edit",
                 "None", "True", "False", "Showing", "Previous", "Next", "active", "inactive", "field",
                 "draft", "Add", "Back", "Yes", "No", "yes", "no"]
ENGLISH = re.compile(r"(?<![\w/.-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w/.-])")


def test_catalogs_exist():
    assert len(CATALOGS) >= 9 and all(path.exists() for path in CATALOGS)


def test_every_catalog_entry_renders_as_its_catalog_says():
    wrong = []
    with translation.override("vi"):
        for path in CATALOGS:
            for entry in polib.pofile(str(path)):
                if entry.obsolete or entry.msgid_plural or not entry.msgstr or "fuzzy" in entry.flags:
                    continue
                shown = (translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt
                         else translation.gettext(entry.msgid))
                if shown != entry.msgstr:
                    wrong.append(f"{path.relative_to(ROOT)}: {entry.msgid!r} → {shown!r}, not {entry.msgstr!r}")
    assert not wrong, "translations overridden at run time:\n" + "\n".join(wrong)


class VisibleText(HTMLParser):
    """Text a reader sees: text nodes outside script/style, and title/placeholder/aria-label values."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def problems_on(client: Client, label: str, url: str) -> list[str]:
    response = client.get(url)
    if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
        return []
    text = visible_text(response.content.decode())
    found = [term for term in WRONG_TERMS if term in text]
    found += sorted({match.group(1) for match in ENGLISH.finditer(text)})
    return [f"{label} {url}: {', '.join(found)}"] if found else []


@pytest.mark.django_db
def test_sitemap_pages_are_in_vietnamese():
    a, _b = build_worlds()
    urls, unfillable = urls_for(a)
    assert not unfillable and len(urls) > 150
    pages = [(label, url) for label, url in urls if not url.startswith("/django-admin/")]
    problems = []
    for user in (a.admin, User.objects.get(username="academy")):
        client = Client()
        client.force_login(user)
        client.raise_request_exception = False
        for label, url in pages:
            problems += problems_on(client, f"[{user.username}] {label}", url)
    assert not problems, "English or replaced words on Vietnamese pages:\n" + "\n".join(problems)
