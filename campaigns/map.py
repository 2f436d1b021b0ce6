"""The map: municipalities of a bounding box or a département (contour or centroid by
zoom) with their pledge and latest published score, and validated initiatives as points,
as one GeoJSON FeatureCollection. It reads pledges, reviews and initiatives, so it sits on
top of them. Public data only, so one answer serves everyone: it is cached per published
cycle and per generation of the data (core.cache.MAP), which every write it reads starts
anew."""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.initiatives.models import Initiative
from campaigns.initiatives.selectors import initiative_feature, with_feature_rows
from campaigns.pacts.models import Theme
from campaigns.pledges.models import Pledge, counted_pledges
from campaigns.reviews import analytics
from campaigns.reviews.models import ReviewCycle
from campaigns.reviews.selectors import assessments_visible_in
from core.cache import MAP, generation
from officials.models import Department, Municipality

# From this zoom level (web maps: 0 the world, 9 about a département's width) the
# municipalities are drawn by their contour; below it, by their centroid.
CONTOUR_ZOOM = 9
# A bounding box drawn with contours spans at most this many square degrees (about two
# départements): a wider one at a high zoom would be thousands of polygons.
CONTOUR_MAX_AREA = 16.0
CACHE_TIMEOUT = 3600


class MapQuerySerializer(serializers.Serializer):
    bbox = serializers.CharField(
        label="Rectangle (bbox)",
        required=False,
        help_text="Rectangle « minlon,minlat,maxlon,maxlat » en degrés WGS 84 (sinon : department).",
    )
    department = serializers.CharField(
        label="Département", required=False, max_length=3, help_text="Code du département (sinon : bbox)."
    )
    zoom = serializers.IntegerField(
        label="Niveau de zoom",
        required=False,
        default=0,
        min_value=0,
        max_value=22,
        help_text=f"Niveau de zoom : à partir de {CONTOUR_ZOOM}, les contours des communes ; "
        "en dessous, leurs centroïdes.",
    )
    theme = serializers.SlugField(
        label="Thématique",
        required=False,
        help_text="Code d'une thématique : initiatives de ce thème, score des communes sur ce thème.",
    )
    kind = serializers.ChoiceField(
        label="Type", choices=Initiative.Kind.choices, required=False, help_text="Type des initiatives montrées."
    )
    scored = serializers.BooleanField(
        label="Communes notées seulement",
        required=False,
        default=False,
        help_text="Seulement les communes qui ont un score publié (la France entière en reste lisible).",
    )

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        parts = value.split(",")
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            numbers = []
        if len(numbers) != 4 or any(number != number or abs(number) == float("inf") for number in numbers):
            raise serializers.ValidationError(
                _("Quatre nombres séparés par des virgules sont attendus : minlon,minlat,maxlon,maxlat.")
            )
        min_lon, min_lat, max_lon, max_lat = numbers
        if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
            raise serializers.ValidationError(_("Les longitudes vont de -180 à 180."))
        if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
            raise serializers.ValidationError(_("Les latitudes vont de -90 à 90."))
        if min_lon > max_lon or min_lat > max_lat:
            raise serializers.ValidationError(_("Le minimum précède le maximum : minlon,minlat,maxlon,maxlat."))
        return min_lon, min_lat, max_lon, max_lat

    def validate_department(self, value: str) -> str:
        if not Department.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("Département « %(code)s » inconnu.") % {"code": value})
        return value

    def validate_theme(self, value: str) -> str:
        if not Theme.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("Thématique « %(code)s » inconnue.") % {"code": value})
        return value

    def validate(self, attrs: dict) -> dict:
        if ("bbox" in attrs) == ("department" in attrs):
            raise serializers.ValidationError(
                {"bbox": [_("Donnez soit un rectangle (bbox), soit un département (department), pas les deux.")]}
            )
        if "bbox" in attrs and attrs["zoom"] >= CONTOUR_ZOOM:
            min_lon, min_lat, max_lon, max_lat = attrs["bbox"]
            if (max_lon - min_lon) * (max_lat - min_lat) > CONTOUR_MAX_AREA:
                raise serializers.ValidationError(
                    {
                        "bbox": [
                            _(
                                "Rectangle trop grand pour les contours (plus de %(area)s degrés carrés) : "
                                "réduisez-le ou demandez un zoom inférieur à %(zoom)s (centroïdes)."
                            )
                            % {"area": int(CONTOUR_MAX_AREA), "zoom": CONTOUR_ZOOM}
                        ]
                    }
                )
        return attrs


