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
