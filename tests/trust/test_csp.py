"""Content-Security-Policy on every response, and templates that satisfy it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.django_db


def directives(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_policy_is_strict(client):
    policy = directives(client.get(reverse("login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[name] and "'unsafe-eval'" not in policy[name]
    assert policy["object-src"] == ["'none'"]


def test_header_is_on_every_kind_of_response(client, users, client_as, school, lecturer):
    responses = [
        client.get(reverse("login")),
        client.get("/"),  # redirect
        client.get("/healthz/"),  # JSON
        client.get("/no-such-page/"),  # 404
        client_as(users["viewer"]).get(lecturer.get_absolute_url()),
        client_as(users["outsider"]).get(lecturer.get_absolute_url()),  # 404 by tenancy
        client_as(users["viewer"]).post(reverse("schools:staff_update", args=[school.code, lecturer.pk])),  # 403
    ]
    for response in responses:
        assert "default-src 'self'" in response["Content-Security-Policy"], response
    assert responses[0]["X-Frame-Options"] == "DENY"


def template_files():
    roots = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(p for root in roots for p in root.rglob("*.html") if ".venv" not in p.parts)


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_no_template_has_inline_script_or_style():
    files = template_files()
    assert len(files) > 10  # the scan really sees the project's templates
    offences = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name, pattern in [("inline <script>", INLINE_SCRIPT), ("style= attribute", STYLE_ATTR),
                              ("<style> element", STYLE_ELEMENT), ("on…= handler", EVENT_HANDLER),
                              ("javascript: URL", JS_URL)]:
            if pattern.search(text):
                offences.append(f"{path.relative_to(ROOT)}: {name}")
    assert offences == []


def test_scanner_catches_offences():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')
    assert STYLE_ATTR.search('<div style="color:red">')
    assert EVENT_HANDLER.search('<a onclick="x()">')


def test_rendered_pages_have_no_inline_code(users, client_as, school, lecturer):
    for url in [reverse("login"), lecturer.get_absolute_url(), reverse("schools:staff_list", args=[school.code])]:
        client = client_as(users["admin"]) if url != reverse("login") else client_as(None)
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html) and not STYLE_ATTR.search(html), url
