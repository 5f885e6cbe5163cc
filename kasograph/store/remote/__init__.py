"""A remote SPARQL 1.1 server as kasograph's store: the viewer, the endpoint and every command on it.

`--store http://host:port` (or `$KASOGRAPH_STORE`, or a TOML file naming the URLs)
points kasograph at a SPARQL server instead of a store directory. What the local
store does in-process is done here over HTTP:

* queries go through the SPARQL 1.1 Protocol (a form POST); the answers are parsed
  by pyoxigraph, so every caller gets the same result objects as from the
  embedded store (`RemoteGoalStore` has `GoalStore`'s interface);
* an import writes the document's graph with the Graph Store Protocol (one PUT of
  N-Triples) and then one SPARQL update (`application/sparql-update`) puts it in place; kasograph keeps the
  default graph as the union of the documents' graphs itself, each triple once
  (as the local store does), because servers' built-in union options differ
  (Oxigraph's repeats a triple once per graph that holds it);
* the document list lives in the store, as RDF in a catalogue graph
  (`{base}graph/catalogue`): per document, its dataset IRI with its id, title,
  year, triples, when and from what it was imported, and the verbatim source text.

Atomicity. A server gives no generations, so the writes are ordered to make a
failed import leave the old documents: every table is read, built and validated
first; then, a chunk of documents at a time (`chunk_bytes` of N-Triples), each
document's graph is PUT into a *staging* graph (`{base}graph/staging/{id}/…`), a new
document's too, which nothing reads as data; and one SPARQL update marks the chunk's
graphs pending in the catalogue, changes each graph and the union by what differs
(a quad deleted and inserted again in one update is lost when Virtuoso 7 recovers
from a kill), relinks the divisions' years (`prov:wasRevisionOf`), writes the
catalogue entries and takes the mark out. Oxigraph runs the update as one
transaction; Virtuoso undoes it whole when killed but keeps the operations before
one that fails, which leaves the mark: `writes.repair`, at the start of the next
import or removal, drops what staging graphs are left and takes the marked documents
out (they may be half old, half new). Chunks before a failed one stay stored. The
window: between the PUTs and the update, staging graphs are visible to queries that
range over all graphs (`GRAPH ?g`). There is no lock across machines: run one
import at a time.
"""


from kasograph.store.remote.connector import RemoteError, RemoteTimeout
from kasograph.store.remote.settings import RemoteSettings, is_remote_location
from kasograph.store.remote.store import RemoteGoalStore, RemoteStore, open_remote, with_prefixes

__all__ = ["RemoteError", "RemoteGoalStore", "RemoteSettings", "RemoteStore", "RemoteTimeout", "is_remote_location",
           "open_remote", "with_prefixes"]
