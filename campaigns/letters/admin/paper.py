"""The paper desk of the letters admin: letters and paper reminders "à poster", their print
PDF, marking them posted on a date (an intermediate page), and reply rates. Views of the
letters admin; every write goes through the letters' services, with the acting user."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.collectives.access import roles_of
from campaigns.collectives.models import Collective
from campaigns.letters import selectors
from campaigns.letters.models import Interpellation, Letter, LetterReminder
from campaigns.letters.services.departures import paper_post
from campaigns.letters.services.downloads import paper_batch_pdf
from officials.models import Municipality, Official

# Rows shown on the desk at once: a collective posts far fewer in one go.
DESK_ROWS = 500
TO_POST = {"status": Letter.Status.TO_POST, "channel": Letter.Channel.PAPER}


class PostedForm(forms.Form):
    """The date a batch was posted, typed as JJ/MM/AAAA (or AAAA-MM-JJ)."""

    date = forms.DateField(
        label=gettext_lazy("Date de dépôt à la poste"),
        widget=AdminDateWidget,
        help_text=gettext_lazy("Le jour où les courriers ont été déposés, au format JJ/MM/AAAA."),
        error_messages={
            "required": gettext_lazy("Indiquez la date de dépôt à la poste."),
            "invalid": gettext_lazy("Saisissez une date au format JJ/MM/AAAA."),
        },
    )


def _scoped(model, request) -> QuerySet:
    """``model``'s rows the user may see, as their admin lists them."""
    if request.user.is_staff:
        return model.objects.all()
    mine = list(roles_of(request.user))
    if model is Letter:
        return Letter.objects.filter(interpellation__collective__in=mine)
    return LetterReminder.objects.filter(letter__interpellation__collective__in=mine)


def _with_relations(letters: QuerySet, reminders: QuerySet) -> tuple[QuerySet, QuerySet]:
    return (
        letters.select_related("official", "municipality", "interpellation__collective"),
        reminders.select_related("letter__official", "letter__municipality", "letter__interpellation__collective"),
    )


def _posted_message(modeladmin, request, letters: int, reminders: int) -> None:
    parts = []
    if letters:
        parts.append(
            ngettext("%(count)s courrier marqué comme posté.", "%(count)s courriers marqués comme postés.", letters)
            % {"count": letters}
        )
    if reminders:
        parts.append(
            ngettext("%(count)s relance marquée comme postée.", "%(count)s relances marquées comme postées.", reminders)
            % {"count": reminders}
        )
    modeladmin.message_user(request, " ".join(parts), messages.SUCCESS)


def post_selection(modeladmin, request, *, letters, reminders, hidden: list[tuple[str, str]], back: str):
    """The "marquer comme posté" step of an admin action or of the desk: a page asking for
    the date, then the letters and reminders marked posted through the service (all or
    none). None once done: the caller goes back to its list."""
    letters, reminders = list(letters), list(reminders)
    if "apply" in request.POST:
        form = PostedForm(request.POST)
        if form.is_valid():
            try:
                posted, posted_reminders = paper_post(
                    letters=letters, reminders=reminders, date=form.cleaned_data["date"], by=request.user
                )
            except ValidationError as exc:
                errors = exc.message_dict
                if "date" in errors:
                    form.add_error("date", errors.pop("date"))
                for problems in errors.values():
                    form.add_error(None, problems)
            else:
                _posted_message(modeladmin, request, len(posted), len(posted_reminders))
                return None
    else:
        form = PostedForm(initial={"date": timezone.localdate()})
    opts = Letter._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Marquer comme posté"),
        "opts": opts,
        "form": form,
        "media": modeladmin.media + form.media,
        "letters": letters,
        "reminders": reminders,
        "count": len(letters) + len(reminders),
        "hidden": hidden,
        "back": back,
    }
    return TemplateResponse(request, "admin/campaigns/letter/posted.html", context)


def print_response(modeladmin, request, *, letters, reminders):
    """One PDF of the selection to print, or a message saying why not (None)."""
    letters, reminders = _with_relations(letters, reminders)
    try:
        content = paper_batch_pdf(letters=list(letters), reminders=list(reminders))
    except ValidationError as exc:
        for message in exc.messages:
            modeladmin.message_user(request, message, messages.ERROR)
        return None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="a-poster-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response


