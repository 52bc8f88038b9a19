"""How a claim reads on a page: amounts in kroner, the status, the kind, the proposal's notes, in bokmål."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from helseportal.travel.rules import Kind, Note, Outcome, Status


def kroner(ore: int | None) -> str:
    """`12345` øre as «123,45 kr»; whole kroner without decimals («171 kr»), thousands with a space («1 026 kr»)."""
    if ore is None:
        return ""
    whole, cents = divmod(ore, 100)
    text = f"{whole:,}".replace(",", "\u00a0")
    return f"{text},{cents:02d}\u00a0kr" if cents else f"{text}\u00a0kr"


STATUS: dict[str, Promise] = {
    Status.RECEIVED: _("Mottatt"),
    Status.PROCESSING: _("Under behandling"),
    Status.DECIDED: _("Vedtak fattet"),
    Status.PAID: _("Utbetalt"),
}
KIND: dict[str, Promise] = {
    Kind.STANDARD: _("Standardsats uten kvitteringer"),
    Kind.EXPENSES: _("Utgifter med kvitteringer"),
}
OUTCOME: dict[str, Promise] = {
    Outcome.APPROVED: _("Innvilget"),
    Outcome.REJECTED: _("Avslått"),
}
TRANSPORT: dict[str, Promise] = {
    "car": _("Egen bil"),
    "public": _("Buss, tog, trikk eller båt"),
    "taxi": _("Drosje"),
    "other": _("Annet"),
}
STEP: dict[str, Promise] = {
    "receive": _("Søknaden ble mottatt"),
    "take": _("Saksbehandler begynte på saken"),
    "decide": _("Vedtak"),
    "pay": _("Utbetalt"),
    "complain": _("Klage sendt"),
    "reopen": _("Klagen tas opp til ny behandling"),
}
NOTES: dict[str, Promise] = {
    Note.SHORT: _("Reisen er ikke lenger enn 10 km hver vei: den dekkes vanligvis ikke."),
    Note.LONG: _("Reisen er 300 km eller mer hver vei: dekk billigste rutegående transport i stedet for standardsats."),
    Note.CHILD: _("Barn under 16 år betaler ingen egenandel."),
    Note.FRIKORT: _("Hun hadde frikort på reisedatoen: ingen egenandel."),
    Note.SMALL: _("Beløpet er under 100 kr: det utbetales vanligvis bare sammen med andre reiser innen seks måneder."),
    Note.LATE: _("Søknaden kom mer enn seks måneder etter reisen."),
    Note.UNSOURCED: _(
        "Satsen for reiseåret er ikke registrert med kilde: forslaget bruker et tidligere års sats. Kontroller beløpet."
    ),
}
