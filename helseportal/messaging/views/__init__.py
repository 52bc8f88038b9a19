"""Meldinger's thin views: the citizen's (citizen.py) and the unit staff's (staff.py)."""
