"""The base map's tiles are a setting: none by default (nothing fetched), else the page hands
the template to the map and the policy lets their images in."""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from backend.settings import _tile_origin

pytestmark = pytest.mark.django_db


def config(html: str) -> dict:
    return json.loads(re.search(r'<script id="carte-config" type="application/json">(.*?)</script>', html).group(1))


def test_no_tiles_by_default_and_the_template_when_set(territory, settings):
    assert config(Client().get("/carte/?departement=13").content.decode())["tiles"]["url"] == ""

    settings.PUBLIC_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.PUBLIC_MAP_TILE_ATTRIBUTION = "© contributeurs"
    tiles = config(Client().get("/carte/?departement=13").content.decode())["tiles"]

    assert tiles == {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© contributeurs"}


def test_the_policy_gets_the_origin_of_the_tiles():
    assert _tile_origin("https://tiles.example.org/{z}/{x}/{y}.png") == "https://tiles.example.org"
    assert _tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    with pytest.raises(ImproperlyConfigured, match="http"):
        _tile_origin("tiles/{z}/{x}/{y}.png")
