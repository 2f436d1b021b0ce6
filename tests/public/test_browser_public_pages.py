"""The public map and a scorecard in a real browser (Debian's Chromium), offline: Leaflet
from the project's static files, no tile server, no request outside the live server, no
Content-Security-Policy violation. Screenshots are kept under var/test-artifacts/."""

import pytest

from tests.support.browser import chromium, screenshot

# Every violation of the policy, as the page sees it.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def browser(transactional_db, reviewed, live_server):
    # After the database work and the server (tests.support.browser).
    with chromium() as browser:
        yield browser


def open_page(browser, live_server, **options):
    page = browser.new_page(**options)
    page.add_init_script(WATCH)
    page.problems = []

    def failed(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            page.problems.append(f"{response.status}: {response.url}")

    def outside(request):
        if not request.url.startswith((live_server.url, "data:")):
            page.problems.append("outside: " + request.url)

    page.on("response", failed)
    page.on("request", outside)
    return page


def problems(page) -> list[str]:
    return page.evaluate("window.__violations") + page.problems


def coloured(page) -> dict[str, int]:
    """Municipalities drawn on the map, by colour class."""
    return page.evaluate(
        """() => {
          const counts = {};
          for (const path of document.querySelectorAll("#carte path.commune")) {
            const name = [...path.classList].find((c) => c.startsWith("classe-") || c === "sans-score");
            counts[name] = (counts[name] || 0) + 1;
          }
          return counts;
        }"""
    )


def markers(page) -> list[str]:
    return page.eval_on_selector_all("#carte .leaflet-marker-icon.initiative", "icons => icons.map(i => i.title)")


def test_the_map_of_a_department_colours_municipalities_filters_and_opens_a_card(browser, live_server):
    page = open_page(browser, live_server, viewport={"width": 1200, "height": 900})
    page.goto(f"{live_server.url}/carte/?departement=13")
    page.wait_for_selector("#carte[data-state=ready]", timeout=30_000)

    # Salon scores 5/10 (class 4 to 6); Aix (only an unpublished review) and Marseille have none.
    assert coloured(page) == {"classe-2": 1, "sans-score": 2}
    assert sorted(markers(page)) == ["Ferme du Merle", "Vélo-école"]
    assert page.inner_text("#etat-carte") == "3 communes et 2 initiatives sur la carte."
    screenshot(page, "carte-bouches-du-rhone")

    page.select_option("#type", "project")
    page.wait_for_function("() => document.querySelectorAll('#carte .leaflet-marker-icon.initiative').length === 1")
    assert markers(page) == ["Ferme du Merle"]
    assert page.url.endswith("/carte/?departement=13&type=project")
    assert page.inner_text("#nombre-initiatives") == "1"

    # The theme filter scores the municipalities on that theme: Salon did all of its mobility.
    page.select_option("#type", "")
    page.select_option("#theme", "mobilite")
    page.wait_for_function("() => document.querySelectorAll('#carte path.commune.classe-4').length === 1")
    assert coloured(page) == {"classe-4": 1, "sans-score": 2}
    assert markers(page) == ["Vélo-école"]
    screenshot(page, "carte-filtre-mobilite")

    salon = page.locator("#carte path.classe-4")
    box = salon.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#fiche:not([hidden])")
    assert page.inner_text("#fiche-nom") == "Salon-de-Provence"
    assert page.inner_text("#fiche-score") == "Score : 10,0 sur 10"
    assert page.inner_text("#lignes-communes tr:first-child td:first-of-type") == "10,0"
    assert page.inner_text("#fiche-cycle") == "Bilan de mi-mandat 2023"
    assert page.get_attribute("#fiche-lien", "href") == "/communes/13103/"
    screenshot(page, "carte-fiche-salon")

    page.click("#fiche-lien")
    page.wait_for_url(f"{live_server.url}/communes/13103/")
    assert page.inner_text("#score") == "5,0"
    assert problems(page) == []


def test_a_marker_opens_its_card_from_the_keyboard(browser, live_server):
    page = open_page(browser, live_server)
    page.goto(f"{live_server.url}/carte/?departement=13&type=project")
    page.wait_for_selector("#carte[data-state=ready]", timeout=30_000)

    page.focus("#carte .leaflet-marker-icon.initiative")
    page.keyboard.press("Enter")

    page.wait_for_selector("#fiche:not([hidden])")
    assert page.inner_text("#fiche-nom") == "Ferme du Merle"
    assert page.evaluate("document.activeElement.id") == "fiche"
    assert problems(page) == []


def test_the_map_of_france_shows_the_scored_municipalities(browser, live_server):
    page = open_page(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{live_server.url}/carte/")
    page.wait_for_selector("#carte[data-state=ready]", timeout=30_000)

    assert coloured(page) == {"classe-2": 1}
    screenshot(page, "carte-france-telephone")
    assert problems(page) == []


def test_the_scorecard_shows_its_score_and_prints(browser, live_server):
    page = open_page(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{live_server.url}/communes/13103/")

    assert page.inner_text("h1").startswith("Salon-de-Provence")
    assert page.inner_text("#score") == "5,0"
    screenshot(page, "commune-salon-telephone")
    page.emulate_media(media="print")
    assert not page.is_visible("nav")
    assert page.pdf()[:4] == b"%PDF"
    assert problems(page) == []
