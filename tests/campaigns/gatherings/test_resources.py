"""Resources shared after an event: links and files, public or for the network's members."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.gatherings.services import events as event_services
from campaigns.models import EventResource
from tests.campaigns.factories import EventFactory, EventResourceFactory, letter_settings  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def gathering(collective):
    return EventFactory(collective=collective)


def upload(name="fiche-afom.pdf", content=b"%PDF-1.4 fiche"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_member_shares_a_file_that_is_downloaded_through_the_api(as_role, gathering):
    response = as_role("member").post(
        f"/api/events/{gathering.pk}/resources/",
        {"title": "Fiche AFOM", "kind": "tool_sheet", "file": upload()},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    file_url = response.json()["file_url"]
    assert file_url == f"/api/events/{gathering.pk}/resources/{response.json()['id']}/file/"
    download = as_role("anonymous").get(file_url)
    assert download.status_code == 200, download.json()
    assert b"".join(download.streaming_content) == b"%PDF-1.4 fiche"
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_link_is_shared_without_a_file(as_role, gathering):
    response = as_role("member").post(
        f"/api/events/{gathering.pk}/resources/",
        {"title": "Playlist de la soirée", "kind": "playlist", "url": "https://musique.example.org/salon"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["file_url"] is None
    resource = EventResource.objects.get()
    assert as_role("anonymous").get(f"/api/events/{gathering.pk}/resources/{resource.pk}/file/").status_code == 404


@pytest.mark.parametrize("body", [{}, {"url": "https://a.example.org/x", "file": "both"}])
def test_a_resource_is_a_link_or_a_file_not_none_nor_both(as_role, gathering, body):
    data = {"title": "Fiche", **body}
    if data.get("file") == "both":
        data["file"] = upload()
    response = as_role("member").post(f"/api/events/{gathering.pk}/resources/", data, format="multipart")

    assert response.status_code == 400
    assert response.json() == {"url": ["Une ressource est un lien ou un fichier (l'un des deux)."]}
    assert not EventResource.objects.exists()


def test_private_resources_are_for_the_networks_members(as_role, gathering):
    EventResourceFactory(event=gathering, title="Publique")
    private = EventResourceFactory(event=gathering, title="Photos de groupe", is_public=False)

    public_titles = [
        item["title"] for item in as_role("anonymous").get(f"/api/events/{gathering.pk}/resources/").json()
    ]
    member_titles = [item["title"] for item in as_role("outsider").get(f"/api/events/{gathering.pk}/resources/").json()]

    assert public_titles == ["Publique"]
    assert sorted(member_titles) == ["Photos de groupe", "Publique"]
    assert as_role("anonymous").get(f"/api/events/{gathering.pk}/resources/{private.pk}/").status_code == 404


def test_deleting_a_resource_removes_its_file_once_committed(as_role, gathering, django_capture_on_commit_callbacks):
    as_role("member").post(
        f"/api/events/{gathering.pk}/resources/", {"title": "Fiche 3C", "file": upload("fiche-3c.pdf")}
    )
    resource = EventResource.objects.get()
    storage, name = resource.file.storage, resource.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("coordinator").delete(f"/api/events/{gathering.pk}/resources/{resource.pk}/")

    assert response.status_code == 204
    assert not storage.exists(name)


def test_a_file_over_the_bound_is_refused(as_role, gathering, monkeypatch):
    monkeypatch.setattr(event_services, "RESOURCE_FILE_MAX_SIZE", 10)

    response = as_role("member").post(
        f"/api/events/{gathering.pk}/resources/", {"title": "Trop gros", "file": upload(content=b"x" * 11)}
    )

    assert response.status_code == 400
    assert response.json() == {"file": ["Le fichier dépasse 0 Mo."]}


def test_a_new_file_replaces_the_old_one_which_goes_once_committed(
    as_role, gathering, django_capture_on_commit_callbacks
):
    client = as_role("member")
    client.post(f"/api/events/{gathering.pk}/resources/", {"title": "Fiche", "file": upload("v1.pdf", b"v1")})
    resource = EventResource.objects.get()
    old = resource.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/api/events/{gathering.pk}/resources/{resource.pk}/",
            {"file": upload("v2.pdf", b"v2")},
            format="multipart",
        )

    assert response.status_code == 200, response.json()
    resource.refresh_from_db()
    assert resource.file.read() == b"v2"
    assert not resource.file.storage.exists(old)
