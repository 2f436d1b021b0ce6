"""The French letter templates every collective finds on a fresh install (shared, no owner)."""

from django.db import migrations

CLOSING = (
    "Nous vous prions d'agréer, {{ official.salutation }}, l'expression de notre haute considération."
)

TEMPLATES = [
    {
        "name": "Interpellation sur les mesures signées",
        "kind": "interpellation",
        "subject": "Les engagements du {{ pledge.pact if pledge else 'Pacte pour la Transition' }} à {{ municipality.name }}",
        "body": """Le collectif {{ collective.name }} suit avec attention la mise en œuvre des engagements pris par votre équipe{% if pledge %} lorsque la liste « {{ pledge.list_name }} » a signé le {{ pledge.pact }}{% if pledge.signed_on %}, le {{ pledge.signed_on }}{% endif %}{% endif %}.

{% if pledge %}Voici où en sont, selon nos observations, les mesures auxquelles vous vous êtes engagé·es :
{% for measure in pledge.measures %}
– mesure {{ measure.code }} « {{ measure.title }} »{% if measure.level %} (palier {{ measure.level }}){% endif %} : {{ measure.status }}{% if measure.progress is not none %}, avancement estimé à {{ measure.progress }} %{% endif %}
{% endfor %}
{% endif %}
Nous souhaiterions connaître le calendrier et les moyens prévus pour les mesures qui n'ont pas encore abouti, et nous restons disponibles pour en discuter avec vous.""",
    },
    {
        "name": "Demande de rendez-vous",
        "kind": "meeting_request",
        "subject": "Demande de rendez-vous : suivi du Pacte pour la Transition",
        "body": """Le collectif {{ collective.name }} souhaiterait vous rencontrer afin de faire le point sur la mise en œuvre des engagements du Pacte pour la Transition à {{ municipality.name }}{% if campaign %}, en particulier sur notre campagne « {{ campaign.title }} »{% endif %}.

Nous vous proposons un échange d'une heure, à la date qui vous conviendra dans les prochaines semaines. Vous pouvez nous répondre à l'adresse {{ collective.email }}.""",
    },
    {
        "name": "Relance",
        "kind": "follow_up",
        "subject": "Relance : suivi du Pacte pour la Transition à {{ municipality.name }}",
        "body": """Nous nous permettons de revenir vers vous au sujet de notre précédent courrier, resté à ce jour sans réponse.

Le collectif {{ collective.name }} reste très attaché au dialogue avec votre équipe sur la mise en œuvre des engagements pris, et nous vous serions reconnaissant·es de bien vouloir nous faire part de vos éléments de réponse.""",
    },
    {
        "name": "Courrier libre",
        "kind": "free",
        "subject": "Pacte pour la Transition à {{ municipality.name }}",
        "body": """Le collectif {{ collective.name }} souhaite attirer votre attention sur …""",
    },
]


def install(apps, schema_editor):
    LetterTemplate = apps.get_model("campaigns", "LetterTemplate")
    for template in TEMPLATES:
        LetterTemplate.objects.get_or_create(
            collective=None, name=template["name"], defaults={**template, "closing": CLOSING}
        )


def uninstall(apps, schema_editor):
    LetterTemplate = apps.get_model("campaigns", "LetterTemplate")
    LetterTemplate.objects.filter(collective=None, name__in=[t["name"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0004_letters")]

    operations = [migrations.RunPython(install, uninstall)]
