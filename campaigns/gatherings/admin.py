"""Gatherings in the admin: the event with its programme, participants, resources and survey
as inlines, and the shared experience. Every write goes through the services, as from the API."""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.forms.models import BaseInlineFormSet, construct_instance
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns.collectives.admin import CollectiveScopedAdmin
from campaigns.gatherings.models import (
    ActionIdea,
    Event,
    EventResource,
    FeedbackSurvey,
    Lesson,
    ParticipantCount,
    ProgrammeItem,
    Proposal,
    Speaker,
)
from campaigns.gatherings.selectors import event_initiatives, feedback_summary
from campaigns.gatherings.services import events as services
from campaigns.gatherings.services import experience
from campaigns.gatherings.services.feedback import LINKS_MAX_PER_SENDING, feedback_links_send, survey_delete, survey_set
from core.admin import URL_FIELDS_ASSUME_HTTPS, LinesField, ServiceWrittenAdmin


class EventPart:
    """Inlines of an event (or of ``parent_model_admin``): whoever may change it edits them
    (one document); whoever may delete it deletes their rows, as through the API."""

    parent_model_admin = Event
    extra = 0
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model_admin].has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model_admin].has_change_permission(request, obj)

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return self.admin_site._registry[self.parent_model_admin].has_delete_permission(request, obj)


def show_refusal(form, exc: ValidationError) -> None:
    """A service's refusal on the form: under its field when the form has it, else above."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ServiceCheckedForm(forms.ModelForm):
    """The service's rule (``check``) applied to the form's values, its refusal shown."""

    check: staticmethod

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                # The form's values on a copy: the instance itself is filled after clean().
                self.check(construct_instance(self, copy.copy(self.instance)))
            except ValidationError as exc:
                show_refusal(self, exc)
        return cleaned


class CheckedFormSet(BaseInlineFormSet):
    """Each new or changed row is checked by the service's rule before anything is saved."""

    def check_row(self, row) -> None:
        """Raise the service's ValidationError for the row's unsaved instance."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.has_changed() or form.cleaned_data.get("DELETE") or form.errors:
                continue
            row = form.instance
            row.event = self.instance
            try:
                self.check_row(row)
            except ValidationError as exc:
                show_refusal(form, exc)


class ProgrammeFormSet(CheckedFormSet):
    def check_row(self, row):
        if row.event.start_date is not None:  # else the event's own form says what is missing
            services.programme_item_check(row)


class ResourceFormSet(CheckedFormSet):
    def check_row(self, row):
        services.resource_check(row)


class ParticipantFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        self.items = [
            services.ParticipantInput(form.cleaned_data["category"], form.cleaned_data["count"])
            for form in self.forms
            if form.cleaned_data.get("category") and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.participants_check(self.items)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class ProgrammeItemInline(EventPart, admin.StackedInline):
    model = ProgrammeItem
    formset = ProgrammeFormSet
    fields = [("date", "start_time", "end_time"), ("title", "kind"), "question", "description", "write_up"]
    show_change_link = True  # its speakers are edited on its own page


class ParticipantCountInline(EventPart, admin.TabularInline):
    model = ParticipantCount
    formset = ParticipantFormSet
    fields = ["category", "count"]
    # The counts are sent whole with the event: removing a category changes the event.
    has_delete_permission = EventPart.has_change_permission


class EventResourceInline(EventPart, admin.TabularInline):
    model = EventResource
    formset = ResourceFormSet
    fields = ["title", "kind", "url", "file", "is_public"]


class FeedbackSurveyInline(EventPart, admin.StackedInline):
    model = FeedbackSurvey
    max_num = 1
    fields = ["question", ("scale_max", "recommend_from"), "closes_on"]


class EventForm(ServiceCheckedForm):
    check = staticmethod(services.event_check)
    partners = LinesField(label=_("organisations partenaires"), required=False, help_text=_("Une par ligne."))
    requests = LinesField(label=_("demandes exprimées"), required=False, help_text=_("Une par ligne."))


class FeedbackLinksForm(forms.Form):
    """Participants' addresses, one a line: every bad line is named, and none is sent then."""

    emails = forms.CharField(
        label=_("adresses des participant·es"),
        widget=forms.Textarea(attrs={"rows": 12, "cols": 60}),
        help_text=_("Une adresse par ligne. Une adresse qui a déjà reçu son lien n'en reçoit pas un second."),
        max_length=LINKS_MAX_PER_SENDING * 260,
    )

    def clean_emails(self) -> list[str]:
        lines = self.cleaned_data["emails"].splitlines()
        emails, problems = [], []
        for number, line in enumerate(lines, start=1):
            address = line.strip()
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                problems.append(
                    _("Ligne %(line)s : « %(value)s » n'est pas une adresse électronique valide.")
                    % {"line": number, "value": address[:100]}
                )
            emails.append(address)
        if problems:
            raise ValidationError(problems)
        if not emails:
            raise ValidationError(_("Donnez au moins une adresse."))
        if len(emails) > LINKS_MAX_PER_SENDING:
            raise ValidationError(
                _("%(count)s adresses ; %(max)s au plus par envoi.")
                % {"count": len(emails), "max": LINKS_MAX_PER_SENDING}
            )
        return emails


