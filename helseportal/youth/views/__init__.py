"""The youth pages: her own pages (pages.py) and the public finder of youth health stations (find.py)."""
