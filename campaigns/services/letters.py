"""Interpellations: letter templates, recipients, rendering, delivery, replies, reminders."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from html import unescape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns import lettering, selectors
from campaigns.access import collective_scope
from campaigns.models import (
    Action,
    Assessment,
    Campaign,
    Collective,
    Interpellation,
    Letter,
    LetterReminder,
    LetterTemplate,
    Membership,
    Pledge,
)
from campaigns.sandbox import RenderTimeout, with_deadline
from officials.models import Mandate, Official
from tasks.dispatch import enqueue
from tasks.jobs import services as jobs
from tasks.outbox import services as outbox
from tasks.pdf import count_pages, html_sections_to_pdfs, merge_pdfs, preload

logger = logging.getLogger(__name__)
RENDER_TASK = "tasks.letters.render_letters"
BUNDLE_TASK = "tasks.letters.bundle_letters"
# Default number of letters per rendering task (settings.LETTERS_CHUNK_SIZE overrides it).
CHUNK_SIZE = 25
LETTER_CSS = '<link rel="stylesheet" href="static:campaigns/letter.css">'
TEMPLATE_FIELDS = ("subject", "body", "closing")


# Templates


def sample_context() -> dict:
    """A believable letter context, to try a template on when it is saved."""
    measure = {
        "code": "03",
        "title": "Sobriété et efficacité énergétique",
        "level": 2,
        "local_wording": "",
        "status": "en cours",
        "progress": 25,
        "evidence": "Étude lancée",
        "cycle": "Bilan de mi-mandat 2023",
    }
    return {
        "official": lettering.official_fields(
            first_name="Élodie", last_name="IMBERT", sex="F", role="maire", municipality_name="Salon-de-Provence"
        ),
        "municipality": {
            "name": "Salon-de-Provence",
            "insee_code": "13103",
            "town_hall_address": "Place de l'Hôtel de ville",
            "postal_code": "13300",
            "department": "Bouches-du-Rhône",
        },
        "collective": {
            "name": "Collectif du Pays Salonais",
            "email": "contact@example.org",
            "website": "",
            "address": "13300 Salon-de-Provence",
            "signatories": [{"name": "Camille Martin", "title": "co-présidente"}],
        },
        "pledge": {
            "list_name": "Salon en transition",
            "pact": "Pacte pour la Transition 2020",
            "signed_on": "12 février 2020",
            "measures": [measure],
        },
        "campaign": {"title": "Mobilités durables", "objective": "Un plan vélo"},
        "today": lettering.french_date(timezone.localdate()),
    }


def template_check(fields: dict[str, str], *, current: LetterTemplate | None = None) -> None:
    """Refuse, field by field, a template that does not compile or fails on a sample letter,
    then one whose sample letter is longer than the page limit. ``current``: the template
    being edited, for the fields an edit leaves as they are."""
    errors = {}
    for field, source in fields.items():
        try:
            lettering.validate({field: source}, sample_context())
        except lettering.TemplateInvalid as exc:
            errors[field] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    if "body" in fields or "closing" in fields:
        whole = {name: fields.get(name, getattr(current, name, "") or "") for name in TEMPLATE_FIELDS}
        template_pages_check(**whole)


def max_pages() -> int:
    return max(1, int(getattr(settings, "LETTER_MAX_PAGES", 10)))


def template_pages_check(*, subject: str, body: str, closing: str) -> None:
    """Lay the sample letter out as the PDF would be, with a deadline, and refuse a template
    whose letter would be longer than LETTER_MAX_PAGES."""
    _subject, section = letter_html(LetterTemplate(subject=subject, body=body, closing=closing), sample_context())
    preload()  # the first import of WeasyPrint is not the template's time
    seconds = getattr(settings, "LETTER_CHECK_SECONDS", 5)
    try:
        pages = with_deadline(lambda: count_pages([section], head=LETTER_CSS), seconds)
    except RenderTimeout as exc:
        message = _("Le courrier d'exemple met plus de %(seconds)s s à mettre en page : raccourcissez le modèle.")
        raise ValidationError({"body": [message % {"seconds": seconds}]}) from exc
    if pages > max_pages():
        message = _("Le courrier d'exemple fait %(pages)s pages ; un courrier en compte au plus %(max)s.")
        raise ValidationError({"body": [message % {"pages": pages, "max": max_pages()}]})


# Recipients


RULE_ROLES = {
    Interpellation.RecipientRule.MAYORS: [Mandate.Role.MAYOR],
    Interpellation.RecipientRule.MAYORS_AND_DEPUTIES: [Mandate.Role.MAYOR, Mandate.Role.DEPUTY_MAYOR],
    Interpellation.RecipientRule.COUNCIL: list(Mandate.MUNICIPAL_ROLES),
}


def rule_municipalities(*, collective: Collective, campaign: Campaign | None) -> list[str]:
    """Municipalities where pledges were signed: the campaign's (or the collective's)."""
    pledges = Pledge.objects.filter(election_outcome=Pledge.Outcome.ELECTED)
    if campaign is not None and campaign.municipalities.exists():
        pledges = pledges.filter(municipality__in=campaign.municipalities.all())
    else:
        pledges = pledges.filter(collective=collective)
    return sorted(set(pledges.values_list("municipality_id", flat=True)))


def recipients_resolve(
    *,
    collective: Collective,
    campaign: Campaign | None,
    rule: str,
    officials: list[Official],
    territory: set[str] | None = None,
) -> list[Mandate]:
    """The current mandate each letter is addressed under (its title and town hall).

    With a ``territory`` (INSEE codes), letters go to officials of those municipalities
    only: a rule keeps to them, and a chosen official elsewhere is refused by name."""
    current = Mandate.objects.current().select_related("official", "municipality").in_protocol_order()
    chosen: dict[int, Mandate] = {}
    if rule:
        municipalities = rule_municipalities(collective=collective, campaign=campaign)
        if territory is not None:
            municipalities = [code for code in municipalities if code in territory]
        for mandate in current.filter(municipality__in=municipalities, role__in=RULE_ROLES[rule]):
            chosen.setdefault(mandate.official_id, mandate)
    if officials:
        by_official, elsewhere = {}, set()
        for mandate in current.filter(official__in=officials):
            if territory is not None and mandate.municipality_id not in territory:
                elsewhere.add(mandate.official_id)
                continue
            by_official.setdefault(mandate.official_id, mandate)
        outside = []
        for official in officials:
            mandate = by_official.get(official.pk)
            if mandate is None and official.pk in elsewhere:
                outside.append(
                    _("%(name)s n'est élu·e dans aucune commune du territoire du collectif « %(collective)s ».")
                    % {"name": official, "collective": collective.name}
                )
                continue
            if mandate is None:
                raise ValidationError({"officials": [_("%(name)s n'a pas de mandat en cours.") % {"name": official}]})
            chosen.setdefault(official.pk, mandate)
        if outside:
            raise ValidationError({"officials": list(dict.fromkeys(outside))})
    return list(chosen.values())


def territory_codes(collective_ids) -> dict[int, set[str]]:
    """{collective id: INSEE codes of its territory}, in one query."""
    codes = {collective_id: set() for collective_id in collective_ids}
    for collective_id, code in Collective.territory.through.objects.filter(collective_id__in=list(codes)).values_list(
        "collective_id", "municipality_id"
    ):
        codes[collective_id].add(code)
    return codes


def _beyond_territory_allowed(user) -> bool:
    """Staff write to any official; collectives to those of their territory."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


