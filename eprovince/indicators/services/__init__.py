"""Every write of the indicators app: the catalogue (catalogue.py), rounds and submissions (rounds.py), values
(values.py) and composite indices (indices.py). Keyword-only, in a transaction, audited in it; `acting_user=None`
is the system (demo loader, commands)."""
