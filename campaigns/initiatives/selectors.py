"""Who reads which initiative, and initiatives as GeoJSON."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from campaigns.collectives.access import is_staff, roles_of
from campaigns.initiatives.models import Initiative


def initiatives_visible_to(user) -> QuerySet[Initiative]:
    """Validated initiatives for everyone; proposed ones for the members of the collective
    that follows them, and staff."""
    if is_staff(user):
        return Initiative.objects.all()
    return Initiative.objects.filter(Q(status=Initiative.Status.VALIDATED) | Q(collective_id__in=list(roles_of(user))))


def initiative_point(initiative: Initiative) -> tuple[float, float] | None:
    """Its own point, else its municipality's centroid (select the municipality)."""
    if initiative.longitude is not None:
        return initiative.longitude, initiative.latitude
    municipality = initiative.municipality
    if municipality.centroid_longitude is None:
        return None
    return municipality.centroid_longitude, municipality.centroid_latitude


def initiative_feature(initiative: Initiative) -> dict:
    """A GeoJSON Feature (a Point, or no geometry when neither it nor its municipality has
    one); select the municipality and prefetch the themes."""
    point = initiative_point(initiative)
    return {
        "type": "Feature",
        "id": f"initiative-{initiative.pk}",
        "geometry": {"type": "Point", "coordinates": list(point)} if point else None,
        "properties": {
            "layer": "initiative",
            "id": initiative.pk,
            "name": initiative.name,
            "kind": initiative.kind,
            "kind_display": initiative.get_kind_display(),
            "status": initiative.status,
            "description": initiative.description,
            "municipality": initiative.municipality_id,
            "municipality_name": initiative.municipality.name,
            "themes": [theme.code for theme in initiative.themes.all()],
            "contact": initiative.contact,
            "email": initiative.email,
            "links": initiative.links,
        },
    }


def initiatives_geojson(queryset: QuerySet[Initiative]) -> dict:
    rows = queryset.select_related("municipality").prefetch_related("themes")
    return {"type": "FeatureCollection", "features": [initiative_feature(row) for row in rows]}