# Daily limit of e-mails from one collective to one official


def emails_per_official_per_day() -> int:
    return int(getattr(settings, "LETTERS_EMAILS_PER_OFFICIAL_PER_DAY", 2))


def emails_today(*, collective_id: int, official_ids, now: dt.datetime | None = None) -> dict[int, int]:
    """{official id: e-mails (letters and reminders) the collective sent them since midnight}."""
    local = timezone.localtime(now or timezone.now())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = defaultdict(int)
    letters = Letter.objects.filter(
        interpellation__collective_id=collective_id,
        official_id__in=list(official_ids),
        channel=Letter.Channel.EMAIL,
        sent_at__gte=midnight,
    )
    reminders = LetterReminder.objects.filter(
        letter__interpellation__collective_id=collective_id,
        letter__official_id__in=list(official_ids),
        channel=Letter.Channel.EMAIL,
        created_at__gte=midnight,
    )
    for official_id, count in (
        letters.values("official_id").annotate(count=Count("pk")).values_list("official_id", "count")
    ):
        counts[official_id] += count
    for official_id, count in (
        reminders.values("letter__official_id").annotate(count=Count("pk")).values_list("letter__official_id", "count")
    ):
        counts[official_id] += count
    return counts


def _over_limit_note(limit: int) -> str:
    return ngettext(
        "limite de %(limit)s courriel par jour du collectif à cet·te élu·e atteinte",
        "limite de %(limit)s courriels par jour du collectif à cet·te élu·e atteinte",
        limit,
    ) % {"limit": limit}


