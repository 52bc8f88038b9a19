"""The usage statistics' operator and population for the demo (issue 13): doctor Tone is made an operator (as
`helseportal stats operator grant` would), and the demo municipalities' population is imported from the demo's
file, which is synthetic and says so (stats/data/population-demo.csv). The counters come from the public page's demo."""

from django.db import transaction

from helseportal.demo import personas
from helseportal.stats import operators, population
from helseportal.stats.models import Operator


@transaction.atomic
def load_operators() -> int:
    """Grant the demo operators (once: a second run changes nothing) and import the population; how many granted."""
    granted = 0
    for persona in personas.OPERATORS:
        if not Operator.objects.filter(hpr_number=persona.hpr_number, active=True).exists():
            operators.grant(persona.hpr_number)
            granted += 1
    population.import_file(population.DEMO_FILE)
    return granted
