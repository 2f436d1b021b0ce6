"""A volunteer fills in a municipality's review grid and imports a CSV in the admin, in a real
browser (Debian's chromium driven by Playwright, as tests/test_browser_csp.py does).
Screenshots are kept under var/test-artifacts/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from campaigns.models import Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import MembershipFactory, make_cycle, sign
from tests.support.browser import CHROMIUM, FLAGS
from tests.test_browser_csp import open_page, violations

PASSWORD = "Vélo-cargo 2026 !"


@pytest.fixture
def week(transactional_db, settings, salon, collective, pact, measures):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="elodie", first_name="Élodie", last_name="Imbert")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, collective=collective, role=Membership.Role.MEMBER)
    pledged = sign(pact, salon, measures[:3], collective=collective, list_name="Salon en transition")
    cycle = make_cycle(pact, name="Bilan de mi-mandat 2026")
    return {"cycle": cycle, "pledged": [pm.pk for pm in pledged]}


@pytest.fixture
def browser(week, live_server):
    # Started after the database work and the server: Playwright's sync API runs an event
    # loop in this thread, where Django would then refuse ORM calls.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def artifact(name: str) -> str:
    folder = Path(settings.VAR_DIR) / "test-artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


def test_a_volunteer_fills_a_grid_and_imports_a_csv_seeing_its_preview(browser, live_server, week, tmp_path):
    cycle, pledged = week["cycle"], week["pledged"]
    page = open_page(browser, live_server, viewport={"width": 1400, "height": 1000})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "elodie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # From the cycle's page to the municipality's grid.
    page.goto(f"{live_server.url}/admin/campaigns/reviewcycle/{cycle.pk}/change/")
    page.click("#review-municipalities a:text('Salon-de-Provence')")
    page.wait_for_url(f"**/reviewcycle/{cycle.pk}/municipalities/13103/grid/")

    first, second = f"m{pledged[0]}", f"m{pledged[1]}"
    page.select_option(f"#id_{first}-status", "done")
    page.fill(f"#id_{first}-evidence", "Délibération du 12 mars 2026")
    page.fill(f"#id_{first}-sources", "https://salon.example/deliberation")
    page.click(f"#row-{first} button.url-list-add")
    page.fill(f"#id_{first}-sources_2", "salon.example/presse")
    page.select_option(f"#id_{second}-status", "partial")
    page.fill(f"#id_{second}-progress", "60")
    page.screenshot(path=artifact("review-grid-filled.png"), full_page=True)
    page.click("input[name=_save]")

    expect(page.locator(".messagelist")).to_contain_text("2 mesures enregistrées.")
    expect(page.locator(f"#id_{first}-status")).to_have_value("done")
    expect(page.locator(f"#id_{first}-progress")).to_have_value("100")
    expect(page.locator(f"#id_{first}-sources_2")).to_have_value("https://salon.example/presse")
    expect(page.locator(f"#id_{second}-progress")).to_have_value("60")
    page.screenshot(path=artifact("review-grid-saved.png"), full_page=True)

    # A CSV with one change: its preview, then the confirmation.
    csv = tmp_path / "bilan.csv"
    csv.write_text("Code INSEE;Liste;Mesure;Statut\r\n13103;Salon en transition;03;en cours\r\n", encoding="utf-8")
    page.goto(f"{live_server.url}/admin/campaigns/reviewcycle/{cycle.pk}/change/")
    page.click("text=Importer un CSV")
    page.set_input_files("#id_file", str(csv))
    page.click("#import-upload input[type=submit]")

    expect(page.locator("#import-summary")).to_contain_text("0 à créer, 1 à modifier, 0 sans changement, 0 refusée(s)")
    expect(page.locator("#import-updated")).to_contain_text("non évaluée → en cours")
    page.screenshot(path=artifact("review-import-preview.png"), full_page=True)
    page.click("#import-confirm input[type=submit]")

    expect(page.locator(".messagelist")).to_contain_text("Import enregistré : 0 évaluation(s) créée(s), 1 modifiée(s)")
    page.goto(f"{live_server.url}/admin/campaigns/reviewcycle/{cycle.pk}/municipalities/13103/grid/")
    expect(page.locator(f"#id_m{pledged[2]}-status")).to_have_value("in_progress")
    assert violations(page) == []
