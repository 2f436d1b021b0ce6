"""French text rules of core: elision after "de", and the key a search compares."""

import pytest

from core.search import search_key
from core.text import elides, of, of_the


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Élodie IMBERT", "d'Élodie IMBERT"),
        ("Aix-en-Provence", "d'Aix-en-Provence"),
        ("Hyères", "d'Hyères"),
        ("Hélène Durand", "d'Hélène Durand"),
        ("Salon-de-Provence", "de Salon-de-Provence"),
        ("Haguenau", "de Haguenau"),
        ("Le Havre", "du Havre"),
        ("Les Pennes-Mirabeau", "des Pennes-Mirabeau"),
        ("La Ciotat", "de La Ciotat"),
    ],
)
def test_of_writes_de_as_french_does(name, written):
    assert of(name) == written


@pytest.mark.parametrize(
    ("noun", "written"),
    [("évaluation", "de l'évaluation"), ("action", "de l'action"), ("élu·e", "de l'élu·e"), ("commune", "de commune")],
)
def test_of_the_elides_the_article_before_a_vowel(noun, written):
    assert of_the(noun) == written


def test_elides_reads_the_first_letter_only():
    assert elides("  Yvelines") and not elides("Bouches-du-Rhône") and not elides("")


@pytest.mark.parametrize(
    "typed",
    ["salon de provence", "Salon-de-Provence", "SALON DE PROVENCE", "salon-de provence", " salon  de\tprovence "],
)
def test_the_search_key_ignores_spaces_hyphens_and_case(typed):
    assert search_key(typed) == "salondeprovence"


def test_the_search_key_ignores_accents_and_apostrophes_of_any_kind():
    assert search_key("L’Isle-sur-la-Sorgue") == search_key("l'isle sur la sorgue") == "lislesurlasorgue"
    assert search_key("Saint-Étienne") == search_key("saint etienne") == "saintetienne"
    assert search_key(" - ' ") == ""
