"""Fastlegetjenester (issue 12 items 2, 6, 7) at /fastlegetjenester/: her GP office and what it offers on the portal.

The office is the one the GP register names for her today (`organisations.gp_register`); what it offers is the
service catalogue's (`offerings`): booking and flu vaccination (a Timeønske in Timeavtaler), renewal (Legemidler's
«Be om fornyelse»), e-consultation (a form on the forms engine whose answer comes in Meldinger: `survey.py`) and
«Kontakt legekontoret» (a thread in Meldinger). A service the office has not turned on is not reachable (404).
Who may use each is asked of `access` in the service's own area (docs/service-catalogue.md).
"""
