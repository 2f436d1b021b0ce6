from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from campaigns.access import is_coordinator, is_member, territory_problems
from campaigns.models import (
    Action,
    Campaign,
    Collective,
    Invitation,
    Measure,
    MeasureLevel,
    Membership,
    Pact,
    Pledge,
    PledgedMeasure,
    TerritoryRequest,
    Theme,
)
from campaigns.services import PledgedMeasureInput, pledge_create, pledge_update, territory_set
from core.serializers import ModelConstraintsMixin
from officials.models import Municipality, Official

# Pacts and measures


class MeasureLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureLevel
        fields = ["id", "rank", "description"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["id", "code", "name", "position"]


class MeasureSerializer(serializers.ModelSerializer):
    theme_name = serializers.CharField(source="theme.name", read_only=True, default=None)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    levels = MeasureLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "pact", "kind", "kind_display", "code", "title", "description", "theme", "theme_name", "levels"]


class PactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pact
        fields = ["id", "name", "year", "description", "min_measures", "principles_required"]


class PactDetailSerializer(PactSerializer):
    themes = ThemeSerializer(many=True, read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)

    class Meta(PactSerializer.Meta):
        fields = [*PactSerializer.Meta.fields, "themes", "measures"]


# Collectives and members


class CollectiveSerializer(serializers.ModelSerializer):
    """Public profile; the postal address is for members only (it may be someone's home)."""

    territory = serializers.SlugRelatedField(
        slug_field="insee_code", many=True, queryset=Municipality.objects.all(), required=False
    )

    class Meta:
        model = Collective
        fields = ["id", "slug", "name", "description", "contact_email", "website", "postal_address", "territory"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not is_member(self.context["request"].user, instance.pk):
            data.pop("postal_address")
        return data

    @transaction.atomic
    def create(self, validated_data):
        territory = validated_data.pop("territory", None)
        collective = super().create(validated_data)
        if territory is not None:
            territory_set(collective=collective, municipalities=territory, by=self.context["request"].user)
        return collective

    @transaction.atomic
    def update(self, instance, validated_data):
        territory = validated_data.pop("territory", None)
        # First: a territory refused leaves the rest unwritten too.
        if territory is not None:
            territory_set(collective=instance, municipalities=territory, by=self.context["request"].user)
        return super().update(instance, validated_data)


class TerritoryRequestSerializer(serializers.ModelSerializer):
    collective = serializers.SlugRelatedField(slug_field="slug", queryset=Collective.objects.all())
    municipality = serializers.SlugRelatedField(slug_field="insee_code", queryset=Municipality.objects.all())
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = TerritoryRequest
        fields = [
            "id",
            "collective",
            "municipality",
            "municipality_name",
            "state",
            "state_display",
            "requested_at",
            "decided_at",
        ]
        read_only_fields = ["state", "requested_at", "decided_at"]
        validators = []  # the pending-request uniqueness is the service's, with its message

    def validate_collective(self, collective):
        if not is_coordinator(self.context["request"].user, collective.pk):
            raise exceptions.PermissionDenied(
                _("Seul·es les coordinateur·rices du collectif demandent l'ajout d'une commune.")
            )
        return collective


def _user_max_length(name: str) -> int:
    return get_user_model()._meta.get_field(name).max_length


class MembershipSerializer(serializers.ModelSerializer):
    # Bounded by the account's columns: a longer value is a 400, never a database error.
    email = serializers.EmailField(source="user.email", max_length=_user_max_length("email"))
    first_name = serializers.CharField(
        source="user.first_name", required=False, allow_blank=True, max_length=_user_max_length("first_name")
    )
    last_name = serializers.CharField(
        source="user.last_name", required=False, allow_blank=True, max_length=_user_max_length("last_name")
    )
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "role_display",
            "title",
            "signs_letters",
            "joined_at",
        ]


class InvitationSerializer(serializers.ModelSerializer):
    """What the inviter sees: what they typed and the state, never the account's own data
    (the answer looks the same whether the address had an account or not)."""

    role_display = serializers.CharField(source="get_role_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "role_display",
            "title",
            "signs_letters",
            "state",
            "state_display",
            "created_at",
        ]
        read_only_fields = fields


class MyInvitationSerializer(serializers.ModelSerializer):
    """What the invitee sees of an invitation addressed to them."""

    collective = serializers.CharField(source="collective.slug", read_only=True)
    collective_name = serializers.CharField(source="collective.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "collective",
            "collective_name",
            "role",
            "role_display",
            "title",
            "signs_letters",
            "state",
            "state_display",
            "created_at",
            "decided_at",
        ]
        read_only_fields = fields


class MembershipUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["role", "title", "signs_letters"]


class MeCollectiveSerializer(serializers.ModelSerializer):
    slug = serializers.CharField(source="collective.slug")
    name = serializers.CharField(source="collective.name")
    role_display = serializers.CharField(source="get_role_display")

    class Meta:
        model = Membership
        fields = ["slug", "name", "role", "role_display", "title"]