def _email_limit_problems(*, collective: Collective, mandates: list[Mandate]) -> list[str]:
    limit = emails_per_official_per_day()
    counts = emails_today(collective_id=collective.pk, official_ids=[m.official_id for m in mandates])
    return [
        _(
            "%(name)s a déjà reçu %(count)s courriels du collectif aujourd'hui (au plus %(limit)s par jour) : "
            "choisissez l'envoi papier ou réessayez demain."
        )
        % {"name": mandate.official, "count": counts[mandate.official_id], "limit": limit}
        for mandate in mandates
        if mandate.official.email and counts[mandate.official_id] >= limit
    ]


# Interpellations


def interpellation_parts_check(
    *,
    collective: Collective,
    template: LetterTemplate | None = None,
    campaign: Campaign | None = None,
    reminder_template: LetterTemplate | None = None,
) -> None:
    """Refuse templates and a campaign of another collective (shared templates belong to all):
    an interpellation, and its preview, speak for one collective only."""
    for field, chosen in (("template", template), ("reminder_template", reminder_template)):
        if chosen is not None and chosen.collective_id not in (None, collective.pk):
            raise ValidationError({field: [_("Ce modèle appartient à un autre collectif.")]})
    if campaign is not None and campaign.collective_id != collective.pk:
        raise ValidationError({"campaign": [_("Cette campagne appartient à un autre collectif.")]})