def _in_area(query: dict, *, prefix: str = "") -> Q:
    """Municipalities (through ``prefix``) of the département, or whose centroid is in the box."""
    if "department" in query:
        return Q(**{f"{prefix}department_id": query["department"]})
    min_lon, min_lat, max_lon, max_lat = query["bbox"]
    return Q(
        **{
            f"{prefix}centroid_longitude__range": (min_lon, max_lon),
            f"{prefix}centroid_latitude__range": (min_lat, max_lat),
        }
    )


def latest_scores(codes: list[str], *, theme: str | None = None) -> dict[str, dict]:
    """{INSEE code: {"score", "cycle"}}: each municipality's score in the latest published
    cycle that assessed it (of the theme, when given). One query per published cycle."""
    assessments = assessments_visible_in(territory=[]).filter(pledged_measure__pledge__municipality__in=codes)
    if theme:
        assessments = assessments.filter(pledged_measure__measure__theme__code=theme)
    result: dict[str, dict] = {}
    cycles = (
        ReviewCycle.objects.filter(is_published=True).select_related("scale").prefetch_related("scale__status_weights")
    )
    for cycle in cycles.order_by("-opens_on", "-pk"):
        for row in analytics.progress(cycle=cycle, by="municipality", assessments=assessments):
            if row["key"] not in result and row["assessed"]:
                result[row["key"]] = {"score": row["score"], "cycle": {"id": cycle.pk, "name": cycle.name}}
    return result


def elected_pledges(codes: list[str]) -> dict[str, dict]:
    """The counted (elected list's) pledge of each municipality."""
    pledges = Pledge.objects.filter(counted_pledges(), municipality__in=codes).select_related("pact")
    result = {}
    for pledge in pledges.order_by("municipality_id", "-signed_on", "pk"):
        result.setdefault(
            pledge.municipality_id,
            {"list_name": pledge.list_name, "pact": pledge.pact.name, "signed_on": pledge.signed_on},
        )
    return result


def map_features(query: dict) -> dict:
    """The FeatureCollection of ``query`` (a validated MapQuerySerializer's data)."""
    contours = query["zoom"] >= CONTOUR_ZOOM
    municipalities = Municipality.objects.filter(_in_area(query), centroid_longitude__isnull=False)
    if query.get("scored"):
        # In the database first: a national box holds tens of thousands of municipalities.
        assessed = assessments_visible_in(territory=[]).values("pledged_measure__pledge__municipality")
        municipalities = municipalities.filter(insee_code__in=assessed)
    if contours:
        municipalities = municipalities.select_related("contour")
    rows = list(municipalities.order_by("insee_code"))
    codes = [row.insee_code for row in rows]
    scores, pledges = latest_scores(codes, theme=query.get("theme")), elected_pledges(codes)
    features = []
    if query.get("scored"):
        rows = [row for row in rows if row.insee_code in scores]
    for row in rows:
        point = {"type": "Point", "coordinates": [row.centroid_longitude, row.centroid_latitude]}
        contour = getattr(row, "contour", None) if contours else None
        score = scores.get(row.insee_code)
        features.append(
            {
                "type": "Feature",
                "id": f"municipality-{row.insee_code}",
                "geometry": contour.geometry if contour else point,
                "properties": {
                    "layer": "municipality",
                    "insee_code": row.insee_code,
                    "name": row.name,
                    "department": row.department_id,
                    "centroid": point["coordinates"],
                    "pledge": pledges.get(row.insee_code),
                    "score": score["score"] if score else None,
                    "cycle": score["cycle"] if score else None,
                },
            }
        )
    initiatives = Initiative.objects.filter(status=Initiative.Status.VALIDATED)
    if query.get("theme"):
        initiatives = initiatives.filter(themes__code=query["theme"]).distinct()
    if query.get("kind"):
        initiatives = initiatives.filter(kind=query["kind"])
    if "department" in query:
        initiatives = initiatives.filter(municipality__department_id=query["department"])
    else:
        # Its own point in the box, or none and its municipality's centroid in the box.
        min_lon, min_lat, max_lon, max_lat = query["bbox"]
        initiatives = initiatives.filter(
            Q(longitude__range=(min_lon, max_lon), latitude__range=(min_lat, max_lat))
            | Q(longitude__isnull=True) & _in_area(query, prefix="municipality__")
        )
    initiatives = with_feature_rows(initiatives).order_by("name", "pk")
    for initiative in initiatives:
        feature = initiative_feature(initiative)
        if feature["geometry"] is not None:
            features.append(feature)
    return {"type": "FeatureCollection", "geometry": "contour" if contours else "centroid", "features": features}


