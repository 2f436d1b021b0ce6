from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from campaigns.collectives.access import is_coordinator, is_member, roles_of
from campaigns.collectives.models import Collective, Invitation, Membership, TerritoryRequest
from campaigns.collectives.services.invitations import send_invitation
from campaigns.collectives.services.members import membership_invite, membership_remove, membership_update
from campaigns.collectives.services.territory import territory_request_create, territory_request_decide, territory_set
from core.admin import URL_FIELDS_ASSUME_HTTPS


class CollectiveScopedAdmin(admin.ModelAdmin):
    """The API's rules in the admin: staff see everything; a member sees and edits their
    collective's rows, a coordinator also deletes them."""

    collective_path = "collective"
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def _collective_id(self, obj):
        return getattr(obj, f"{self.collective_path}_id")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_staff:
            return queryset
        return queryset.filter(**{f"{self.collective_path}__in": list(roles_of(request.user))})

    def has_module_permission(self, request):
        return request.user.is_staff or bool(roles_of(request.user))

    def has_view_permission(self, request, obj=None):
        if request.user.is_staff:
            return True
        return is_member(request.user, self._collective_id(obj)) if obj else bool(roles_of(request.user))

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request, obj=None):
        if request.user.is_staff:
            return True
        return obj is not None and is_coordinator(request.user, self._collective_id(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_staff:
            collectives = list(roles_of(request.user))
            # Which municipalities a row may name is its service's rule (within the territory,
            # or already on the row), checked on save.
            if db_field.name == "collective":
                kwargs["queryset"] = Collective.objects.filter(pk__in=collectives)
            elif db_field.name == "campaign":
                # A campaign (or any row of a collective) named by the field: its collective's only.
                kwargs["queryset"] = db_field.related_model.objects.filter(collective__in=collectives)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Collective)
class CollectiveAdmin(CollectiveScopedAdmin):
    list_display = ["name", "slug", "contact_email"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["territory"]
    inlines = [MembershipInline]

    def _collective_id(self, obj):
        return obj.pk

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_staff else queryset.filter(pk__in=list(roles_of(request.user)))

    def has_add_permission(self, request):
        return request.user.is_staff

    def has_change_permission(self, request, obj=None):
        if request.user.is_staff:
            return True
        return is_coordinator(request.user, obj.pk) if obj else False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff

    def get_readonly_fields(self, request, obj=None):
        # Coordinators ask for municipalities in "Demandes d'ajout au territoire".
        readonly = super().get_readonly_fields(request, obj)
        return readonly if request.user.is_staff else [*readonly, "territory"]

    def save_related(self, request, form, formsets, change):
        territory = form.cleaned_data.pop("territory", None)
        form.save_m2m()
        for formset in formsets:
            if formset.model is Membership:
                self._save_memberships(request, form, formset, change)
            else:
                self.save_formset(request, form, formset, change)
        if territory is not None:
            territory_set(collective=form.instance, municipalities=list(territory), by=request.user)

    def _save_memberships(self, request, form, formset, change):
        """Changes and removals of members through the membership service (a collective
        keeps a coordinator); promotions first, so that coordination is handed over in one save."""
        deleted = [row for row in formset.deleted_forms if row.instance.pk]
        changed = [row for row in formset.initial_forms if row not in deleted and row.has_changed()]
        changed.sort(key=lambda row: row.cleaned_data.get("role") != Membership.Role.COORDINATOR)
        try:
            for row in changed:
                fields = {name: row.cleaned_data[name] for name in row.changed_data if name in row.cleaned_data}
                membership_update(membership=Membership.objects.get(pk=row.instance.pk), **fields)
            for row in deleted:
                membership_remove(membership=Membership.objects.get(pk=row.instance.pk))
        except ValidationError as exc:
            raise AdminRefused(exc) from exc
        # New rows (staff only: coordinators invite people) are saved as the form says.
        for row in formset.extra_forms:
            if row.has_changed() and row not in formset.deleted_forms:
                row.save()
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except AdminRefused as exc:
            for message in exc.error.messages:
                self.message_user(request, message, level=messages.ERROR)
            return HttpResponseRedirect(request.path)


@admin.register(TerritoryRequest)
class TerritoryRequestAdmin(CollectiveScopedAdmin):
    """Coordinators ask for a municipality; staff approve or refuse with the list's actions."""

    list_display = ["municipality", "collective", "state", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["state", "collective"]
    search_fields = ["municipality__name", "municipality__insee_code", "collective__name"]
    list_select_related = ["municipality", "collective", "requested_by", "decided_by"]
    autocomplete_fields = ["municipality"]
    fields = ["collective", "municipality"]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request):
        return request.user.is_staff or any(
            role == Membership.Role.COORDINATOR for role in roles_of(request.user).values()
        )

    def has_change_permission(self, request, obj=None):
        return False  # decided with the actions, never edited

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff

    def has_decide_permission(self, request):
        return request.user.is_staff

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "collective" and not request.user.is_staff:
            coordinated = [pk for pk, role in roles_of(request.user).items() if role == Membership.Role.COORDINATOR]
            kwargs["queryset"] = Collective.objects.filter(pk__in=coordinated)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        if db_field.name == "municipality":
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            created = territory_request_create(
                collective=form.cleaned_data["collective"],
                municipality=form.cleaned_data["municipality"],
                by=request.user,
            )
        except ValidationError as exc:
            raise AdminRefused(exc) from exc
        obj.pk = created.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except AdminRefused as exc:
            for message in exc.error.messages:
                self.message_user(request, message, level=messages.ERROR)
            return HttpResponseRedirect(request.path)

    def _decide(self, request, queryset, approve: bool):
        done = 0
        for territory_request in queryset.filter(state=TerritoryRequest.State.PENDING):
            territory_request_decide(request=territory_request, approve=approve, by=request.user)
            done += 1
        self.message_user(request, _("%(count)s demande(s) traitée(s).") % {"count": done}, level=messages.SUCCESS)

    @admin.action(description=_("Accepter les demandes choisies"), permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Refuser les demandes choisies"), permissions=["decide"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, False)


class InvitationForm(forms.ModelForm):
    first_name = forms.CharField(label=_("prénom"), required=False, max_length=150)
    last_name = forms.CharField(label=_("nom"), required=False, max_length=150)

    class Meta:
        model = Invitation
        fields = ["collective", "email", "first_name", "last_name", "role", "title", "signs_letters"]
        help_texts = {"first_name": _("Seulement si l'adresse n'a pas encore de compte.")}


@admin.register(Invitation)
class InvitationAdmin(CollectiveScopedAdmin):
    """Coordinators invite people here as through the API: the person becomes a member when
    they accept. The list shows what was typed and the state, never the account's own data."""

    form = InvitationForm
    list_display = ["email", "collective", "role", "state", "created_at", "decided_at"]
    list_filter = ["state", "collective"]
    search_fields = ["email"]
    list_select_related = ["collective"]

    def has_add_permission(self, request):
        return request.user.is_staff or any(
            role == Membership.Role.COORDINATOR for role in roles_of(request.user).values()
        )

    def has_change_permission(self, request, obj=None):
        return False  # an invitation is answered by the invitee, not edited

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "collective" and not request.user.is_staff:
            coordinated = [pk for pk, role in roles_of(request.user).items() if role == Membership.Role.COORDINATOR]
            kwargs["queryset"] = Collective.objects.filter(pk__in=coordinated)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            invitation = membership_invite(
                collective=data["collective"],
                email=data["email"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                role=data["role"],
                title=data.get("title", ""),
                signs_letters=data.get("signs_letters", False),
                by=request.user,
                notify=send_invitation,
            )
        except ValidationError as exc:
            # Raised before anything is written: shown on the form, which is sent again.
            raise AdminRefused(exc) from exc
        obj.pk = invitation.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except AdminRefused as exc:
            for message in exc.error.messages:
                self.message_user(request, message, level=messages.ERROR)
            return HttpResponseRedirect(request.path)


class AdminRefused(Exception):
    """A service refused an admin form's write: shown as a message, nothing written."""

    def __init__(self, error: ValidationError):
        self.error = error
        super().__init__(str(error))