@transaction.atomic
def interpellation_create(
    *,
    collective: Collective,
    template: LetterTemplate,
    by,
    campaign: Campaign | None = None,
    subject: str = "",
    officials: list[Official] = (),
    recipient_rule: str = "",
    delivery: str = Interpellation.Delivery.PDF,
    remind_after_days: int | None = None,
    max_reminders: int = 0,
    reminder_template: LetterTemplate | None = None,
):
    """Write the interpellation and one draft letter per official, create its job and
    enqueue the rendering after commit. Returns (interpellation, job)."""
    interpellation_parts_check(
        collective=collective, template=template, campaign=campaign, reminder_template=reminder_template
    )
    if remind_after_days and not max_reminders:
        max_reminders = 1
    if max_reminders and not remind_after_days:
        raise ValidationError({"remind_after_days": [_("Indiquez après combien de jours relancer.")]})
    if subject:
        template_check({"subject": subject})
    territory = None if _beyond_territory_allowed(by) else territory_codes([collective.pk])[collective.pk]
    mandates = recipients_resolve(
        collective=collective, campaign=campaign, rule=recipient_rule, officials=list(officials), territory=territory
    )
    if not mandates:
        raise ValidationError({"officials": [_("Aucun·e destinataire : choisissez des élu·es ou une règle.")]})
    if delivery == Interpellation.Delivery.EMAIL:
        problems = _email_limit_problems(collective=collective, mandates=mandates)
        if problems:
            raise ValidationError({"officials": problems})
    interpellation = Interpellation.objects.create(
        collective=collective,
        campaign=campaign,
        template=template,
        subject=subject,
        recipient_rule=recipient_rule,
        delivery=delivery,
        remind_after_days=remind_after_days,
        max_reminders=max_reminders,
        reminder_template=reminder_template,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    Letter.objects.bulk_create(
        Letter(
            interpellation=interpellation,
            official_id=mandate.official_id,
            municipality_id=mandate.municipality_id,
            role=mandate.role,
        )
        for mandate in mandates
    )
    job = jobs.job_create(
        kind="interpellation",
        by=by,
        total=len(mandates),
        params={"interpellation": interpellation.pk},
        scope=collective_scope(collective.pk),
    )
    interpellation.job = job
    interpellation.save(update_fields=["job"])
    interpellation_enqueue(interpellation)
    return interpellation, job


def interpellation_enqueue(interpellation: Interpellation) -> None:
    """Enqueue the rendering of the letters still to render, in chunks that workers share."""
    ids = list(interpellation.letters.filter(status=Letter.Status.DRAFT).order_by("pk").values_list("pk", flat=True))
    size = chunk_size()
    for start in range(0, len(ids), size):
        jobs.job_enqueue(interpellation.job, RENDER_TASK, ids[start : start + size])


def chunk_size() -> int:
    """Letters per rendering task. A chunk is one WeasyPrint document held in memory, so
    a worker's memory follows the chunk, never the batch; chunks also spread a batch over
    the workers. Read at each enqueue, so that a setting override applies."""
    return max(1, int(getattr(settings, "LETTERS_CHUNK_SIZE", CHUNK_SIZE)))


# Rendering


@dataclass
class _Batch:
    """What a chunk of letters needs, loaded in a constant number of queries."""

    letters: list[Letter]
    pledges: dict[str, Pledge]
    # {collective id: {pledged measure id: assessment}}: what each letter's collective may read.
    assessments: dict[int, dict[int, Assessment]]
    signatories: dict[int, list[dict]]


def _load(letter_ids: list[int]) -> _Batch:
    return _load_any(letter_ids, status=Letter.Status.DRAFT)


def _load_any(letter_ids: list[int], *, status: str | None = None) -> _Batch:
    letters = Letter.objects.filter(pk__in=letter_ids)
    if status is not None:
        letters = letters.filter(status=status)
    letters = list(
        letters.select_related(
            "official",
            "municipality__department",
            "interpellation__collective",
            "interpellation__campaign",
            "interpellation__template",
            "interpellation__created_by",
        ).order_by("pk")
    )
    pledges = _pledges_of({letter.municipality_id for letter in letters if letter.municipality_id})
    collectives = {letter.interpellation.collective_id for letter in letters}
    return _Batch(letters, pledges, _latest_assessments(pledges.values(), collectives), _signatories(collectives))


def _pledges_of(municipalities: set[str]) -> dict[str, Pledge]:
    """The elected list's pledge in each municipality (the latest signed)."""
    if not municipalities:
        return {}
    pledges = {}
    for pledge in (
        Pledge.objects.filter(municipality__in=municipalities, election_outcome=Pledge.Outcome.ELECTED)
        .select_related("pact")
        .prefetch_related(Prefetch("measures", to_attr="items"), "items__measure", "items__level")
        .order_by("-signed_on", "pk")
    ):
        pledges.setdefault(pledge.municipality_id, pledge)
    return pledges


def _latest_assessments(pledges, collectives: set[int]) -> dict[int, dict[int, Assessment]]:
    """Latest assessment of each pledged measure that each collective may read (the
    assessments API's rule: published cycles, or its own territory): the newest cycle wins."""
    ids = [item.pk for pledge in pledges for item in pledge.items]
    latest = {collective_id: {} for collective_id in collectives}
    if ids:
        for collective_id in collectives:
            for assessment in (
                selectors.assessments_visible_to_collective(collective_id=collective_id)
                .filter(pledged_measure__in=ids)
                .exclude(status="not_assessed")
                .select_related("cycle")
                .order_by("cycle__opens_on", "pk")
            ):
                latest[collective_id][assessment.pledged_measure_id] = assessment
    return latest


def _signatories(collectives: set[int]) -> dict[int, list[dict]]:
    signatories = defaultdict(list)
    for membership in (
        Membership.objects.filter(collective__in=collectives, signs_letters=True)
        .select_related("user")
        .order_by("role", "user__last_name")
    ):
        name = membership.user.get_full_name() or membership.user.get_username()
        signatories[membership.collective_id].append({"name": name, "title": membership.title})
    return signatories


def preview_context(letter: Letter) -> dict:
    """Merge fields of an unsaved letter (template preview)."""
    pledges = _pledges_of({letter.municipality_id} if letter.municipality_id else set())
    collectives = {letter.interpellation.collective_id}
    batch = _Batch([letter], pledges, _latest_assessments(pledges.values(), collectives), _signatories(collectives))
    return letter_context(letter, batch)


def letter_context(letter: Letter, batch: _Batch, *, today: dt.date | None = None) -> dict:
    official, municipality = letter.official, letter.municipality
    collective = letter.interpellation.collective
    campaign = letter.interpellation.campaign
    pledge = batch.pledges.get(letter.municipality_id)
    context = {
        "official": lettering.official_fields(
            first_name=official.first_name,
            last_name=official.last_name,
            sex=official.sex,
            role=letter.role,
            municipality_name=municipality.name if municipality else "",
        ),
        "municipality": {
            "name": municipality.name,
            "insee_code": municipality.insee_code,
            "town_hall_address": municipality.town_hall_address,
            "postal_code": municipality.town_hall_postal_code,
            "department": municipality.department.name,
        }
        if municipality
        else None,
        "collective": {
            "name": collective.name,
            "email": collective.contact_email,
            "website": collective.website,
            "address": collective.postal_address,
            "signatories": batch.signatories.get(collective.pk, []),
        },
        "campaign": {"title": campaign.title, "objective": campaign.objective} if campaign else None,
        "pledge": None,
        "today": lettering.french_date(today or timezone.localdate()),
    }
    if pledge is not None:
        measures = []
        for item in pledge.items:
            assessment = batch.assessments.get(collective.pk, {}).get(item.pk)
            measures.append(
                {
                    "code": item.measure.code,
                    "title": item.measure.title,
                    "level": item.level.rank if item.level else None,
                    "local_wording": item.local_wording,
                    "status": assessment.get_status_display() if assessment else "non évaluée",
                    "progress": assessment.progress if assessment else None,
                    "evidence": assessment.evidence if assessment else "",
                    "cycle": assessment.cycle.name if assessment else None,
                }
            )
        context["pledge"] = {
            "list_name": pledge.list_name,
            "pact": pledge.pact.name,
            "signed_on": lettering.french_date(pledge.signed_on) if pledge.signed_on else "",
            "measures": measures,
        }
    return context


def letter_html(
    template: LetterTemplate, context: dict, *, subject: str = "", reminder_number: int | None = None
) -> tuple[str, str]:
    """(subject, HTML section) of one letter from its template and merge fields."""
    subject = lettering.render("subject", subject or template.subject, context)
    body = lettering.body_html(lettering.render("body", template.body, context))
    closing = lettering.render("closing", template.closing, context) if template.closing else ""
    collective, municipality = context["collective"], context["municipality"]
    address = collective["address"].strip().splitlines()
    recipient = [context["official"]["address_name"], context["official"]["function"]]
    if municipality:
        recipient += [
            _("Hôtel de ville"),
            *municipality["town_hall_address"].splitlines(),
            f"{municipality['postal_code']} {municipality['name']}",
        ]
    section = render_to_string(
        "campaigns/letter_section.html",
        {
            **context,
            # Escaped by the sandbox already (autoescape): Django must not escape twice.
            "subject": mark_safe(subject),
            "body": mark_safe(body),
            "closing": mark_safe(closing),
            "sender_lines": _lines([*address, collective["email"], collective["website"]]),
            "recipient_lines": _lines(recipient),
            "place": address[-1].split(" ", 1)[-1] if address else (municipality or {}).get("name", ""),
            "reminder_number": reminder_number,
        },
    )
    return subject, section


def _lines(lines: list[str]) -> str:
    """The non-blank ``lines``, escaped, one per line of a "white-space: pre-line" block."""
    return format_html_join("\n", "{}", ((line.strip(),) for line in lines if line and line.strip()))


def letters_render(*, letter_ids: list[int], job_id: int | None = None) -> int:
    """Render the draft letters among ``letter_ids`` (HTML → one PDF per letter, stored)
    and deliver them. Letters already rendered are left alone, so a chunk run twice —
    after a worker died — does no work twice. Returns the number rendered."""
    batch = _load(letter_ids)
    territories = territory_codes({letter.interpellation.collective_id for letter in batch.letters})
    ok, sections = [], []
    for letter in batch.letters:
        interpellation = letter.interpellation
        # The territory may have shrunk since the interpellation was accepted.
        if (
            not _beyond_territory_allowed(interpellation.created_by)
            and letter.municipality_id not in territories[interpellation.collective_id]
        ):
            error = _("%(place)s ne fait plus partie du territoire du collectif : courrier non envoyé.") % {
                "place": letter.municipality.name if letter.municipality else letter.official
            }
            Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error=error)
            continue
        try:
            subject, section = letter_html(
                interpellation.template, letter_context(letter, batch), subject=interpellation.subject
            )
        except lettering.TemplateInvalid as exc:
            Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error=str(exc))
            continue
        letter.html, letter.subject_rendered = section, unescape(subject)
        ok.append(letter)
        sections.append(section)
    pdfs, pages = html_sections_to_pdfs(sections, head=LETTER_CSS)
    with transaction.atomic():
        # Claimed under lock: a letter another worker rendered meanwhile stays its own.
        drafts = set(
            Letter.objects.select_for_update()
            .filter(pk__in=[letter.pk for letter in ok], status=Letter.Status.DRAFT)
            .values_list("pk", flat=True)
        )
        rendered = []
        for letter, pdf, count in zip(ok, pdfs, pages, strict=True):
            if letter.pk in drafts and count > max_pages():
                # Too long for a letter (merge fields differ from the sample's): it fails alone.
                reason = _("le courrier fait %(pages)s pages, au-delà de la limite de %(max)s.")
                error = reason % {"pages": count, "max": max_pages()}
                Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error=error)
            elif letter.pk in drafts:
                letter.pdf.save(f"courrier-{letter.pk}.pdf", ContentFile(pdf), save=False)
                letter.pages = count
                rendered.append((letter, pdf))
        letters_deliver(rendered)
    if job_id is not None:
        jobs.job_advance(job_id, len(batch.letters))
        _finish_job_if_done(job_id)
    return len(ok)


