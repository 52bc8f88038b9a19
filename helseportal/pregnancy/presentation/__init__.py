"""The card as pages and paper show it: rows, values, links and charts from a loaded `queries.Card`.

One place for what her pages, the practitioner's pages and the PDF all display, so they cannot disagree.
Nothing here reads the database beyond what the Card already holds (and the unit names it names).

- `card`: the card as rows, with the links each viewer may follow (`card_context`, `her_links`, `CardLinks`);
- `own`: what she registered herself (home measurements, symptoms, the form she sent);
- `fields`: the fields added in issue 16, as blocks after the section they belong to;
- `readings`: blood pressure and weight from home and from consultations, and the history charts;
- `values`: a stored value as the card writes it.
"""
