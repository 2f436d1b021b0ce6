"""What the public pages show, read through the concepts' selectors and the map's: public
data only (published reviews, public actions, counts of letters of public campaigns)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.advocacy.selectors import actions_visible_to
from campaigns.initiatives.models import Initiative
from campaigns.letters.selectors import public_letters, reply_rates
from campaigns.map import CONTOUR_ZOOM, MapQuerySerializer, cached_map, elected_pledges, latest_scores
from campaigns.pacts.models import Theme
from campaigns.reviews.models import ReviewCycle
from campaigns.reviews.scorecards import scorecard
from campaigns.reviews.selectors import assessments_visible_in
from officials.models import Department, Municipality

# Colour classes of a score out of 10: (lowest score of the class, colour, label). A
# sequential yellow-to-green scale that reads in greyscale and for colour-blind readers.
SCORE_CLASSES = [
    (0.0, "#ffffcc", gettext_lazy("moins de 2")),
    (2.0, "#c2e699", gettext_lazy("de 2 à moins de 4")),
    (4.0, "#78c679", gettext_lazy("de 4 à moins de 6")),
    (6.0, "#31a354", gettext_lazy("de 6 à moins de 8")),
    (8.0, "#006837", gettext_lazy("de 8 à 10")),
]
NO_SCORE_COLOUR = "#d4d4d4"
# Metropolitan France (minlon, minlat, maxlon, maxlat); overseas départements are chosen by
# their code. At this zoom the map draws centroids, and only scored municipalities.
FRANCE_BBOX = (-5.3, 41.3, 9.7, 51.2)
FRANCE_ZOOM = 5


def score_class(score: float | None) -> int | None:
    """The index of ``score``'s class in SCORE_CLASSES (None: no published score)."""
    if score is None:
        return None
    return max(index for index, (low, _colour, _label) in enumerate(SCORE_CLASSES) if score >= low)


def legend() -> list[dict]:
    rows = [{"colour": colour, "label": label, "low": low} for low, colour, label in SCORE_CLASSES]
    return [*rows, {"colour": NO_SCORE_COLOUR, "label": _("pas de bilan publié"), "low": None}]


def filter_choices() -> dict:
    """The départements, themes (one per code across pacts) and kinds of initiatives to filter by."""
    themes: dict[str, str] = {}
    for code, name in Theme.objects.order_by("position", "name").values_list("code", "name"):
        themes.setdefault(code, name)
    return {
        "departments": list(Department.objects.order_by("code").values_list("code", "name")),
        "themes": list(themes.items()),
        "kinds": list(Initiative.Kind.choices),
    }


def map_query(*, department: str, theme: str, kind: str) -> tuple[dict | None, dict]:
    """The /api/map/ query of the public map (validated by the map's own serializer) and
    its errors: a département by contours, or France by the centroids of scored municipalities."""
    data: dict = {"zoom": CONTOUR_ZOOM} if department else {"zoom": FRANCE_ZOOM, "scored": True}
    if department:
        data["department"] = department
    else:
        data["bbox"] = ",".join(str(number) for number in FRANCE_BBOX)
    if theme:
        data["theme"] = theme
    if kind:
        data["kind"] = kind
    serializer = MapQuerySerializer(data=data)
    if not serializer.is_valid():
        return None, serializer.errors
    return serializer.validated_data, {}


def api_parameters(query: dict) -> dict:
    """``query`` as /api/map/ reads it from an address."""
    parameters = {key: value for key, value in query.items() if key not in {"bbox", "scored"}}
    if "bbox" in query:
        parameters["bbox"] = ",".join(str(number) for number in query["bbox"])
    if query.get("scored"):
        parameters["scored"] = "true"
    return parameters


def map_lists(query: dict) -> dict:
    """The municipalities and initiatives the map draws, as lists (the map's text alternative)."""
    features = cached_map(query)["features"]
    municipalities, initiatives = [], []
    for feature in features:
        properties = feature["properties"]
        if properties["layer"] == "municipality":
            municipalities.append({**properties, "score_class": score_class(properties["score"])})
        else:
            initiatives.append(properties)
    municipalities.sort(key=lambda row: (row["score"] is None, -(row["score"] or 0), row["name"]))
    return {"municipalities": municipalities, "initiatives": initiatives}


def municipality_card(municipality: Municipality, *, activity: dict) -> dict:
    """The public scorecard of ``municipality``: its elected list's pledge, the scorecard of
    the latest published cycle that assessed it, and ``activity`` (``activity()``'s counts)."""
    code = municipality.insee_code
    latest = latest_scores([code]).get(code)
    card = None
    if latest:
        cycle = ReviewCycle.objects.select_related("scale").get(pk=latest["cycle"]["id"])
        card = scorecard(cycle=cycle, municipality=municipality, assessments=assessments_visible_in(territory=[]))
        for row in card["themes"]:
            row["percent"] = round(10 * row["score"]) if row["score"] is not None else 0
        card["score_class"] = score_class(card["score"])
        card["replies"] = [row for row in card["measures"] if row["municipality_reply"]]
    return {
        "municipality": municipality,
        "pledge": elected_pledges([code]).get(code),
        "card": card,
        "activity": activity,
    }


def activity(municipality: Municipality) -> dict:
    """Counts of what collectives did in public about ``municipality``: two queries."""
    actions = actions_visible_to(AnonymousUser()).filter(municipality=municipality, letter__isnull=True).count()
    [letters] = reply_rates(letters=public_letters().filter(municipality=municipality), by="municipality") or [
        {"sent": 0, "answered": 0, "rate": None}
    ]
    return {
        "actions": actions,
        "letters_sent": letters["sent"],
        "letters_answered": letters["answered"],
        "reply_rate": round(100 * letters["rate"]) if letters["rate"] is not None else None,
    }