class MeSerializer(serializers.ModelSerializer):
    collectives = MeCollectiveSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "first_name", "last_name", "is_staff", "collectives"]


# Pledges


class PledgedMeasureSerializer(serializers.ModelSerializer):
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    level = serializers.PrimaryKeyRelatedField(queryset=MeasureLevel.objects.all(), required=False, allow_null=True)
    measure_code = serializers.CharField(source="measure.code", read_only=True)
    measure_title = serializers.CharField(source="measure.title", read_only=True)
    level_rank = serializers.IntegerField(source="level.rank", read_only=True, default=None)

    class Meta:
        model = PledgedMeasure
        fields = ["id", "measure", "measure_code", "measure_title", "level", "level_rank", "local_wording"]


class CollectiveContentSerializer(ModelConstraintsMixin, serializers.ModelSerializer):
    """Content that belongs to a collective: members write it, within its territory."""

    collective = serializers.SlugRelatedField(slug_field="slug", queryset=Collective.objects.all())

    def territory_of(self, attrs) -> list[str]:
        """INSEE codes of the municipalities ``attrs`` touch; each content says which."""
        return []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = self.context["request"].user
        collective = attrs.get("collective") or getattr(self.instance, "collective", None)
        if collective is not None and not is_member(user, collective.pk):
            raise serializers.ValidationError(
                {"collective": [_("Vous n'êtes pas membre du collectif « %(name)s ».") % {"name": collective.name}]}
            )
        if collective is not None:
            problems = territory_problems(collective, self.territory_of(attrs), user)
            if problems:
                raise serializers.ValidationError({"municipality": problems})
        return attrs


class PledgeSerializer(CollectiveContentSerializer):
    collective = serializers.SlugRelatedField(
        slug_field="slug", queryset=Collective.objects.all(), required=False, allow_null=True
    )
    municipality = serializers.SlugRelatedField(slug_field="insee_code", queryset=Municipality.objects.all())
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    head_of_list = serializers.PrimaryKeyRelatedField(queryset=Official.objects.all(), required=False, allow_null=True)
    measures = PledgedMeasureSerializer(many=True)

    class Meta:
        model = Pledge
        fields = [
            "id",
            "pact",
            "municipality",
            "municipality_name",
            "list_name",
            "head_of_list",
            "head_of_list_name",
            "collective",
            "signed_on",
            "election_outcome",
            "notes",
            "measures",
            "created_at",
            "updated_at",
        ]
        # The unique (pact, municipality, list) is checked by ModelConstraintsMixin.
        validators = []

    def territory_of(self, attrs):
        municipality = attrs.get("municipality") or getattr(self.instance, "municipality", None)
        return [municipality.pk] if municipality else []

    def validate(self, attrs):
        measures = attrs.pop("measures", None)
        attrs = super().validate(attrs)
        if not self.context["request"].user.is_staff and not (
            attrs.get("collective") or getattr(self.instance, "collective", None)
        ):
            raise serializers.ValidationError({"collective": [_("Indiquez le collectif qui a obtenu ce pacte.")]})
        if measures is not None:
            attrs["measures"] = [PledgedMeasureInput(**item) for item in measures]
        return attrs

    def create(self, validated_data):
        return pledge_create(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return pledge_update(pledge=instance, **validated_data)


# Campaigns and actions


class CampaignSerializer(CollectiveContentSerializer):
    municipalities = serializers.SlugRelatedField(
        slug_field="insee_code", many=True, queryset=Municipality.objects.all(), required=False
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "collective",
            "title",
            "objective",
            "measures",
            "municipalities",
            "officials",
            "start_date",
            "end_date",
            "status",
            "status_display",
            "is_public",
            "created_at",
            "updated_at",
        ]

    def territory_of(self, attrs):
        municipalities = attrs.get("municipalities")
        if municipalities is None and self.instance is not None:
            return []  # unchanged: already checked when set
        return [municipality.pk for municipality in municipalities or []]


class ActionSerializer(CollectiveContentSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="insee_code", queryset=Municipality.objects.all(), required=False, allow_null=True
    )
    municipality_name = serializers.CharField(source="municipality.name", read_only=True, default=None)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    links = serializers.ListField(child=serializers.URLField(), required=False)

    class Meta:
        model = Action
        fields = [
            "id",
            "collective",
            "campaign",
            "kind",
            "kind_display",
            "date",
            "title",
            "description",
            "municipality",
            "municipality_name",
            "officials",
            "measures",
            "outcome",
            "outcome_display",
            "outcome_note",
            "links",
            "is_public",
            "created_at",
            "updated_at",
        ]

    def territory_of(self, attrs):
        municipality = attrs.get("municipality")
        return [municipality.pk] if municipality else []

    def validate(self, attrs):
        attrs = super().validate(attrs)
        campaign = attrs.get("campaign")
        collective = attrs.get("collective") or getattr(self.instance, "collective", None)
        if campaign is not None and campaign.collective_id != collective.pk:
            raise serializers.ValidationError({"campaign": [_("Cette campagne appartient à un autre collectif.")]})
        return attrs
