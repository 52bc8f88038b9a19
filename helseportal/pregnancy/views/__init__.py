"""The card's pages, one module per audience: woman.py (her own pages), card.py (the sections and the first
form, shared by her and health personnel), practitioner.py (worklist and clinical forms), export.py (PDF)."""
