"""Where a letter goes: the recipient block printed on it, and the channel it is sent by
(the official's own e-mail, else the town hall's "à l'attention de" the official, else
paper), with the reason recorded on the letter."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.letters.lettering import official_fields
from campaigns.letters.models import Interpellation, Letter
from core.text import fold
from officials.models import Municipality, Official
from tasks.outbox import services as outbox

TOWN_HALL = "Hôtel de ville"


@dataclass(frozen=True)
class Addressing:
    """The channel of one letter, why, and the e-mail address when it goes by e-mail."""

    channel: str
    reason: str
    address: str = ""
    note: str = ""

    @property
    def by_email(self) -> bool:
        return self.channel == Letter.Channel.EMAIL


def recipient_lines(official: dict, municipality: dict | None) -> list[str]:
    """The recipient block of a letter: the official's name and title, then "Hôtel de ville"
    and the town hall's postal address (the town alone when it is not known)."""
    lines = [official["address_name"], official["function"]]
    if municipality:
        postal = municipality["town_hall_lines"] or [municipality["name"]]
        # The directory often gives "Hôtel de ville" as the first line itself.
        lines += [_(TOWN_HALL), *(line for line in postal if fold(line) != fold(TOWN_HALL))]
    return [line for line in lines if line]


def attention_line(letter: Letter) -> str:
    """ "À l'attention de Madame Élodie IMBERT, Maire de Salon-de-Provence"."""
    fields = official_fields(
        first_name=letter.official.first_name,
        last_name=letter.official.last_name,
        sex=letter.official.sex,
        role=letter.role,
        municipality_name=letter.municipality.name if letter.municipality else "",
    )
    name = ", ".join(part for part in (fields["address_name"], fields["function"]) if part)
    return _("À l'attention de %(name)s") % {"name": name}


def email_addressing(
    *,
    official: Official,
    municipality: Municipality | None,
    town_hall_email: bool,
    refused: dict[str, str] | None = None,
) -> Addressing:
    """The e-mail address a letter to ``official`` goes to, or paper and why. ``refused``:
    the outbox's refusals of these addresses, when the caller asked for many at once."""
    own = official.email
    town_hall = municipality.town_hall_email if municipality is not None else ""
    if refused is None:
        refused = outbox.refused_recipients([own, town_hall])
    if official.do_not_email:
        return Addressing(Letter.Channel.PAPER, Letter.ChannelReason.OFFICIAL_REFUSES_EMAIL)
    if own and own not in refused:
        return Addressing(Letter.Channel.EMAIL, Letter.ChannelReason.OFFICIAL_EMAIL, own)
    note = refused.get(own, "")
    if town_hall and town_hall not in refused:
        if town_hall_email:
            return Addressing(Letter.Channel.EMAIL, Letter.ChannelReason.TOWN_HALL_EMAIL, town_hall, note)
        return Addressing(Letter.Channel.PAPER, Letter.ChannelReason.TOWN_HALL_NOT_CHOSEN, note=note)
    note = "; ".join(reason for reason in (note, refused.get(town_hall, "")) if reason)
    return Addressing(Letter.Channel.PAPER, Letter.ChannelReason.NO_EMAIL, note=note)


def letter_addressing(letter: Letter, *, refused: dict[str, str] | None = None) -> Addressing:
    """The channel of ``letter`` as its interpellation asks (before the daily limit, which
    delivery applies)."""
    interpellation = letter.interpellation
    if interpellation.delivery != Interpellation.Delivery.EMAIL:
        return Addressing(Letter.Channel.PAPER, Letter.ChannelReason.PAPER_CHOSEN)
    return email_addressing(
        official=letter.official,
        municipality=letter.municipality,
        town_hall_email=interpellation.town_hall_email,
        refused=refused,
    )


def refused_addresses(letters: list[Letter]) -> dict[str, str]:
    """The outbox's refusals of every address ``letters`` may go to, in one look."""
    addresses = {letter.official.email for letter in letters}
    addresses |= {letter.municipality.town_hall_email for letter in letters if letter.municipality is not None}
    return outbox.refused_recipients(sorted(addresses - {""}))


def has_postal_address(municipality: Municipality | None) -> bool:
    return municipality is not None and bool(municipality.town_hall_postal_lines)