class LetterReplyForm(forms.ModelForm):
    """The reply part of a letter's page: recorded by the replies service on save."""

    class Meta:
        model = Letter
        fields = ["reply_date", "reply_summary", "reply_file", "reply_outcome"]
        error_messages = {"reply_date": {"invalid": gettext_lazy("Saisissez une date au format JJ/MM/AAAA.")}}
        help_texts = {
            "reply_date": gettext_lazy("Au format JJ/MM/AAAA. Enregistrer la réponse arrête les relances."),
            "reply_outcome": gettext_lazy("L'action « courrier » du journal suit : favorable → succès, etc."),
        }

    def clean(self):
        cleaned = super().clean()
        date, summary = cleaned.get("reply_date"), (cleaned.get("reply_summary") or "").strip()
        if "reply_date" in self.errors:
            return cleaned
        if date and not summary:
            self.add_error("reply_summary", _("Résumez la réponse en quelques mots."))
        elif not date and (summary or cleaned.get("reply_outcome") or cleaned.get("reply_file")):
            self.add_error("reply_date", _("Indiquez la date de la réponse (JJ/MM/AAAA)."))
        elif not date and self.instance.reply_date:
            self.add_error("reply_date", _("Une réponse enregistrée se corrige, elle ne s'efface pas."))
        return cleaned


class DeskFilter(forms.Form):
    """The desk's filters, with the choices of the user's collectives only."""

    collective = forms.TypedChoiceField(label=gettext_lazy("Collectif"), required=False, coerce=int, empty_value=None)
    interpellation = forms.TypedChoiceField(
        label=gettext_lazy("Interpellation"), required=False, coerce=int, empty_value=None
    )
    municipality = forms.ChoiceField(label=gettext_lazy("Commune"), required=False)

    def __init__(self, data, *, letters: QuerySet, reminders: QuerySet, request):
        super().__init__(data)
        collectives = Collective.objects.order_by("name")
        if not request.user.is_staff:
            collectives = collectives.filter(pk__in=list(roles_of(request.user)))
        waiting = Q(letters__in=letters) | Q(letters__reminders__in=reminders)
        interpellations = Interpellation.objects.filter(waiting).distinct().order_by("-created_at")
        municipalities = Municipality.objects.filter(waiting).distinct().order_by("name")
        everything = [("", _("Tous"))]
        self.fields["collective"].choices = everything + [(c.pk, c.name) for c in collectives]
        self.fields["interpellation"].choices = everything + [(i.pk, str(i)) for i in interpellations[:200]]
        self.fields["municipality"].choices = everything + [(m.pk, m.name) for m in municipalities[:500]]

    def filtered(self, letters: QuerySet, reminders: QuerySet) -> tuple[QuerySet, QuerySet]:
        if not self.is_valid():
            return letters, reminders
        lookups = {
            "collective": "interpellation__collective_id",
            "interpellation": "interpellation_id",
            "municipality": "municipality_id",
        }
        for name, lookup in lookups.items():
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                letters = letters.filter(**{lookup: value})
                reminders = reminders.filter(**{f"letter__{lookup}": value})
        return letters, reminders


def _selected(request, letters: QuerySet, reminders: QuerySet) -> tuple[QuerySet, QuerySet]:
    """The desk's ticked rows ("letter-12", "reminder-3"), among those the user may see."""
    ids = {"letter": [], "reminder": []}
    for item in request.POST.getlist("items"):
        kind, _dash, pk = item.partition("-")
        if kind in ids and pk.isdigit():
            ids[kind].append(int(pk))
    return letters.filter(pk__in=ids["letter"]), reminders.filter(pk__in=ids["reminder"])


