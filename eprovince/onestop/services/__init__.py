"""Every write of the one-stop shop: the catalogue (catalogue.py) and dossiers (dossiers.py)."""
