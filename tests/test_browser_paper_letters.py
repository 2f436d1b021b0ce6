"""A member marks a paper letter posted and records its reply in the admin, in a real
browser (Debian's chromium driven by Playwright, as in test_browser_csp), with no policy
violation. Screenshots of each step are kept under var/test-artifacts/."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import sync_playwright

from campaigns.models import Action, Letter, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    ActionFactory,
    CollectiveFactory,
    InterpellationFactory,
    LetterFactory,
    MembershipFactory,
    blank_pdf,
    in_office,
)
from tests.officials.factories import MunicipalityFactory
from tests.support.browser import CHROMIUM, FLAGS
from tests.test_browser_csp import PASSWORD, open_page, violations

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.fixture
def paper_letter(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    salon = MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")
    collective = CollectiveFactory(slug="pays-salonais", name="Pays Salonais", territory=[salon])
    user = UserFactory(username="dominique", first_name="Dominique", last_name="Roux")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(collective=collective, user=user, role=Membership.Role.MEMBER)
    letter = LetterFactory(
        interpellation=InterpellationFactory(collective=collective, title="Le plan vélo à Salon-de-Provence"),
        official=in_office(salon, first_name="Élodie", last_name="IMBERT").official,
        municipality=salon,
        subject="Le plan vélo à Salon-de-Provence",
        status=Letter.Status.TO_POST,
        sent_at=None,
        rendered_at=timezone.now() - dt.timedelta(days=3),
        action=None,
    )
    letter.pdf.save("courrier.pdf", ContentFile(blank_pdf(2)))
    return letter


@pytest.fixture
def browser(paper_letter, live_server):
    # After the database work and the server: Playwright's sync API runs an event loop in
    # this thread, where Django refuses ORM calls (the test reads rows in another thread).
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def read(query):
    """Run an ORM read outside the thread where Playwright's loop runs."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(query).result()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"paper-letters-{name}.png"), full_page=True)


def test_a_member_marks_a_paper_letter_posted_then_records_the_reply(browser, live_server, paper_letter):
    page = open_page(browser, live_server)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/campaigns/letter/a-poster/")
    page.fill("#id_username", "dominique")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/campaigns/letter/a-poster/")
    shot(page, "1-a-poster")

    page.check(f"#item-letter-{paper_letter.pk}")
    page.click("button[name=do][value=post]")
    page.wait_for_selector("#posted_form")
    posted_on = timezone.localdate() - dt.timedelta(days=1)
    page.fill("#id_date", posted_on.strftime("%d/%m/%Y"))
    shot(page, "2-date-de-depot")
    page.click("#posted_form input[type=submit]")
    page.wait_for_selector(".messagelist")
    assert "1 courrier marqué comme posté." in page.inner_text(".messagelist")
    assert "Rien à poster" in page.content()
    shot(page, "3-poste")

    page.goto(f"{live_server.url}/admin/campaigns/letter/{paper_letter.pk}/change/")
    page.fill("#id_reply_date", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("#id_reply_summary", "La maire nous reçoit le 15 décembre.")
    page.select_option("#id_reply_outcome", "positive")
    page.set_input_files(
        "#id_reply_file", files=[{"name": "reponse.pdf", "mimeType": "application/pdf", "buffer": blank_pdf(1)}]
    )
    shot(page, "4-reponse")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    shot(page, "5-reponse-enregistree")

    letter = read(lambda: Letter.objects.select_related("action").get(pk=paper_letter.pk))
    assert (letter.status, letter.posted_on, letter.reply_outcome) == (Letter.Status.ANSWERED, posted_on, "positive")
    assert read(lambda: Action.objects.get(letter=letter).outcome) == Action.Outcome.SUCCESS
    assert violations(page) == []


@pytest.fixture
def action(paper_letter):
    collective = paper_letter.interpellation.collective
    return ActionFactory(collective=collective, municipality=paper_letter.municipality, links=["https://a.example.org"])


def test_a_member_adds_a_link_to_an_action_one_input_per_address(action, browser, live_server):
    page = open_page(browser, live_server)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/campaigns/action/{action.pk}/change/")
    page.fill("#id_username", "dominique")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector(".url-list")

    page.fill("input[name=links] >> nth=1", "mairie.example.fr/conseil")
    page.click(".url-list-add")
    page.fill("input[name=links] >> nth=2", "pas un lien")
    page.click("input[name=_save]")
    page.wait_for_selector(".errorlist")
    assert "Ligne 3 : « pas un lien » n'est pas une adresse web (http ou https)." in page.inner_text(".errorlist")
    shot(page, "6-liens-refuses")

    page.fill("input[name=links] >> nth=2", "")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")

    saved = read(lambda: Action.objects.get(pk=action.pk).links)
    assert saved == ["https://a.example.org", "https://mairie.example.fr/conseil"]
    assert violations(page) == []