class ProgrammeItemForm(ServiceCheckedForm):
    check = staticmethod(services.programme_item_check)


@admin.register(Event)
class EventAdmin(ServiceWrittenAdmin, CollectiveScopedAdmin):
    """The event is written by its services with its participants (membership of the
    organising collective; no territory rule: a gathering may be held anywhere); the other
    inlines through their own services once the event is saved."""

    form = EventForm
    model_argument = "event"
    create = staticmethod(services.event_create)
    update = staticmethod(services.event_update)
    list_display = ["title", "kind", "start_date", "municipality", "collective", "is_public"]
    list_filter = ["kind", "is_public", "collective", ("start_date", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "venue"]
    list_select_related = ["collective", "municipality"]
    autocomplete_fields = ["municipality", "co_organisers", "attending_collectives", "follows"]
    date_hierarchy = "start_date"
    inlines = [ProgrammeItemInline, ParticipantCountInline, EventResourceInline, FeedbackSurveyInline]
    fieldsets = [
        (None, {"fields": ["collective", "title", "kind", "description", "is_public", "follows"]}),
        (_("Dates et lieu"), {"fields": [("start_date", "start_time"), ("end_date", "end_time"), "municipality",
                                         "venue", "address"]}),
        (_("Organisation"), {"fields": ["co_organisers", "partners", "attending_collectives"]}),
        (_("Suites"), {"fields": ["next_subject", "requests"]}),
        (_("Questionnaire de satisfaction"), {"fields": ["feedback_links_page"]}),
        (_("Carte des initiatives"), {"fields": ["initiatives_linked"]}),
    ]  # fmt: skip
    readonly_fields = ["feedback_links_page", "initiatives_linked"]

    @admin.display(description=_("initiatives liées (validées)"))
    def initiatives_linked(self, obj):
        initiatives = event_initiatives(obj) if obj is not None and obj.pk else []
        if not initiatives:
            return _("Aucune : une initiative se lie à ses rencontres sur sa propre fiche.")
        return ", ".join(initiative.name for initiative in initiatives)

    def delete_model(self, request, obj):
        services.event_delete(event=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for event in queryset:
            services.event_delete(event=event, by=request.user)

    @admin.display(description=_("liens de réponse"))
    def feedback_links_page(self, obj):
        if obj is None or obj.pk is None:
            return _("Enregistrez d'abord la rencontre et son questionnaire.")
        url = reverse("admin:campaigns_event_feedback_links", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Envoyer les liens du questionnaire aux participant·es"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.feedback_links_view)
        return [path("<int:event_id>/liens-questionnaire/", view, name="campaigns_event_feedback_links"),
                *super().get_urls()]  # fmt: skip

    def feedback_links_view(self, request, event_id: int):
        """Send the survey's links to the addresses typed, through the same service as the API,
        and show how many links went out and how many answers came back."""
        event = get_object_or_404(self.get_queryset(request), pk=event_id)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        form = FeedbackLinksForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    created, skipped = feedback_links_send(
                        event=event, emails=form.cleaned_data["emails"], by=request.user
                    )
            except ValidationError as exc:
                form.add_error("emails" if "emails" in exc.message_dict else None, exc.messages)
            else:
                self._links_sent_message(request, created, skipped)
                return HttpResponseRedirect(request.path)
        survey = getattr(event, "survey", None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Liens du questionnaire — %(title)s") % {"title": event.title},
            "opts": self.model._meta,
            "original": event,
            "event": event,
            "form": form,
            "summary": feedback_summary(survey=survey) if survey is not None else None,
            "links": survey.links.select_related("outbound_email").order_by("-created_at", "-id")[:200]
            if survey is not None
            else [],
        }
        return TemplateResponse(request, "admin/campaigns/event/feedback_links.html", context)

    def _links_sent_message(self, request, created, skipped) -> None:
        self.message_user(
            request,
            ngettext("%(count)s lien envoyé.", "%(count)s liens envoyés.", len(created)) % {"count": len(created)},
            level=messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)s adresse avait déjà son lien (aucun second envoi) : %(emails)s.",
                    "%(count)s adresses avaient déjà leur lien (aucun second envoi) : %(emails)s.",
                    len(skipped),
                )
                % {"count": len(skipped), "emails": ", ".join(skipped)},
                level=messages.WARNING,
            )

    def service_inline(self, formset):
        # Sent whole, as the API does: the service replaces the counts.
        return {"participants": formset.items} if isinstance(formset, ParticipantFormSet) else None

    def save_formset(self, request, form, formset, change):
        saver = {
            ProgrammeItem: self._programme_row,
            EventResource: self._resource_row,
            FeedbackSurvey: self._survey_row,
        }[formset.model]
        for row in formset.forms:
            if row.has_changed() or (row.instance.pk and row.cleaned_data.get("DELETE")):
                saver(form.instance, row, request.user)
        # What the admin's history message reads of a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @staticmethod
    def _fields(row, *excluded):
        return {name: row.cleaned_data[name] for name in row.changed_data if name not in ("DELETE", "id", *excluded)}

    def _programme_row(self, event, row, by):
        item = row.instance
        if row.cleaned_data.get("DELETE"):
            services.programme_item_delete(item=item, by=by)
        elif item.pk:
            services.programme_item_update(item=ProgrammeItem.objects.get(pk=item.pk), by=by, **self._fields(row))
        else:
            services.programme_item_create(event=event, by=by, **self._fields(row))

    def _resource_row(self, event, row, by):
        resource = row.instance
        fields = self._fields(row, "file")
        upload = row.cleaned_data.get("file") if "file" in row.changed_data else None
        if row.cleaned_data.get("DELETE"):
            services.resource_delete(resource=resource, by=by)
        elif resource.pk:
            stored = EventResource.objects.get(pk=resource.pk)
            services.resource_update(resource=stored, by=by, file=upload or None, **fields)
        else:
            services.resource_create(event=event, by=by, file=upload or None, **fields)

    def _survey_row(self, event, row, by):
        if row.cleaned_data.get("DELETE"):
            survey_delete(event=event, by=by)
        else:
            survey_set(event=event, by=by, **self._fields(row))


class SpeakerInline(EventPart, admin.TabularInline):
    model = Speaker
    parent_model_admin = ProgrammeItem
    fields = ["official", "name", "organisation", "role"]
    autocomplete_fields = ["official"]
    # The speakers are sent whole with their slot: removing one changes the slot.
    has_delete_permission = EventPart.has_change_permission


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(CollectiveScopedAdmin):
    """A slot of a programme and its speakers (reached from its event)."""

    collective_path = "event__collective"
    form = ProgrammeItemForm
    list_display = ["title", "kind", "date", "start_time", "event"]
    list_select_related = ["event"]
    search_fields = ["title", "question"]
    fields = ["event", ("date", "start_time", "end_time"), ("title", "kind"), "question", "description", "write_up"]
    readonly_fields = ["event"]
    inlines = [SpeakerInline]

    def _collective_id(self, obj):
        return obj.event.collective_id

    def has_add_permission(self, request):
        return False  # added on the event's page

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        services.programme_item_update(item=obj, by=request.user, **fields)

    def save_formset(self, request, form, formset, change):
        speakers = [
            services.SpeakerInput(
                official=row.cleaned_data.get("official"),
                name=row.cleaned_data.get("name", ""),
                organisation=row.cleaned_data.get("organisation", ""),
                role=row.cleaned_data.get("role", ""),
            )
            for row in formset.forms
            if row.cleaned_data and not row.cleaned_data.get("DELETE")
        ]
        services.speakers_set(item=form.instance, by=request.user, speakers=speakers)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ExperienceAdmin(ServiceWrittenAdmin, CollectiveScopedAdmin):
    list_filter = ["collective", "event"]
    list_select_related = ["collective", "event"]
    autocomplete_fields = ["event"]


@admin.register(Lesson)
class LessonAdmin(ExperienceAdmin):
    model_argument = "lesson"
    create = staticmethod(experience.lesson_create)
    update = staticmethod(experience.lesson_update)
    list_display = ["text", "kind", "collective", "event"]
    list_filter = ["kind", *ExperienceAdmin.list_filter, "themes"]
    search_fields = ["text"]


@admin.register(Proposal)
class ProposalAdmin(ExperienceAdmin):
    model_argument = "proposal"
    create = staticmethod(experience.proposal_create)
    update = staticmethod(experience.proposal_update)
    list_display = ["text", "kind", "question", "collective", "event"]
    list_filter = ["kind", *ExperienceAdmin.list_filter]
    search_fields = ["text", "question"]


@admin.register(ActionIdea)
class ActionIdeaAdmin(ExperienceAdmin):
    model_argument = "idea"
    create = staticmethod(experience.action_idea_create)
    update = staticmethod(experience.action_idea_update)
    list_display = ["title", "question", "collective", "event"]
    search_fields = ["title", "question", "description"]
    autocomplete_fields = [*ExperienceAdmin.autocomplete_fields, "interested_collectives"]
    readonly_fields = ["campaigns"]
    actions = ["launch"]

    @admin.action(description=_("Lancer une campagne du collectif de chaque piste choisie"))
    def launch(self, request, queryset):
        for idea in queryset.select_related("collective"):
            try:
                experience.action_idea_launch(idea=idea, collectives=[idea.collective], by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, level=messages.ERROR)
                return
        self.message_user(
            request, _("%(count)s piste(s) lancée(s) en campagne.") % {"count": len(queryset)}, level=messages.SUCCESS
        )
