import os
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.accounts.factories import UserFactory

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttles count in the cache, which outlives a test: each test starts uncounted."""
    cache.clear()


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def staff_api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory(is_staff=True))
    return client


@pytest.fixture
def user_api(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


@pytest.fixture
def requires_services() -> bool:
    """True when the run is in services mode and every service must be there (CI)."""
    return os.environ.get("REQUIRE_SERVICES") == "1"