def _finish_job_if_done(job_id: int) -> None:
    from tasks.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    interpellation_id = job.params.get("interpellation")
    remaining = Letter.objects.filter(interpellation_id=interpellation_id, status=Letter.Status.DRAFT).count()
    if remaining:
        return
    counts = defaultdict(int)
    for status, channel in Letter.objects.filter(interpellation_id=interpellation_id).values_list("status", "channel"):
        counts[status] += 1
        counts[f"channel_{channel}"] += 1
    result = {
        "interpellation": interpellation_id,
        "letters": sum(counts[status] for status in Letter.Status.values),
        "sent": counts[Letter.Status.SENT],
        "failed": counts[Letter.Status.FAILED],
        "by_email": counts["channel_email"],
        "on_paper": counts["channel_paper"],
    }
    # The downloads are ready when the job says it is done. The letters are sent whatever
    # happens here: a failed build leaves the job succeeded, and the next download asks again.
    try:
        interpellation_bundle(interpellation_id=interpellation_id)
    except Exception:
        logger.exception("Downloads of interpellation %s not built", interpellation_id)
    jobs.job_set_done(job_id, result["letters"])
    jobs.job_succeed(job_id, result)


# Downloads of a whole interpellation


def bundled_letters(interpellation: Interpellation):
    """The letters with a PDF, in the order of a printed batch."""
    return (
        interpellation.letters.exclude(pdf="")
        .select_related("official", "municipality")
        .order_by("municipality__name", "official__last_name", "pk")
    )


