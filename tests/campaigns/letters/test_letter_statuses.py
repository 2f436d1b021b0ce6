"""The states a letter goes through, as the API describes them: no state that nothing sets."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_states_a_letter_can_be_in():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    enum = response.json()["components"]["schemas"]["LetterStatusEnum"]["enum"]
    assert enum == ["draft", "to_post", "posted", "sending", "sent", "failed", "answered"]
