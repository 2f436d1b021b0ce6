from rest_framework import serializers
from rest_framework.reverse import reverse

from core.serializers import ModelConstraintsMixin
from officials.models import TOWN_HALL_FIELDS, Department, Mandate, Municipality, Official
from officials.services import municipality_save


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "region_code", "region_name"]


class MunicipalitySerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(label="Nom du département", source="department.name", read_only=True)
    town_hall_edited = serializers.ListField(
        child=serializers.ChoiceField(choices=TOWN_HALL_FIELDS),
        read_only=True,
        help_text="Champs de la mairie saisis à la main : l'import de l'annuaire ne les modifie pas.",
    )
    url = serializers.HyperlinkedIdentityField(
        label="Adresse", view_name="municipality-detail", lookup_field="insee_code"
    )

    class Meta:
        model = Municipality
        fields = [
            "insee_code",
            "url",
            "name",
            "kind",
            "department",
            "department_name",
            "parent",
            "population",
            "latitude",
            "longitude",
            *TOWN_HALL_FIELDS,
            "town_hall_edited",
        ]

    # A person's write: the town hall fields they set are kept from the directory import.
    def create(self, validated_data):
        changed = [name for name in TOWN_HALL_FIELDS if validated_data.get(name)]
        return municipality_save(municipality=Municipality(**validated_data), changed=changed)

    def update(self, instance, validated_data):
        given = [name for name in TOWN_HALL_FIELDS if name in validated_data]
        changed = [name for name in given if getattr(instance, name) != validated_data[name]]
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return municipality_save(municipality=instance, changed=changed)


class OfficialSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Official
        fields = ["id", "first_name", "last_name", "sex"]


class MunicipalityMandateSerializer(serializers.ModelSerializer):
    """A mandate as seen from its municipality."""

    official = OfficialSummarySerializer(read_only=True)
    role_display = serializers.CharField(
        label="Fonction (en toutes lettres)", source="get_role_display", read_only=True
    )

    class Meta:
        model = Mandate
        fields = ["id", "official", "role", "role_display", "function_label", "start_date", "end_date"]


class MunicipalityDetailSerializer(MunicipalitySerializer):
    current_mandates = MunicipalityMandateSerializer(label="Mandats en cours", many=True, read_only=True)
    pledges = serializers.SerializerMethodField(
        label="Pactes signés", help_text="Pactes signés dans la commune (liste filtrée)."
    )
    timeline = serializers.SerializerMethodField(label="Chronologie", help_text="Chronologie de la commune.")

    class Meta(MunicipalitySerializer.Meta):
        fields = [*MunicipalitySerializer.Meta.fields, "current_mandates", "pledges", "timeline"]

    # Links by URL name: the tracking app serves them, and this app imports none of it.
    def get_pledges(self, municipality) -> str:
        url = reverse("pledge-list", request=self.context.get("request"))
        return f"{url}?municipality={municipality.insee_code}"

    def get_timeline(self, municipality) -> str:
        return reverse(
            "municipality-timeline", kwargs={"insee_code": municipality.insee_code}, request=self.context.get("request")
        )


class MandateSerializer(ModelConstraintsMixin, serializers.ModelSerializer):
    municipality_name = serializers.CharField(
        label="Nom de la commune", source="municipality.name", read_only=True, allow_null=True
    )
    role_display = serializers.CharField(
        label="Fonction (en toutes lettres)", source="get_role_display", read_only=True
    )
    is_current = serializers.BooleanField(label="Mandat en cours", read_only=True)

    class Meta:
        model = Mandate
        fields = [
            "id",
            "official",
            "municipality",
            "municipality_name",
            "role",
            "role_display",
            "function_label",
            "start_date",
            "end_date",
            "is_current",
            "source",
        ]
        read_only_fields = ["source"]


class OfficialSerializer(serializers.ModelSerializer):
    """Public mandate data of an official. The birth date is never exposed; the contact
    e-mail and the do-not-e-mail flag are shown to signed-in users only."""

    mandates = MandateSerializer(label="Mandats", many=True, read_only=True)

    class Meta:
        model = Official
        fields = ["id", "first_name", "last_name", "sex", "email", "do_not_email", "mandates"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            data.pop("email", None)
            data.pop("do_not_email", None)
        return data
