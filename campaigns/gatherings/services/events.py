"""Writes of events and their parts: programme, speakers, participants, resources."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.collectives.access import content_check, is_coordinator, is_member
from campaigns.collectives.models import Collective
from campaigns.gatherings.models import Event, EventResource, ParticipantCount, ProgrammeItem, Speaker
from campaigns.gatherings.models.events import LIST_ITEM_MAX_LENGTH, PARTNERS_MAX_COUNT, REQUESTS_MAX_COUNT
from core.cache import MAP, new_generation
from core.writes import author, save_with_relations

RESOURCE_FILE_MAX_SIZE = 20 * 1024 * 1024  # method sheets, photos: a bound for each upload

EVENT_RELATIONS = ("co_organisers", "attending_collectives")


@dataclass
class ParticipantInput:
    category: str
    count: int


@dataclass
class SpeakerInput:
    official: object = None  # an Official, or None for someone named
    name: str = ""
    organisation: str = ""
    role: str = ""


def _text_list_problem(values, *, max_count: int) -> str:
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        return _("une liste de textes est attendue.")
    if len(values) > max_count:
        return _("%(count)s lignes ; %(max)s au plus.") % {"count": len(values), "max": max_count}
    if any(len(value) > LIST_ITEM_MAX_LENGTH for value in values):
        return _("une ligne dépasse %(max)s caractères.") % {"max": LIST_ITEM_MAX_LENGTH}
    return ""


def organiser_check(*, event: Event, by) -> None:
    """Members of the organising collective (and staff) write an event's parts; ``by=None``
    (the system, a command) is not asked."""
    if by is not None and not is_member(by, event.collective_id):
        raise ValidationError(
            {
                "event": [
                    _("Seul·es les membres du collectif « %(name)s », qui organise cette rencontre, la modifient.")
                    % {"name": event.collective.name}
                ]
            }
        )


def organiser_delete_check(*, event: Event, by) -> None:
    """Its coordinators (and staff) delete a part, as they delete the event."""
    if by is not None and not is_coordinator(by, event.collective_id):
        raise ValidationError(
            {
                "event": [
                    _(
                        "Seul·es les coordinateur·rices du collectif « %(name)s » suppriment une partie "
                        "de cette rencontre."
                    )
                    % {"name": event.collective.name}
                ]
            }
        )


def event_check(event: Event) -> None:
    for name, max_count in (("partners", PARTNERS_MAX_COUNT), ("requests", REQUESTS_MAX_COUNT)):
        problem = _text_list_problem(getattr(event, name), max_count=max_count)
        if problem:
            raise ValidationError({name: [problem]})
    if event.follows_id is not None and event.follows_id == event.pk:
        raise ValidationError({"follows": [_("Une rencontre ne peut pas être la suite d'elle-même.")]})
    event.full_clean(exclude=["collective", "municipality", "follows"], validate_unique=False)


@transaction.atomic
def event_create(
    *,
    collective: Collective,
    by,
    event: Event | None = None,
    participants: list[ParticipantInput] | None = None,
    **fields,
) -> Event:
    """A new event organised by ``collective``, by ``by`` (None: the system), a member of it;
    ``event`` is an unsaved one to fill in (the admin's). An event may be held beyond the
    collective's territory: its municipality is not checked against it."""
    content_check(by=by, collective=collective)
    event = event or Event()
    event.collective, event.created_by = collective, author(by)
    _event_save(event, fields, participants)
    return event


@transaction.atomic
def event_update(*, event: Event, by, participants: list[ParticipantInput] | None = None, **fields) -> Event:
    """Change ``event`` (as stored) by ``by`` (None: the system), a member of its organising
    collective (and of the new one, when it changes); its municipality may be anywhere."""
    content_check(by=by, collective=fields.get("collective", event.collective), before=(event.collective, ()))
    _event_save(event, fields, participants)
    _map_follows(event)
    return event


@transaction.atomic
def event_delete(*, event: Event, by) -> None:
    """Remove the event with its parts: its coordinators (and staff; None: the system)."""
    organiser_delete_check(event=event, by=by)
    _map_follows(event)
    event.delete()


def _map_follows(event: Event) -> None:
    # The map shows the public events linked to initiatives (their title and date): a change
    # of one starts a new generation of its cache. Read through the relation the map declares.
    if event.initiatives.exists():
        new_generation(MAP)


def _event_save(event: Event, fields: dict, participants) -> None:
    related = {name: fields.pop(name) for name in EVENT_RELATIONS if name in fields}
    for name, value in fields.items():
        setattr(event, name, value)
    event_check(event)
    save_with_relations(event, related, EVENT_RELATIONS)
    if participants is not None:
        _participants_replace(event, participants)


def participants_check(participants: list[ParticipantInput]) -> None:
    """Each category once (whatever its case and spaces)."""
    seen = set()
    for item in participants:
        key = item.category.strip().casefold()
        if key in seen:
            raise ValidationError(
                {
                    "participants": [
                        _("La catégorie « %(category)s » est comptée deux fois.") % {"category": item.category}
                    ]
                }
            )
        seen.add(key)


@transaction.atomic
def participants_set(*, event: Event, by, participants: list[ParticipantInput]) -> list[ParticipantCount]:
    """Replace the event's counts by category (in the given order), by ``by``, an organiser."""
    organiser_check(event=event, by=by)
    return _participants_replace(event, participants)


def _participants_replace(event: Event, participants: list[ParticipantInput]) -> list[ParticipantCount]:
    participants_check(participants)
    event.participant_counts.all().delete()
    return ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, category=item.category.strip(), count=item.count, position=index)
        for index, item in enumerate(participants)
    )


