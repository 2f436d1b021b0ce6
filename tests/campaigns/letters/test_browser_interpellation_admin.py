"""A member starts an interpellation in the admin, in a real browser on a live server: picks
officials, checks and previews, launches, and waits for the letters (rendered by eager
tasks, then by a real worker process that the progress page follows); then previews a
template being edited. Screenshots are kept under var/test-artifacts/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from campaigns.models import Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import LetterTemplateFactory, MembershipFactory, in_office
from tests.support.browser import CHROMIUM, FLAGS
from tests.tasks.workers.conftest import broker, outbox_settings, workers  # noqa: F401 - fixtures
from tests.test_browser_csp import PASSWORD, open_page, violations

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.fixture
def week(transactional_db, settings, tmp_path, collective, salon):
    """A member of the collective who signs letters, Salon's mayor, and a template."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory(username="camille", first_name="Camille", last_name="Martin")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, collective=collective, role=Membership.Role.COORDINATOR, signs_letters=True)
    mayor = in_office(salon, "maire", first_name="Élodie", last_name="IMBERT", email="").official
    for name in ("ROUX", "BLANC", "GIRAUD"):
        in_office(salon, "adjoint", last_name=name, email="")
    template = LetterTemplateFactory(
        collective=collective,
        name="Plan vélo",
        subject="Le plan vélo à {{ municipality.name }}",
        body="Le collectif {{ collective.name }} souhaite vous rencontrer.",
    )
    return {"mayor": mayor, "template": template}


@pytest.fixture
def browser(week, live_server):
    # Started after the database work and the server: Playwright's sync API runs an event
    # loop in this thread, where Django would then refuse ORM calls.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "camille")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_a_member_starts_an_interpellation_and_waits_for_its_letters(browser, live_server, week):
    page = open_page(browser, live_server, viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server)

    # From the officials' list: tick the mayor, run the action.
    page.goto(f"{live_server.url}/admin/officials/official/")
    page.check(f"input[name=_selected_action][value='{week['mayor'].pk}']")
    page.select_option("select[name=action]", "start_for_officials")
    page.click("button[name=index]")
    page.wait_for_url("**/admin/campaigns/interpellation/lancer/**")
    expect(page.locator(".field-officials")).to_contain_text("Élodie IMBERT")

    page.select_option("#id_template", str(week["template"].pk))
    page.click("input[name=_check]")
    expect(page.locator("#readiness")).to_contain_text("Rien à signaler")
    expect(page.locator(".letter-sheet")).to_contain_text("Madame la Maire")
    expect(page.locator(".preview-meta")).to_contain_text("1 page")
    shot(page, "interpellation-check-and-preview")

    page.click("input[name=_start]")
    page.wait_for_url("**/suivi/")
    expect(page.locator("#job-progress")).to_contain_text("1 / 1 courriers préparés", timeout=60_000)
    expect(page.locator("#letters")).to_contain_text("à poster")
    shot(page, "interpellation-progress")

    merged = page.get_attribute("a[href$='/pdf/'][href*='/api/interpellations/']", "href")
    response = page.request.get(f"{live_server.url}{merged}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    letter = page.get_attribute("#letters a[href^='/api/letters/']", "href")
    assert page.request.get(f"{live_server.url}{letter}").status == 200
    assert violations(page) == []


def test_the_template_editor_previews_the_text_being_typed(browser, live_server, week):
    page = open_page(browser, live_server, viewport={"width": 1400, "height": 1000})
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/campaigns/lettertemplate/{week['template'].pk}/change/")
    expect(page.locator("#merge-fields")).to_contain_text("official.salutation")

    page.fill("#id_body", "Bonjour,\n\n{{ official.full_name")
    page.click("#letter-preview-button")
    expect(page.locator("#letter-preview-result")).to_contain_text("ligne 3 :")
    shot(page, "template-editor-error")

    page.fill("#id_body", "Nous vous écrivons au sujet du plan vélo à {{ municipality.name }}.")
    page.click("#letter-preview-button")
    expect(page.locator("#letter-preview-result")).to_contain_text("1 page")
    sheet = page.locator("#letter-preview-result .letter-sheet")
    expect(sheet).to_contain_text("Madame la Maire")
    expect(sheet).to_contain_text("au sujet du plan vélo à Salon-de-Provence.")
    shot(page, "template-editor-preview")
    # Still on the editor, the text typed and not saved.
    assert page.url.endswith(f"/lettertemplate/{week['template'].pk}/change/")
    assert violations(page) == []


@pytest.mark.worker
def test_the_progress_page_follows_a_real_worker_to_the_letters(week, settings, workers, browser, live_server):  # noqa: F811
    settings.LETTERS_CHUNK_SIZE = 1  # one letter per task: the count moves letter by letter
    workers.start()
    page = open_page(browser, live_server, viewport={"width": 1280, "height": 1000})
    sign_in(page, live_server)

    # From the municipalities' list: Salon, its mayor and deputies.
    page.goto(f"{live_server.url}/admin/officials/municipality/")
    page.check("input[name=_selected_action][value='13103']")
    page.select_option("select[name=action]", "start_for_municipalities")
    page.click("button[name=index]")
    page.wait_for_url("**/admin/campaigns/interpellation/lancer/**")
    page.select_option("#id_municipality_roles", "mayors_and_deputies")
    page.select_option("#id_template", str(week["template"].pk))
    page.click("input[name=_check]")
    expect(page.locator("#recipients")).to_contain_text("4 destinataires")
    page.click("input[name=_start]")
    page.wait_for_url("**/suivi/")
    shot(page, "interpellation-progress-worker-started")

    # The page reloads itself (a meta refresh) until the worker has rendered every letter.
    expect(page.locator("#job-progress")).to_contain_text("4 / 4 courriers préparés", timeout=120_000)
    expect(page.locator("#job-progress")).to_contain_text("Tous les courriers en un PDF", timeout=30_000)
    expect(page.locator("#letters tr.letter-to_post")).to_have_count(4)
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    shot(page, "interpellation-progress-worker-done")
    merged = page.get_attribute("a[href$='/pdf/'][href*='/api/interpellations/']", "href")
    assert page.request.get(f"{live_server.url}{merged}").status == 200
    assert violations(page) == []
