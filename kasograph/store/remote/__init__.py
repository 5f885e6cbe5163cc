"""A remote SPARQL 1.1 server as kasograph's store: the viewer, the endpoint and every command on it.

`--store http://host:port` (or `$KASOGRAPH_STORE`, or a TOML file naming the URLs)
points kasograph at a SPARQL server instead of a store directory. What the local
store does in-process is done here over HTTP:

* queries go through the SPARQL 1.1 Protocol (a form POST); the answers are parsed
  by pyoxigraph, so every caller gets the same result objects as from the
  embedded store (`RemoteGoalStore` has `GoalStore`'s interface);
* an import writes the document's graph with the Graph Store Protocol (one PUT of
  N-Triples) and then one SPARQL update puts it in place; kasograph keeps the
  default graph as the union of the documents' graphs itself, each triple once
  (as the local store does), because servers' built-in union options differ
  (Oxigraph's repeats a triple once per graph that holds it);
* the document list lives in the store, as RDF in a catalogue graph
  (`{base}graph/catalogue`): per document, its dataset IRI with its id, title,
  year, triples, when and from what it was imported, and the verbatim source text.

Atomicity. A server gives no generations, so the writes are ordered to make a
failed import leave the old documents: every table is read, built and validated
first; then, a chunk of documents at a time (about 16 MB of N-Triples), each
document's graph is PUT — a new document's straight into its graph, a new version
of a stored one into a *staging* graph (`{base}graph/staging/{id}/…`), which
nothing reads as data — and one SPARQL update (one transaction on Oxigraph, whose
updates are atomic) takes the old versions' triples out of the union, swaps the
staged graphs in, adds the documents' triples to the union, relinks the divisions'
years (`prov:wasRevisionOf`) and writes the catalogue entries. A failure before a
chunk's update leaves the store as that chunk found it (the graphs it PUT are
dropped on the way out; a new document's graph is not in the union nor in the
catalogue until the update); chunks before it stay stored, so an import of many
documents that fails midway is run again (documents already stored are
replaced). A server that does not run an update as one transaction could stop
midway, and the import must then be run again. The window: between the PUT and
the update the graphs PUT are visible to queries that name graphs (`GRAPH ?g`).
There is no lock across machines: run one import at a time.
"""


from kasograph.store.remote.connector import RemoteError, RemoteTimeout
from kasograph.store.remote.settings import RemoteSettings, is_remote_location
from kasograph.store.remote.store import RemoteGoalStore, RemoteStore, open_remote, with_prefixes

__all__ = ["RemoteError", "RemoteGoalStore", "RemoteSettings", "RemoteStore", "RemoteTimeout", "is_remote_location",
           "open_remote", "with_prefixes"]
