from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework import serializers

from campaigns.collectives.access import is_member
from campaigns.collectives.models import Collective, Invitation, Membership, TerritoryRequest
from campaigns.collectives.services.territory import territory_set
from core.serializers import ModelConstraintsMixin
from officials.models import Municipality


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
    """Who may ask (a coordinator of the collective) is the service's rule."""

    collective = serializers.SlugRelatedField(slug_field="slug", queryset=Collective.objects.all())
    municipality = serializers.SlugRelatedField(slug_field="insee_code", queryset=Municipality.objects.all())
    municipality_name = serializers.CharField(label="Nom de la commune", source="municipality.name", read_only=True)
    state_display = serializers.CharField(label="État (en toutes lettres)", source="get_state_display", read_only=True)

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


def _user_max_length(name: str) -> int:
    return get_user_model()._meta.get_field(name).max_length


class MembershipSerializer(serializers.ModelSerializer):
    # Bounded by the account's columns: a longer value is a 400, never a database error.
    email = serializers.EmailField(
        label="Adresse électronique", source="user.email", max_length=_user_max_length("email")
    )
    first_name = serializers.CharField(
        label="Prénom",
        source="user.first_name",
        required=False,
        allow_blank=True,
        max_length=_user_max_length("first_name"),
    )
    last_name = serializers.CharField(
        label="Nom", source="user.last_name", required=False, allow_blank=True, max_length=_user_max_length("last_name")
    )
    role_display = serializers.CharField(label="Rôle (en toutes lettres)", source="get_role_display", read_only=True)

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

    role_display = serializers.CharField(label="Rôle (en toutes lettres)", source="get_role_display", read_only=True)
    state_display = serializers.CharField(label="État (en toutes lettres)", source="get_state_display", read_only=True)

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

    collective = serializers.CharField(label="Collectif (identifiant)", source="collective.slug", read_only=True)
    collective_name = serializers.CharField(label="Nom du collectif", source="collective.name", read_only=True)
    role_display = serializers.CharField(label="Rôle (en toutes lettres)", source="get_role_display", read_only=True)
    state_display = serializers.CharField(label="État (en toutes lettres)", source="get_state_display", read_only=True)

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
    slug = serializers.CharField(label="Identifiant du collectif", source="collective.slug")
    name = serializers.CharField(label="Nom du collectif", source="collective.name")
    role_display = serializers.CharField(label="Rôle (en toutes lettres)", source="get_role_display")

    class Meta:
        model = Membership
        fields = ["slug", "name", "role", "role_display", "title"]


class MeSerializer(serializers.ModelSerializer):
    collectives = MeCollectiveSerializer(label="Collectifs", source="memberships", many=True, read_only=True)

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "first_name", "last_name", "is_staff", "collectives"]


class CollectiveContentSerializer(ModelConstraintsMixin, serializers.ModelSerializer):
    """Content that belongs to a collective. Who may write it, and which municipalities it
    may name, are its services' rules (``collectives.access.content_check``): their refusals
    are 400s keyed by field, like the serializer's own."""

    collective = serializers.SlugRelatedField(slug_field="slug", queryset=Collective.objects.all())

    @property
    def by(self):
        """Who writes: the services check their membership."""
        return self.context["request"].user
