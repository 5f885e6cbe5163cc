"""Who carries what, and what changed: graphs and analytics over the store, document comparison.

`graphs` builds the responsibility, collaboration and organisation graphs (networkx), `analytics`
and `report` measure them, `exports` writes them out (GraphML, GEXF, …), `compare` pairs two
documents' goals, `reconcile` lists names that may be one party.
"""
