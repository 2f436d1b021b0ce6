"""The admin, Swagger UI, Redoc and the browsable API work in a real browser under the
Content-Security-Policy: no violation, nothing fetched from a third party.

Debian's chromium (`scripts/system-deps.sh --browser`, run by `make test`, installs it), driven by Playwright.
"""

import pytest

from tests.accounts.factories import UserFactory
from tests.support.browser import chromium

PASSWORD = "Vélo-cargo 2026 !"
# Every violation and every request that leaves the site, as the page sees them.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def staff(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="camille", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def browser(staff, live_server):
    # Started after the database work (staff) and the server (tests.support.browser).
    with chromium() as browser:
        yield browser


def open_page(browser, live_server, **options):
    page = browser.new_page(**options)
    page.add_init_script(WATCH)
    page.problems = []

    def failed(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            page.problems.append(f"{response.status}: {response.url}")

    def fetched(request):  # a request the policy blocked never finishes
        if request.url.startswith(("http://", "https://")) and not request.url.startswith(live_server.url):
            page.problems.append("outside: " + request.url)

    page.on("response", failed)
    page.on("requestfinished", fetched)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations") + page.problems


def test_the_admin_signs_in_and_shows_its_pages_with_no_violation(browser, live_server, staff):
    page = open_page(browser, live_server)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/campaigns/collective/add/")
    page.wait_for_load_state("networkidle")

    assert page.locator("#collective_form").count() == 1
    assert violations(page) == []


def test_swagger_ui_renders_the_operations_with_no_violation(browser, live_server, staff):
    # Past a certain size Swagger UI renders only what the window shows (a virtual list):
    # a tall window lets it render many operations.
    page = open_page(browser, live_server, viewport={"width": 1280, "height": 6000})
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=30_000)

    assert page.locator(".opblock").count() > 10
    assert violations(page) == []


def test_redoc_renders_with_no_violation_and_no_third_party_font(browser, live_server, staff):
    page = open_page(browser, live_server)
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_load_state("networkidle")

    assert "Pacte tracker API" in page.inner_text("h1")
    assert "fonts.googleapis.com" not in page.content()
    # Redoc always shows its vendor's logo from a CDN: the policy blocks it, and Redoc then
    # leaves it out. Nothing else is refused.
    assert violations(page) == ["img-src https://cdn.redoc.ly/redoc/logo-mini.svg"]


def test_the_browsable_api_renders_with_no_violation(browser, live_server, staff):
    page = open_page(browser, live_server)
    page.goto(f"{live_server.url}/api/")
    page.wait_for_load_state("networkidle")

    assert page.locator(".response-info").count() == 1
    assert violations(page) == []