def interpellation_bundle(*, interpellation_id: int) -> bool:
    """Build, once, the merged PDF and the ZIP of the rendered letters and store them: the
    API then serves files, never a merge made inside a request. Safe to run twice (the
    second run finds the files, or loses the race and removes its own). True if built."""
    interpellation = Interpellation.objects.get(pk=interpellation_id)
    if interpellation.letters_pdf and interpellation.letters_zip:
        return False
    letters = list(bundled_letters(interpellation))
    if not letters:
        return False
    contents = []
    with tempfile.TemporaryFile() as archive_file:
        with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
            for letter in letters:
                with letter.pdf.open("rb") as handle:
                    content = handle.read()
                contents.append(content)
                place = letter.municipality.name if letter.municipality else "sans-commune"
                archive.writestr(f"{place}-{letter.official.last_name}-{letter.pk}.pdf".replace("/", "-"), content)
        archive_file.seek(0)
        name = f"interpellation-{interpellation.pk}"
        interpellation.letters_zip.save(f"{name}.zip", ContentFile(archive_file.read()), save=False)
    interpellation.letters_pdf.save(f"{name}.pdf", ContentFile(merge_pdfs(contents)), save=False)
    claimed = Interpellation.objects.filter(pk=interpellation.pk, letters_pdf="").update(
        letters_pdf=interpellation.letters_pdf.name, letters_zip=interpellation.letters_zip.name
    )
    if not claimed:  # another worker stored its own copy first
        interpellation.letters_pdf.delete(save=False)
        interpellation.letters_zip.delete(save=False)
    return bool(claimed)


def interpellation_bundle_request(*, interpellation: Interpellation) -> None:
    """Ask a worker to build the downloads of letters rendered before they were built
    with the job (or whose build failed)."""
    transaction.on_commit(lambda: enqueue(BUNDLE_TASK, [interpellation.pk]))


# Delivery


def _email_problem(official: Official) -> str:
    if not official.email:
        return _("pas d'adresse électronique connue")
    refused = outbox.refused_recipients([official.email])
    return refused.get(official.email, "")


def letters_deliver(rendered: list[tuple[Letter, bytes]]) -> None:
    """Send rendered letters, each with its PDF: by e-mail (PDF attached, the collective as
    reply-to) when asked and possible, on paper otherwise; log each as a "courrier" action.
    Saves the letters (with their rendering) and the actions in a few queries for all."""
    now = timezone.now()
    letters = []
    allowance = _email_allowance(rendered, now)
    for letter, pdf in rendered:
        _deliver(letter, pdf, allowance)
        letter.status = Letter.Status.SENT
        letter.sent_at = now
        letters.append(letter)
    Letter.objects.bulk_update(
        letters, ["html", "pdf", "pages", "status", "channel", "channel_note", "sent_at", "email"]
    )
    _log_actions(letters)