def programme_item_check(item: ProgrammeItem) -> None:
    event = item.event
    if not event.start_date <= item.date <= event.last_date:
        raise ValidationError(
            {
                "date": [
                    _("Le %(date)s n'est pas un jour de la rencontre (du %(start)s au %(end)s).")
                    % {
                        "date": item.date.strftime("%d/%m/%Y"),
                        "start": event.start_date.strftime("%d/%m/%Y"),
                        "end": event.last_date.strftime("%d/%m/%Y"),
                    }
                ]
            }
        )
    item.full_clean(exclude=["event"], validate_unique=False)


@transaction.atomic
def programme_item_create(*, event: Event, by, speakers: list[SpeakerInput] = (), item=None, **fields) -> ProgrammeItem:
    """A slot of the event's programme, by ``by`` (None: the system), an organiser."""
    organiser_check(event=event, by=by)
    item = item or ProgrammeItem()
    item.event = event
    return _item_save(item, fields, speakers)


@transaction.atomic
def programme_item_update(
    *, item: ProgrammeItem, by, speakers: list[SpeakerInput] | None = None, **fields
) -> ProgrammeItem:
    organiser_check(event=item.event, by=by)
    return _item_save(item, fields, speakers)


def _item_save(item: ProgrammeItem, fields: dict, speakers) -> ProgrammeItem:
    for name, value in fields.items():
        setattr(item, name, value)
    programme_item_check(item)
    item.save()
    if speakers is not None:
        _speakers_replace(item, speakers)
    return item


@transaction.atomic
def speakers_set(*, item: ProgrammeItem, by, speakers: list[SpeakerInput]) -> list[Speaker]:
    """Replace the item's speakers (in the given order): officials of the database, or people
    named with their organisation and role; by ``by``, an organiser."""
    organiser_check(event=item.event, by=by)
    return _speakers_replace(item, speakers)


def _speakers_replace(item: ProgrammeItem, speakers: list[SpeakerInput]) -> list[Speaker]:
    rows = [
        Speaker(
            item=item,
            official=speaker.official,
            name=speaker.name.strip(),
            organisation=speaker.organisation.strip(),
            role=speaker.role.strip(),
            position=index,
        )
        for index, speaker in enumerate(speakers)
    ]
    for index, row in enumerate(rows):
        if row.official is None and not row.name:
            raise ValidationError(
                {
                    "speakers": [
                        _("Intervenant·e n° %(number)s : choisissez un·e élu·e ou donnez le nom.")
                        % {"number": index + 1}
                    ]
                }
            )
    item.speakers.all().delete()
    return Speaker.objects.bulk_create(rows)


@transaction.atomic
def programme_item_delete(*, item: ProgrammeItem, by) -> None:
    organiser_delete_check(event=item.event, by=by)
    item.delete()


def resource_check(resource: EventResource) -> None:
    if bool(resource.url) == bool(resource.file):
        raise ValidationError({"url": [_("Une ressource est un lien ou un fichier (l'un des deux).")]})


@transaction.atomic
def resource_create(*, event: Event, by, file=None, resource: EventResource | None = None, **fields) -> EventResource:
    """A link, or a file stored with the project's other uploads (``file``: an uploaded file),
    by ``by`` (None: the system), an organiser."""
    organiser_check(event=event, by=by)
    resource = resource or EventResource()
    resource.event = event
    return _resource_save(resource, fields, file)


@transaction.atomic
def resource_update(*, resource: EventResource, by, file=None, **fields) -> EventResource:
    organiser_check(event=resource.event, by=by)
    return _resource_save(resource, fields, file)


def _resource_save(resource: EventResource, fields: dict, file) -> EventResource:
    for name, value in fields.items():
        setattr(resource, name, value)
    replaced = resource.file.name if file is not None and resource.file else ""
    if file is not None and file.size > RESOURCE_FILE_MAX_SIZE:
        raise ValidationError(
            {"file": [_("Le fichier dépasse %(max)s Mo.") % {"max": RESOURCE_FILE_MAX_SIZE // (1024 * 1024)}]}
        )
    if file is not None:
        resource.file.save(file.name, file, save=False)
        resource.url = fields.get("url", "")
    try:
        resource_check(resource)
        resource.save()
    except Exception:
        if file is not None:
            resource.file.delete(save=False)  # the new file of a write that did not happen
        raise
    if replaced and replaced != resource.file.name:
        _delete_file_after_commit(resource.file.storage, replaced)
    return resource


@transaction.atomic
def resource_delete(*, resource: EventResource, by) -> None:
    organiser_delete_check(event=resource.event, by=by)
    if resource.file:
        _delete_file_after_commit(resource.file.storage, resource.file.name)
    resource.delete()


def _delete_file_after_commit(storage, name: str) -> None:
    # The row may still roll back: the file goes only once its removal is committed.
    transaction.on_commit(lambda: storage.delete(name))