def map_cache_key(name: str, query: dict) -> str:
    """The cache key of an answer built from what the map reads (this map, the public pages):
    it holds the published cycles and the data's generation, so a publication or any write
    the map reads serves a new answer."""
    published = list(ReviewCycle.objects.filter(is_published=True).order_by("pk").values_list("pk", flat=True))
    normalized = json.dumps({**query, "cycles": published}, sort_keys=True, default=str)
    return f"{name}:{generation(MAP)}:{hashlib.sha256(normalized.encode()).hexdigest()}"


def cached_map(query: dict) -> dict:
    """``map_features`` from the cache (``map_cache_key``)."""
    key = map_cache_key("map", query)
    body = cache.get(key)
    if body is None:
        body = map_features(query)
        cache.set(key, body, CACHE_TIMEOUT)
    return body


POINT = {
    "type": "object",
    "properties": {"type": {"enum": ["Point"]}, "coordinates": {"type": "array", "items": {"type": "number"}}},
}
CYCLE = {"type": "object", "nullable": True, "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
MUNICIPALITY_PROPERTIES = {
    "type": "object",
    "required": ["layer", "insee_code", "name", "department", "centroid", "pledge", "score", "cycle"],
    "properties": {
        "layer": {"type": "string", "enum": ["municipality"]},
        "insee_code": {"type": "string"},
        "name": {"type": "string"},
        "department": {"type": "string"},
        "centroid": {"type": "array", "items": {"type": "number"}, "description": "[longitude, latitude]"},
        "pledge": {
            "type": "object",
            "nullable": True,
            "description": "Le pacte signé par la liste élue.",
            "properties": {
                "list_name": {"type": "string"},
                "pact": {"type": "string"},
                "signed_on": {"type": "string", "format": "date", "nullable": True},
            },
        },
        "score": {"type": "number", "nullable": True, "description": "Score sur 10 du dernier bilan publié."},
        "cycle": {**CYCLE, "description": "Le bilan publié d'où vient le score."},
    },
}
INITIATIVE_PROPERTIES = {
    "type": "object",
    "required": ["layer", "id", "name", "kind", "municipality", "themes"],
    "properties": {
        "layer": {"type": "string", "enum": ["initiative"]},
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": Initiative.Kind.values},
        "kind_display": {"type": "string"},
        "status": {"type": "string", "enum": Initiative.Status.values},
        "description": {"type": "string"},
        "municipality": {"type": "string"},
        "municipality_name": {"type": "string"},
        "themes": {"type": "array", "items": {"type": "string"}},
        "contact": {"type": "string"},
        "email": {"type": "string"},
        "links": {"type": "array", "items": {"type": "string"}},
        "events": {
            "type": "array",
            "description": "Les rencontres publiques liées à l'initiative.",
            "items": {
                "type": "object",
                "required": ["id", "title", "start_date"],
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "start_date": {"type": "string", "format": "date"},
                },
            },
        },
    },
}
MAP_SCHEMA = {
    "type": "object",
    "description": "GeoJSON FeatureCollection (RFC 7946, WGS 84) : communes puis initiatives.",
    "required": ["type", "geometry", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "geometry": {
            "type": "string",
            "enum": ["contour", "centroid"],
            "description": "Comment les communes sont dessinées.",
        },
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "string", "description": "« municipality-<code INSEE> » ou « initiative-<id> »"},
                    "geometry": {
                        "type": "object",
                        "description": "Point, Polygon ou MultiPolygon",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"type": "string", "enum": ["Point", "Polygon", "MultiPolygon"]},
                            "coordinates": {"type": "array", "items": {}},
                        },
                    },
                    "properties": {"oneOf": [MUNICIPALITY_PROPERTIES, INITIATIVE_PROPERTIES]},
                },
            },
        },
    },
}


class MapView(APIView):
    """La carte : communes (contour ou centroïde selon le zoom) avec leur pacte signé et le score
    du dernier bilan publié, et les initiatives validées, en GeoJSON. Lisible sans compte."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[MapQuerySerializer],
        responses={200: MAP_SCHEMA},
        operation_id="map_retrieve",
    )
    def get(self, request, format=None):
        query = MapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(cached_map(query.validated_data))