def _email_allowance(rendered: list[tuple[Letter, bytes]], now: dt.datetime) -> dict[tuple[int, int], int]:
    """{(collective id, official id): e-mails left today} for the letters to e-mail. Called in
    the delivery's transaction, with the collectives locked, so that two workers delivering
    for one collective at once count each other's e-mails."""
    wanted = defaultdict(set)
    for letter, _pdf in rendered:
        if letter.interpellation.delivery == Interpellation.Delivery.EMAIL:
            wanted[letter.interpellation.collective_id].add(letter.official_id)
    if not wanted:
        return {}
    list(Collective.objects.select_for_update().filter(pk__in=list(wanted)).order_by("pk").values_list("pk"))
    limit = emails_per_official_per_day()
    allowance = {}
    for collective_id, official_ids in wanted.items():
        counts = emails_today(collective_id=collective_id, official_ids=official_ids, now=now)
        for official_id in official_ids:
            allowance[(collective_id, official_id)] = limit - counts[official_id]
    return allowance


def _deliver(letter: Letter, pdf: bytes, allowance: dict[tuple[int, int], int]) -> None:
    interpellation = letter.interpellation
    collective = interpellation.collective
    channel, note = Letter.Channel.PAPER, ""
    if interpellation.delivery == Interpellation.Delivery.EMAIL:
        note = _email_problem(letter.official)
        key = (collective.pk, letter.official_id)
        if not note and allowance.get(key, 0) <= 0:
            # Over the day's limit, the letter is still sent, on paper: the reason says why.
            note = _over_limit_note(emails_per_official_per_day())
        if not note:
            channel = Letter.Channel.EMAIL
            allowance[key] -= 1
    if channel == Letter.Channel.EMAIL:
        subject = getattr(letter, "subject_rendered", "") or str(interpellation)
        letter.email = outbox.email_queue(
            to=[letter.official.email],
            reply_to=[collective.contact_email] if collective.contact_email else [],
            subject=subject,
            body_text=_html_to_text(letter.html),
            idempotency_key=f"letter:{letter.pk}",
            attachments=[outbox.Attachment(f"courrier-{letter.pk}.pdf", pdf, "application/pdf")],
            cause=letter,
        )
    letter.channel, letter.channel_note = channel, note


def _html_to_text(html: str) -> str:
    """The plain-text part of a letter e-mail: its section without tags."""
    spaced = html.replace("</p>", "</p>\n").replace("<br>", "\n").replace("</div>", "</div>\n")
    lines = (line.strip() for line in strip_tags(spaced).splitlines())
    return unescape("\n".join(line for line in lines if line))


def _log_actions(letters: list[Letter]) -> None:
    today = timezone.localdate()
    actions = Action.objects.bulk_create(
        [
            Action(
                collective=letter.interpellation.collective,
                campaign=letter.interpellation.campaign,
                kind=Action.Kind.LETTER,
                date=today,
                title=(
                    _("Courrier à %(name)s : %(subject)s")
                    % {
                        "name": letter.official,
                        "subject": getattr(letter, "subject_rendered", "") or letter.interpellation,
                    }
                )[:200],
                municipality=letter.municipality,
                is_public=False,
                created_by=letter.interpellation.created_by,
            )
            for letter in letters
        ]
    )
    Action.officials.through.objects.bulk_create(
        [
            Action.officials.through(action_id=action.pk, official_id=letter.official_id)
            for action, letter in zip(actions, letters, strict=True)
        ]
    )
    campaigns = {letter.interpellation.campaign_id for letter in letters} - {None}
    measures = defaultdict(list)
    for campaign_id, measure_id in Campaign.measures.through.objects.filter(campaign__in=campaigns).values_list(
        "campaign_id", "measure_id"
    ):
        measures[campaign_id].append(measure_id)
    Action.measures.through.objects.bulk_create(
        [
            Action.measures.through(action_id=action.pk, measure_id=measure_id)
            for action, letter in zip(actions, letters, strict=True)
            for measure_id in measures[letter.interpellation.campaign_id]
        ]
    )


# Replies


@transaction.atomic
def letter_reply(*, letter: Letter, date: dt.date, summary: str, outcome: str = "", file=None) -> Letter:
    letter.reply_date, letter.reply_summary, letter.reply_outcome = date, summary, outcome
    if file is not None:
        letter.reply_file.save(file.name, file, save=False)
    letter.status = Letter.Status.ANSWERED
    letter.save()
    return letter


