"""The public pages: the map and the municipalities' scorecards. They show public data only,
the same for every reader, so a page is rendered once and served from the cache; its key is
the map's (campaigns.map.map_cache_key: published cycles and the data's generation), so a
publication or any write the map reads serves a new page."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from campaigns.map import CACHE_TIMEOUT, map_cache_key
from officials.models import Department, Municipality
from public_pages import selectors

INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
# Query values longer than this are no département, theme or kind: refused before any lookup.
PARAMETER_MAX_LENGTH = 50


def _cached(name: str, parts: dict, render: Callable[[], str]) -> str:
    key = map_cache_key(f"public:{name}", parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, CACHE_TIMEOUT)
    return html


def _page(html: str, *, status: int = 200) -> HttpResponse:
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """/carte/?departement=13&theme=mobilite&type=association"""
    department, theme, kind = (
        request.GET.get(name, "").strip()[:PARAMETER_MAX_LENGTH] for name in ("departement", "theme", "type")
    )
    query, errors = selectors.map_query(department=department, theme=theme, kind=kind)
    if errors:
        # Not cached: a wrong address is the reader's, and would fill the cache.
        context = {**_map_context(department, theme, kind), "errors": errors}
        return _page(render_to_string("public/map.html", context), status=400)
    return _page(
        _cached(
            "map",
            # The tiles' settings too: a shared cache outlives a restart with new settings.
            {
                "department": department,
                "theme": theme,
                "kind": kind,
                "tiles": [settings.PUBLIC_MAP_TILE_URL, settings.PUBLIC_MAP_TILE_ATTRIBUTION],
            },
            lambda: render_to_string(
                "public/map.html",
                {**_map_context(department, theme, kind), **selectors.map_lists(query), "query": query},
            ),
        )
    )


def _map_context(department: str, theme: str, kind: str) -> dict:
    department_row = Department.objects.filter(pk=department).first() if department else None
    query, _errors = selectors.map_query(department=department, theme=theme, kind=kind)
    return {
        "department": department_row,
        "selected": {"department": department, "theme": theme, "kind": kind},
        "choices": selectors.filter_choices(),
        "legend": selectors.legend(),
        "config": {
            "api": reverse("map"),
            "query": selectors.api_parameters(query) if query else None,
            "municipality_url": reverse("public:municipality", args=["00000"]),
            "bounds": None if department else selectors.FRANCE_BBOX,
            "classes": [{"low": row["low"], "colour": row["colour"]} for row in selectors.legend()],
            "tiles": {"url": settings.PUBLIC_MAP_TILE_URL, "attribution": settings.PUBLIC_MAP_TILE_ATTRIBUTION},
        },
    }


@require_safe
def municipality_page(request: HttpRequest, insee_code: str) -> HttpResponse:
    """/communes/<code INSEE>/: the municipality's public scorecard, printable."""
    municipality = (
        Municipality.objects.select_related("department").filter(pk=insee_code).first()
        if INSEE_CODE.match(insee_code)
        else None
    )
    if municipality is None:
        return _page(render_to_string("public/not_found.html", {"insee_code": insee_code[:10]}), status=404)
    # The counts are read each time (two indexed queries) and are part of the key: actions
    # and letters are not in the map's generation, and a page never shows old counts.
    activity = selectors.activity(municipality)
    return _page(
        _cached(
            "municipality",
            {"insee_code": municipality.pk, "activity": activity},
            lambda: render_to_string(
                "public/municipality.html", selectors.municipality_card(municipality, activity=activity)
            ),
        )
    )
