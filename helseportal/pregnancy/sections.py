"""The card's sections and their fields, as data: one definition drives forms, pages, the PDF and FHIR.

Field lists follow DOMAIN.md §3 (the NHN DHG model as a public consumer sees it). The choices of the typed
series added in issue 16 (earlier births, ultrasound, NIPT, vaccines, birth status per fetus, due dates, urine
glucose) are defined here too, so the forms, the card, the PDF and the FHIR mapping read the same labels.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LIFESTYLE_CHOICES = (
    ("no", _("Nei")),
    ("sometimes", _("Av og til")),
    ("daily", _("Daglig")),
    ("stopped", _("Sluttet i svangerskapet")),
)
YES_NO = (("yes", _("Ja")), ("no", _("Nei")))
CO_PARENT_RELATIONS = (
    ("spouse", _("Ektefelle eller registrert partner")),
    ("cohabitant", _("Samboer")),
    ("partner", _("Kjæreste")),
    ("not_together", _("Vi er ikke sammen")),
    ("other", _("Annet")),
)
APPLICATION_STATUSES = (
    ("not_sent", _("Ikke sendt ennå")),
    ("sent", _("Sendt")),
    ("accepted", _("Fått plass")),
    ("declined", _("Ikke fått plass")),
)


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    kind: str = "text"  # text | textarea | bool | int | decimal | date | choice | phone
    choices: tuple[tuple[str, Promise], ...] = ()
    unit: str = ""
    help: Promise | str = ""  # shown under the field in its form


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    fields: tuple[Field, ...]
    woman_may_edit: bool = True  # sections only health personnel fill in say False
    order: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def _conditions() -> tuple[Field, ...]:
    names = (
        ("heart", _("Hjertesykdom")),
        ("hypertension", _("Høyt blodtrykk")),
        ("kidney", _("Nyre- eller urinveissykdom")),
        ("diabetes", _("Diabetes")),
        ("allergy_asthma", _("Allergi eller astma")),
        ("epilepsy", _("Epilepsi")),
        ("thrombosis", _("Blodpropp")),
        ("autoimmune", _("Autoimmun sykdom")),
        ("gynaecological", _("Gynekologisk sykdom")),
        ("mental_health", _("Psykisk helse")),
        ("other", _("Annet")),
    )
    return (*(Field(k, label, "bool") for k, label in names), Field("note", _("Merknad"), "textarea"))


def _lifestyle(when: str) -> tuple[Field, ...]:
    items = (
        ("tobacco", _("Tobakk")),
        ("snus", _("Snus")),
        ("alcohol", _("Alkohol")),
        ("other_substances", _("Andre rusmidler")),
    )
    return tuple(Field(f"{k}_{when}", label, "choice", LIFESTYLE_CHOICES) for k, label in items)


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section(
            "mother",
            _("Mor"),
            (
                Field("occupation", _("Yrke")),
                Field("employment_last_6_months", _("I arbeid siste 6 måneder"), "choice", YES_NO),
                Field("employment_percent", _("Stillingsprosent"), "int", unit="%"),
                Field("language", _("Språk")),
                Field("country_of_birth", _("Fødeland")),
                Field("needs_interpreter", _("Trenger tolk"), "bool"),
                Field("cohabiting_co_parent", _("Bor sammen med den andre forelderen"), "choice", YES_NO),
            ),
            order=1,
        ),
        Section(
            "co_parent",
            _("Den andre forelderen"),
            (
                Field(
                    "name",
                    _("Navn"),
                    help=_(
                        "Det du skriver her, gir ikke den andre forelderen tilgang til helsekortet. Jordmor og lege "
                        "som du deler kortet med, ser det."
                    ),
                ),
                Field("phone", _("Telefon"), "phone"),
                Field("relationship", _("Forhold til deg"), "choice", CO_PARENT_RELATIONS),
            ),
            order=1,
        ),
        Section(
            "contacts",
            _("Kontaktpunkter"),
            (
                Field("gp_name", _("Fastlege")),
                Field("gp_organisation", _("Fastlegekontor")),
                Field("gp_orgnr", _("Organisasjonsnummer, fastlegekontor")),
                Field("gp_hpr", _("HPR-nummer, fastlege")),
                Field("midwife_name", _("Jordmor")),
                Field("midwife_organisation", _("Jordmors arbeidssted")),
                Field("midwife_orgnr", _("Organisasjonsnummer, jordmor")),
                Field("midwife_hpr", _("HPR-nummer, jordmor")),
                Field("birth_institution", _("Fødeinstitusjon")),
                Field("maternity_care_centre", _("Barselomsorg")),
            ),
            order=2,
        ),
        Section(
            "current",
            _("Dette svangerskapet"),
            (
                Field("prenatal_diagnostics", _("Fosterdiagnostikk"), "textarea"),
                Field("assisted_conception", _("Assistert befruktning"), "bool"),
                Field("assisted_conception_date", _("Dato for assistert befruktning"), "date"),
                Field("birth_preparation_talk", _("Samtale om fødselsforberedelse"), "bool"),
                Field("breastfeeding_guidance", _("Veiledning om amming"), "bool"),
            ),
            woman_may_edit=False,
            order=3,
        ),
        Section(
            "previous",
            _("Tidligere svangerskap"),
            (
                Field("count", _("Antall tidligere svangerskap"), "int"),
                Field("live_births", _("Levendefødte"), "int"),
                Field("miscarriages", _("Spontanaborter"), "int"),
                Field("stillbirths", _("Dødfødte etter 22 uker"), "int"),
                Field("ectopic", _("Svangerskap utenfor livmoren"), "int"),
                Field("note", _("Merknad"), "textarea"),
            ),
            order=4,
        ),
        Section(
            "genetic",
            _("Arvelige sykdommer"),
            (
                Field("none_known", _("Ingen kjente"), "bool"),
                Field("parents_related", _("Foreldrene er i slekt"), "bool"),
                Field("hip_dysplasia", _("Hofteleddsdysplasi i familien"), "bool"),
                Field("other", _("Annet"), "bool"),
                Field("note", _("Merknad"), "textarea"),
            ),
            order=5,
        ),
        Section("conditions", _("Sykdommer"), _conditions(), order=6),
        Section(
            "medication",
            _("Legemidler"),
            (
                Field("frequency", _("Legemidler og hvor ofte"), "textarea"),
                Field("drug_allergy", _("Legemiddelallergi")),
                Field("folic_acid_before", _("Folat før svangerskapet"), "bool"),
                Field("folic_acid_during", _("Folat i svangerskapet"), "bool"),
                Field("note", _("Merknad"), "textarea"),
            ),
            order=7,
        ),
        Section("lifestyle", _("Levevaner"), (*_lifestyle("first"), *_lifestyle("week36")), order=8),
        Section(
            "rhd",
            _("RhD-negativ"),
            (
                Field("consent_fetal_typing", _("Samtykke til RhD-typing av fosteret"), "bool"),
                Field("fetus_rhd_positive_week24", _("Fosteret RhD-positivt (uke 24)"), "choice", YES_NO),
                Field("prophylaxis_week28", _("Anti-D-profylakse gitt (uke 28)"), "bool"),
                Field("anti_d_dose_iu", _("Anti-D, dose"), "int", unit="IE"),
                Field("anti_d_date", _("Anti-D, dato gitt"), "date"),
            ),
            woman_may_edit=False,
            order=9,
        ),
        Section(
            "before",
            _("Før svangerskapet"),
            (
                Field("height_cm", _("Høyde"), "int", unit="cm"),
                Field("weight_kg", _("Vekt før svangerskapet"), "decimal", unit="kg"),
            ),
            order=10,
        ),
        Section(
            "birth_plan",
            _("Fødeplan og søknad om fødested"),
            (
                Field(
                    "plan",
                    _("Fødeplan: dette ønsker jeg for fødselen"),
                    "textarea",
                    help=_("For eksempel smertelindring, hvem som skal være med, og det du er redd for."),
                ),
                Field("birth_unit", _("Fødested jeg søker"), help=_("Fødeavdelingen eller fødestuen du vil føde på.")),
                Field("applied_on", _("Søknaden ble sendt"), "date"),
                Field("application_status", _("Status for søknaden"), "choice", APPLICATION_STATUSES),
            ),
            order=11,
        ),
    )
}

SYMPTOMS = (
    ("nausea", _("Kvalme")),
    ("vomiting", _("Oppkast")),
    ("fatigue", _("Tretthet")),
    ("headache", _("Hodepine")),
    ("visual_disturbance", _("Synsforstyrrelser")),
    ("bleeding", _("Blødning")),
    ("abdominal_pain", _("Magesmerter")),
    ("swelling", _("Hevelser")),
    ("itching", _("Kløe")),
    ("reduced_fetal_movements", _("Mindre liv fra barnet")),
    ("fever", _("Feber")),
    ("contractions", _("Rier eller sammentrekninger")),
    ("early_labour", _("Tegn på for tidlig fødsel")),
    ("convulsions", _("Kramper")),
    # Danger signs of the week texts (advice.DANGER_SIGNS): regular contractions (before week 37), waters
    # breaking, and swelling that comes suddenly in the face or hands (pre-eclampsia), apart from "Hevelser".
    ("regular_contractions", _("Regelmessige rier")),
    ("waters_breaking", _("Vannet har gått")),
    ("sudden_swelling", _("Plutselig hevelse i ansiktet eller hendene")),
    ("heartburn", _("Halsbrann")),
    ("other", _("Annet")),
)
SEVERITIES = (("mild", _("Litt")), ("moderate", _("Middels")), ("severe", _("Mye")))

TESTS = (
    ("hb_t1", _("Hb, 1. trimester"), "g/dL"),
    ("hb_t3", _("Hb, 3. trimester"), "g/dL"),
    ("ferritin", _("Ferritin"), "µg/L"),
    ("hbsag", _("HBsAg"), ""),
    ("anti_hbc", _("Anti-HBc"), ""),
    ("hiv", _("HIV"), ""),
    ("syphilis", _("Syfilis"), ""),
    ("abo_rhd", _("Blodtype (ABO/RhD)"), ""),
    ("antibodies", _("Blodtypeantistoffer"), ""),
    ("rubella", _("Rubella"), ""),
    ("chlamydia", _("Klamydia"), ""),
    ("hepatitis_c", _("Hepatitt C"), ""),
    ("hba1c", _("HbA1c"), "mmol/mol"),
    ("ogtt_fasting", _("Glukosebelastning, fastende"), "mmol/L"),
    ("ogtt_2h", _("Glukosebelastning, 2 timer"), "mmol/L"),
    ("gbs", _("Gruppe B-streptokokker"), ""),
    ("other", _("Annen prøve"), ""),
)
PRESENTATIONS = (
    ("cephalic", _("Hodeleie")),
    ("breech", _("Seteleie")),
    ("transverse", _("Tverrleie")),
    ("unknown", _("Ukjent")),
)
URINE_PROTEIN = (("neg", _("Negativ")), ("trace", _("Spor")), ("1", "+"), ("2", "++"), ("3", "+++"))
# Urine glucose by dipstick, on the protein field's ordinal scale (our choice: the card writes a grade, as for
# protein, not the mmol/L a strip's colours stand for).
URINE_GLUCOSE = URINE_PROTEIN

# --- The series added for issue 16: their choices, as the card writes them ----------------------------------

DELIVERY_MODES = (
    ("vaginal", _("Vaginal fødsel")),
    ("vacuum", _("Vakuum (sugekopp)")),
    ("forceps", _("Tang")),
    ("caesarean", _("Keisersnitt")),
)
ULTRASOUND_KINDS = (
    ("early", _("Tidlig ultralyd (uke 11–14)")),
    ("routine", _("Rutineultralyd (uke 17–19)")),
    ("other", _("Annen ultralyd")),
)
PLACENTA_POSITIONS = (
    ("anterior", _("Fremre vegg")),
    ("posterior", _("Bakre vegg")),
    ("fundal", _("Fundus")),
    ("lateral", _("Sidevegg")),
    ("low", _("Lavtliggende")),
    ("praevia", _("Forliggende (placenta praevia)")),
)
NIPT_RESULTS = (
    ("low", _("Lav sannsynlighet for trisomi 21, 18 og 13")),
    ("t21", _("Økt sannsynlighet for trisomi 21")),
    ("t18", _("Økt sannsynlighet for trisomi 18")),
    ("t13", _("Økt sannsynlighet for trisomi 13")),
    ("no_result", _("Ikke noe svar (ny prøve)")),
)
VACCINES = (
    ("pertussis", _("Kikhoste")),
    ("influenza", _("Influensa")),
    ("covid19", _("Covid-19")),
)
BIRTH_STATUSES = (("live", _("Levendefødt")), ("stillborn", _("Dødfødt")))
DUE_DATE_REASONS = (
    ("assisted_conception", _("Assistert befruktning: regnet fra dato for innsetting")),
    ("new_ultrasound", _("Ny ultralydvurdering")),
    ("other", _("Annet (se merknad)")),
)

# Kartlegging før første svangerskapskontroll: the risk groups for gestational diabetes only she can tell
# (guidance.risk_factors reads them; the card shows her answers read-only).
GDM_RISK_QUESTIONS: tuple[tuple[str, Promise], ...] = (
    ("asian_or_african_background", _("Jeg har familiebakgrunn fra Asia eller Afrika")),
    ("earlier_gdm", _("Jeg har hatt svangerskapsdiabetes før")),
    ("earlier_child_over_4500_g", _("Jeg har født et barn som veide over 4500 gram")),
    ("earlier_shoulder_dystocia", _("Jeg har hatt en fødsel der skulderen til barnet satt fast (skulderdystoci)")),
    ("earlier_pre_eclampsia", _("Jeg har hatt svangerskapsforgiftning (preeklampsi)")),
    ("parent_or_sibling_with_diabetes", _("Mor, far, bror eller søster har diabetes")),
    ("known_impaired_glucose_tolerance", _("Jeg vet at jeg har nedsatt glukosetoleranse")),
)
# The first form's own question groups as definitions, so the FHIR mapping can name each answer too.
FORM_SECTIONS: dict[str, Section] = {
    "risk": Section(
        "risk",
        _("Spørsmål om risiko for svangerskapsdiabetes"),
        tuple(Field(key, label, "bool") for key, label in GDM_RISK_QUESTIONS),
    ),
}


def bmi(height_cm: object, weight_kg: object) -> float | None:
    """Body mass index from the before-pregnancy section, rounded to one decimal; None when not computable."""
    try:
        height, weight = float(str(height_cm)) / 100, float(str(weight_kg))
    except (TypeError, ValueError):
        return None
    if height <= 0 or weight <= 0:
        return None
    return round(weight / (height * height), 1)
