"""Synthetic demo data: the personas every test, page and benchmark talks about."""
