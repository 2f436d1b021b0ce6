"""A pledge's measures belong to its pact: moving it to another pact re-checks them."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Pledge
from campaigns.pledges.services import pledge_update
from tests.campaigns.factories import make_pact
from tests.campaigns.pledges.test_pledges import payload

pytestmark = pytest.mark.django_db


def test_it_refuses_a_new_pact_that_keeps_the_measures_of_the_old_one(as_role, pact, salon, collective):
    client = as_role("member")
    pledge_id = client.post("/api/pledges/", payload(pact, salon, collective), format="json").json()["id"]
    other = make_pact(measures=4, principles=2, min_measures=3, levels=2)

    response = client.patch(f"/api/pledges/{pledge_id}/", {"pact": other.pk}, format="json")

    assert response.status_code == 400, response.json()
    assert "Mesure n°1 (P1) : elle appartient à un autre pacte." in response.json()["measures"]
    assert Pledge.objects.get().pact_id == pact.pk


def test_a_new_pact_with_its_own_measures_is_accepted(as_role, pact, salon, collective):
    client = as_role("member")
    pledge_id = client.post("/api/pledges/", payload(pact, salon, collective), format="json").json()["id"]
    other = make_pact(measures=4, principles=2, min_measures=3, levels=2)

    response = client.put(f"/api/pledges/{pledge_id}/", payload(other, salon, collective), format="json")

    assert response.status_code == 200, response.json()
    pledge = Pledge.objects.get()
    assert pledge.pact_id == other.pk
    assert set(pledge.measures.values_list("measure__pact_id", flat=True)) == {other.pk}


def test_the_service_checks_the_kept_measures_against_the_new_pact(as_role, pact, salon, collective):
    as_role("member").post("/api/pledges/", payload(pact, salon, collective), format="json")
    pledge = Pledge.objects.get()
    other = make_pact(measures=4, principles=2, min_measures=3, levels=2)

    with pytest.raises(ValidationError, match="appartient à un autre pacte"):
        pledge_update(pledge=pledge, pact=other, by=None)

    assert Pledge.objects.get().pact_id == pact.pk
