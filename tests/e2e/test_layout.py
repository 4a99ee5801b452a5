"""Layout at the usual office laptop (1366×900, the page fixture's viewport), in Chromium on the demo data.

Every page of the sitemap (tests/e2e/sitemap.py: every named URL pattern with demo ids) is opened as
each role and must not be wider than the window: ``document.documentElement.scrollWidth`` ≤ 1366.
Pages a role may not open (403/404) are skipped for that role — the tenancy tests cover them.
"""

import pytest

from tests.e2e.conftest import login
from tests.e2e.sitemap import demo_pages, unplaced

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 1366
ROLES = [  # (demo user, school whose pages they open)
    ("academy", "HATINH"),
    ("reviewer", "HATINH"),
    ("nghean", "NGHEAN"),
    ("nghean_viewer", "NGHEAN"),
]


def _too_wide(page, pages):
    wide, opened = [], 0
    for name, path in pages.items():
        response = page.goto(path)
        if response.status in (403, 404):
            continue
        assert response.status == 200, (name, path, response.status)
        opened += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            wide.append((name, path, width))
    return wide, opened


@pytest.mark.parametrize(("username", "school_code"), ROLES)
def test_no_page_of_the_sitemap_is_wider_than_1366_px(page, demo, username, school_code):
    pages = demo_pages(school_code)
    assert unplaced(pages) == [], "URL patterns neither in the sitemap nor in NOT_PAGES"
    login(page, username)
    assert page.viewport_size["width"] == WIDTH
    wide, opened = _too_wide(page, pages)
    assert opened >= 25, f"only {opened} pages opened as {username}"
    assert wide == [], f"pages wider than {WIDTH} px as {username}: {wide}"


def test_the_user_menu_is_reachable_at_1366_px(page, demo):
    """The user menu (change password, log out) is inside the window and opens."""
    login(page, "academy")
    page.goto("/s/HATINH/")
    toggle = page.locator("#userMenu")
    box = toggle.bounding_box()
    assert box["x"] + box["width"] <= WIDTH
    toggle.click()
    assert page.locator("a[href='/password/']").is_visible()


@pytest.mark.parametrize("username", ["academy", "nghean"])
def test_report_form_selects_show_their_whole_choice(page, demo, username):
    """The kind and scope selects of the Reports page are wide enough for the longest kind and the
    chosen scope (the kind select was cut off)."""
    login(page, username)
    page.goto("/reports/")
    for name in ("kind", "target"):
        select = page.locator(f"select[name={name}]")
        needed, available = select.evaluate("""select => {
            const style = getComputedStyle(select);
            const canvas = document.createElement('canvas').getContext('2d');
            canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
            const texts = select.name === 'kind' ? [...select.options].map(o => o.text)
                                                 : [select.options[select.selectedIndex].text];
            const widest = Math.max(...texts.map(t => canvas.measureText(t).width));
            const inner = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return [widest, inner];
        }""")
        assert needed <= available, (name, needed, available)
