"""Text folding shared by search and by identity matching of imported rows."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Typographic apostrophes and dashes that open data mixes with their ASCII twins.
_TRANSLATE = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "–": "-", "—": "-", "œ": "oe", "æ": "ae"})


def fold(text: str) -> str:
    """Lower-case ``text``, strip accents and collapse spaces: "Lançon-Provence" -> "lancon-provence"."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLATE))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text).strip()


# "de" elides before a vowel, and before an h followed by an accented vowel or a y, which
# is mute in the names met here (Hélène, Hérault, Hyères); other h are taken as aspirated.
_ELIDES = re.compile(r"^([aeiouyàâäéèêëîïôöùûüœæ]|h[àâäéèêëîïôöùûüy])", re.IGNORECASE)


def elides(word: str) -> bool:
    """Whether French elides "de" or "le" before ``word`` ("évaluation", "Élodie")."""
    return bool(_ELIDES.match(word.strip()))


def of(name) -> str:
    """``name`` after "de", as French writes it: "d'Élodie IMBERT", "du Havre", "des
    Pennes-Mirabeau", "de Salon-de-Provence"."""
    name = str(name).strip()
    if name[:3] in ("Le ", "le "):
        return f"du {name[3:]}"
    if name[:4] in ("Les ", "les "):
        return f"des {name[4:]}"
    return f"d'{name}" if elides(name) else f"de {name}"


def of_the(noun) -> str:
    """A common noun after "de" with its article where French elides it ("de l'évaluation");
    without one otherwise ("de commune"), as Django's own titles read."""
    noun = str(noun).strip()
    return f"de l'{noun}" if elides(noun) else f"de {noun}"
