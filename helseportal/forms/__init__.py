"""Skjema (issue 17): a forms engine on FHIR R4 Questionnaire. Units' forms are imported as Questionnaire JSON
(`definition.load` refuses, in Norwegian, anything it cannot render, so a form is never half-rendered), filled in
by citizens step by step on server-rendered pages, and sent as a QuestionnaireResponse to the unit.

- `definition`: the Questionnaire read and checked (item types group, display, boolean, decimal, integer, date,
  dateTime, time, string, text, choice, open-choice, attachment, quantity; `required`, `repeats` (on groups too: one
  instance per filling-in, bounded by minOccurs/maxOccurs), `readOnly`, `maxLength`, `enableWhen`/`enableBehavior`,
  `initial`/`initialSelected`, the minValue/maxValue extensions (also a calculated one, `cqf-calculatedValue` such
  as `today()`, on the portal's clock), help texts (display items with itemControl `help`), nb/nn/en by the
  translation extension, options from `answerOption` or a contained ValueSet that lists its codes).
- `logic`: pure rules on answers (answer elements as in a QuestionnaireResponse): which items are enabled
  (evaluated on the server on every step; a condition on a disabled question sees no answer; `!=` holds when no
  answer equals, also when there is none), calculated values, the triage outcome, the response built from the
  answers of enabled items only, and `mismatches` (our own check that a response fits its form).
- `forms`: a step as a Django form; `views`/`urls`: /skjemaer/ (the steps, the summary, the receipt, her list);
  `services`: import, a step saved (the draft), sending; `queries`: what she is offered and may read; `fhir`: the
  responses as `QuestionnaireResponse/form-<id>` (a source added to pregnancy's type) and `Questionnaire`.
- `publishing` (a unit's editors upload, preview, send to approval, retire; the operator approves or refuses in
  `admin`), `checklist` (the operator's automatic checks), `inbox` (the receiving unit's staff: the responses sent
  to it), `pdf` (a sent response as PDF), `staff_views` (/helsepersonell/skjemaer/ and the PDF routes).
- A domain's own form (the pregnancy card's survey, `data/svangerskap_kartlegging.json`): the domain registers its
  canonical URL with `fhir.questionnaires` (open to whom, and what to do on sending: the answers into the card);
  the engine asks there and never imports the domain. docs/forms.md, "The pregnancy survey".

Each top-level group is a step (a run of top-level items that are not groups makes a step of its own). Every step
saves the draft; "Tilbake" saves what is valid; an answer that opens a question on the same step shows the step
again. Who fills a form in is the actor for the subject as `access.policy` decides for the form's area: a school
health service's or youth health station's forms are in the youth area (hidden from parents, as in the youth
pages); other units' forms in the messages area (a form to a unit is a message with structure; our reading).

Scores: SDC `calculatedExpression` (FHIRPath, `text/fhirpath`) on an item makes it read-only; it is evaluated with
fhirpathpy over the response so far (`%resource`; `%questionnaire` is the form) after every step and on sending.

Triage, our own extension on the Questionnaire (URL `urn:helseportal:forms:triage`), ordered rules, the first
that holds wins:

    {"url": "urn:helseportal:forms:triage", "extension": [
      {"url": "rule", "extension": [
        {"url": "condition", "valueExpression": {"language": "text/fhirpath", "expression": "<a boolean>"}},
        {"url": "priority", "valueCode": "routine | urgent | asap | stat"},
        {"url": "advice", "extension": [{"url": "lang", "valueCode": "nb"}, {"url": "content", "valueString": "…"}]},
        {"url": "advice", "extension": [{"url": "lang", "valueCode": "nn"}, {"url": "content", "valueString": "…"}]}
      ]},
      {"url": "rule", "extension": [{"url": "priority", "valueCode": "routine"}, …]}   (no condition: always)
    ]}

The priority is a code of http://hl7.org/fhir/request-priority; it is shown to staff and put on the response as
the extension `urn:helseportal:forms:triage-outcome` (valueCoding). The advice is the unit's own text, shown to
the citizen on the receipt in her language (an Extension cannot carry both a value and the translation extension,
so each language is an `advice` of its own). The receiving unit is named on the response by the extension
`urn:helseportal:forms:recipient` (an Organization reference by organisasjonsnummer). docs/forms.md says the same
for unit editors and integrators.
"""