def desk_view(modeladmin, request):
    """Letters and paper reminders "à poster" of the user's collectives, filtered by
    collective, interpellation or municipality: print a selection as one PDF, or mark it
    posted on a date."""
    letters = _scoped(Letter, request).filter(**TO_POST)
    reminders = _scoped(LetterReminder, request).filter(**TO_POST)
    filters = DeskFilter(request.GET, letters=letters, reminders=reminders, request=request)
    letters, reminders = filters.filtered(letters, reminders)
    here = request.get_full_path()
    if request.method == "POST":
        chosen_letters, chosen_reminders = _selected(request, letters, reminders)
        if not (chosen_letters.exists() or chosen_reminders.exists()):
            modeladmin.message_user(request, _("Cochez au moins un courrier ou une relance."), messages.WARNING)
            return HttpResponseRedirect(here)
        if request.POST.get("do") == "print":
            return print_response(modeladmin, request, letters=chosen_letters, reminders=chosen_reminders) or (
                HttpResponseRedirect(here)
            )
        chosen_letters, chosen_reminders = _with_relations(chosen_letters, chosen_reminders)
        hidden = [("do", "post")] + [("items", f"letter-{letter.pk}") for letter in chosen_letters]
        hidden += [("items", f"reminder-{reminder.pk}") for reminder in chosen_reminders]
        done = post_selection(
            modeladmin, request, letters=chosen_letters, reminders=chosen_reminders, hidden=hidden, back=here
        )
        return done or HttpResponseRedirect(here)
    letters, reminders = _with_relations(letters, reminders)
    rows = [
        {
            "key": f"letter-{letter.pk}",
            "kind": _("courrier"),
            "official": letter.official,
            "municipality": letter.municipality,
            "subject": letter.subject or letter.interpellation,
            "collective": letter.interpellation.collective,
            "ready_on": timezone.localdate(letter.rendered_at) if letter.rendered_at else None,
            "change_url": reverse("admin:campaigns_letter_change", args=[letter.pk]),
            "pdf_url": f"/api/letters/{letter.pk}/pdf/" if letter.pdf else "",
        }
        for letter in letters.order_by("municipality__name", "official__last_name", "pk")[:DESK_ROWS]
    ]
    rows += [
        {
            "key": f"reminder-{reminder.pk}",
            "kind": _("relance n°%(number)s") % {"number": reminder.number},
            "official": reminder.letter.official,
            "municipality": reminder.letter.municipality,
            "subject": reminder.subject or reminder.letter.subject,
            "collective": reminder.letter.interpellation.collective,
            "ready_on": timezone.localdate(reminder.created_at),
            "change_url": reverse("admin:campaigns_letterreminder_change", args=[reminder.pk]),
            "pdf_url": f"/api/letters/{reminder.letter_id}/reminders/{reminder.number}/pdf/" if reminder.pdf else "",
        }
        for reminder in reminders.order_by("letter__municipality__name", "letter__official__last_name", "pk")[
            :DESK_ROWS
        ]
    ]
    total = letters.count() + reminders.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Courriers et relances à poster"),
        "opts": Letter._meta,
        "filters": filters,
        "rows": rows,
        "total": total,
        "shown": len(rows),
    }
    return TemplateResponse(request, "admin/campaigns/letter/paper_desk.html", context)


REPLY_COLUMNS = {
    "label": gettext_lazy("Nom"),
    "sent": gettext_lazy("Courriers partis"),
    "answered": gettext_lazy("Réponses"),
    "rate": gettext_lazy("Taux de réponse"),
}
REPLY_GROUPS = {"official": gettext_lazy("par élu·e"), "municipality": gettext_lazy("par commune")}


def reply_rates_view(modeladmin, request):
    """Reply rates per official or per municipality (the API's selector), sortable by
    column: ``?by=official|municipality&o=rate`` (``-rate`` for the highest first)."""
    by = request.GET.get("by") if request.GET.get("by") in REPLY_GROUPS else "official"
    order = request.GET.get("o", "rate")
    column = order.removeprefix("-") if order.removeprefix("-") in REPLY_COLUMNS else "rate"
    descending = order.startswith("-")
    rows = selectors.reply_rates(letters=_scoped(Letter, request), by=by)
    if by == "official":
        # "NOM Prénom": sorted by name, as a list of people reads.
        officials = Official.objects.filter(pk__in=[row["key"] for row in rows])
        names = {official.pk: f"{official.last_name} {official.first_name}" for official in officials}
        rows = [{**row, "label": names.get(row["key"], row["label"])} for row in rows]
    changelist = reverse("admin:campaigns_letter_changelist")
    lookup = "official__id__exact" if by == "official" else "municipality__insee_code__exact"
    for row in rows:
        row["letters_url"] = f"{changelist}?{urlencode({lookup: row['key']})}"
        row["percent"] = round(row["rate"] * 100)
    rows.sort(key=lambda row: (str(row["label"] or "").lower(), row["key"]))  # ties keep a stable order
    if column != "label":
        rows.sort(key=lambda row: row[column], reverse=descending)
    elif descending:
        rows.reverse()
    headers = [
        {
            "label": label,
            "url": "?" + urlencode({"by": by, "o": ("" if column == name and not descending else "-") + name}),
            "sorted": "descending" if column == name and descending else "ascending" if column == name else "",
        }
        for name, label in REPLY_COLUMNS.items()
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Taux de réponse"),
        "opts": Letter._meta,
        "rows": rows,
        "headers": headers,
        "groups": [(label, "?" + urlencode({"by": key, "o": order}), key == by) for key, label in REPLY_GROUPS.items()],
    }
    return TemplateResponse(request, "admin/campaigns/letter/reply_rates.html", context)