# Reminders


def reminders_due(*, now: dt.datetime | None = None) -> list[Letter]:
    """Letters sent and unanswered, whose last sending is older than their interpellation's
    delay, with reminders left, to officials still in office."""
    now = now or timezone.now()
    in_office = Mandate.objects.current().filter(official=OuterRef("official_id"))
    candidates = (
        Letter.objects.filter(
            status=Letter.Status.SENT,
            interpellation__remind_after_days__isnull=False,
            reminders_sent__lt=F("interpellation__max_reminders"),
        )
        .filter(Exists(in_office))
        .select_related("interpellation")
        .order_by("pk")
    )
    return [letter for letter in candidates.iterator(chunk_size=500) if _is_due(letter, now)]


def _is_due(letter: Letter, now: dt.datetime) -> bool:
    last = letter.last_reminder_at or letter.sent_at
    delay = letter.interpellation.remind_after_days
    return bool(last and delay is not None and last + dt.timedelta(days=delay) <= now)


def reminder_send(*, letter_id: int, now: dt.datetime | None = None) -> LetterReminder | None:
    """Send the next reminder of a letter, once: the (letter, number) row is the lock, so
    two runs at once make one reminder. None when nothing was due any more."""
    now = now or timezone.now()
    with transaction.atomic():
        letter = (
            # Lock the letter only: PostgreSQL refuses FOR UPDATE on the nullable side of the
            # outer join to the reminder template.
            Letter.objects.select_for_update(of=("self",))
            .select_related(
                "interpellation__collective", "interpellation__template", "interpellation__reminder_template"
            )
            .filter(pk=letter_id, status=Letter.Status.SENT)
            .first()
        )
        # Due again under the lock: a run that listed the letter as due before another run
        # sent its reminder must not send the next number at once.
        if letter is None or letter.reminders_sent >= letter.interpellation.max_reminders or not _is_due(letter, now):
            return None
        number = letter.reminders_sent + 1
        channel = letter.channel
        if channel == Letter.Channel.EMAIL and _email_problem(letter.official):
            channel = Letter.Channel.PAPER
        if channel == Letter.Channel.EMAIL:
            # The reminder's letter is locked; the collective too, as at delivery, for the daily limit.
            list(
                Collective.objects.select_for_update().filter(pk=letter.interpellation.collective_id).values_list("pk")
            )
            sent_today = emails_today(
                collective_id=letter.interpellation.collective_id, official_ids=[letter.official_id], now=now
            )
            if sent_today[letter.official_id] >= emails_per_official_per_day():
                channel = Letter.Channel.PAPER
        try:
            with transaction.atomic():
                reminder = LetterReminder.objects.create(letter=letter, number=number, channel=channel)
        except IntegrityError:
            return None
        interpellation = letter.interpellation
        template = interpellation.reminder_template or interpellation.template
        batch = _load_for_reminder(letter)
        subject, section = letter_html(
            template,
            letter_context(letter, batch, today=timezone.localdate(now)),
            subject="" if interpellation.reminder_template else interpellation.subject,
            reminder_number=number,
        )
        (pdf,), _pages = html_sections_to_pdfs([section], head=LETTER_CSS)
        reminder.pdf.save(f"relance-{letter.pk}-{number}.pdf", ContentFile(pdf), save=False)
        if channel == Letter.Channel.EMAIL:
            collective = interpellation.collective
            reminder.email = outbox.email_queue(
                to=[letter.official.email],
                reply_to=[collective.contact_email] if collective.contact_email else [],
                # A reminder template has its own subject; the letter's own is marked as a reminder.
                subject=unescape(subject)
                if interpellation.reminder_template
                else _("Relance : %(subject)s") % {"subject": unescape(subject)},
                body_text=_html_to_text(section),
                idempotency_key=f"reminder:{interpellation.pk}:{letter.pk}:{number}",
                attachments=[outbox.Attachment(f"relance-{letter.pk}-{number}.pdf", pdf, "application/pdf")],
                cause=letter,
            )
        reminder.save()
        Letter.objects.filter(pk=letter.pk).update(reminders_sent=number, last_reminder_at=now)
        return reminder


def _load_for_reminder(letter: Letter) -> _Batch:
    """The same merge fields as the letter itself, loaded for this one letter."""
    return _load_any([letter.pk])


def reminders_send(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(1 for letter in reminders_due(now=now) if reminder_send(letter_id=letter.pk, now=now))
