"""Imports and removals on a SPARQL server, in the order the package's docstring gives.

`remote` is a kasograph.store.remote.store.RemoteStore; these are its `store_documents` and `remove`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kasograph.errors import InputError, Problem
from kasograph.namespaces import VOCABULARY_GRAPH
from kasograph.store.batch import (
    Intake,
    Outcomes,
    Prepared,
    Progress,
    Spool,
    Stored,
    unknown_document,
    vocabulary_ntriples,
    year_links,
)
from kasograph.store.manifest import Manifest, StoredDocument
from kasograph.store.revisions import relinked, states_in, unlink_update

#: An import sends this much N-Triples at most before one update puts those documents in place.
IMPORT_CHUNK_BYTES = 16 * 1024 * 1024
#: About the bytes of a triple in N-Triples, to cut chunks before the graphs are read back.
BYTES_PER_TRIPLE = 150


def store_documents(remote, outcomes: Outcomes, total: int, say: Progress) -> Stored:
    """Everything is read, built and validated first (spooled to a file meanwhile), then stored a chunk
    of documents at a time; if any document failed, nothing is sent (ImportFailed)."""
    intake = Intake(total)
    with tempfile.TemporaryDirectory(prefix="kasograph-import-") as folder:
        spool = Spool(Path(folder) / "graphs.nq")
        try:
            for p in intake.take(outcomes):
                spool.add(p.graph, p.ntriples)
                p.ntriples = b""
            intake.check()
            documents, replaced = _store(remote, intake.prepared, lambda p: spool.ntriples(p.graph), say)
        finally:
            spool.close()
    return Stored(documents, replaced, intake.warnings())


def _store(remote, prepared: list[Prepared], ntriples, say: Progress) -> tuple[list[StoredDocument], list[str]]:
    """Each document's graph PUT into a staging graph (a new one straight into its own), then one update
    per chunk swaps them in, relinks the years and writes their catalogue entries."""
    remote.check_writable()
    for p in prepared:
        if p.info.id == "catalogue":
            raise InputError([Problem(str(p.source_name), "a document may not be called 'catalogue' in a remote store: "
                                      "that name is the catalogue's graph (give --id)",
                                      "etätietovarastossa asiakirjan tunnus ei voi olla 'catalogue' (anna --id)")])
    say("storing")
    manifest = remote.manifest()  # once: it grows with the store
    for p in prepared:
        p.replaced = manifest.documents.get(p.info.id)
        manifest.documents[p.info.id] = p.entry()
    links = year_links(lambda graph: _stored_states(remote, graph), prepared, manifest)
    chunks = _chunks(prepared)
    in_batch = {p.graph for p in prepared}
    for index, chunk in enumerate(chunks):
        later = ({graph: pairs for graph, pairs in links.items() if graph not in in_batch}
                 if index == len(chunks) - 1 else {})  # the stored years next to the imported ones, once all are in
        _send_chunk(remote, chunk, manifest, ntriples, {p.graph: links[p.graph] for p in chunk if p.graph in links} | later,
                    vocabulary=index == 0)
    return [manifest.documents[p.info.id] for p in prepared], [p.info.id for p in prepared if p.replaced]


def _chunks(prepared: list[Prepared]) -> list[list[Prepared]]:
    chunks, chunk, size = [], [], 0
    for p in prepared:
        chunk.append(p)
        size += p.triples * BYTES_PER_TRIPLE
        if size >= IMPORT_CHUNK_BYTES:
            chunks.append(chunk)
            chunk, size = [], 0
    return chunks + [chunk] if chunk else chunks


def _send_chunk(remote, chunk: list[Prepared], manifest: Manifest, ntriples, links: dict, *, vocabulary: bool) -> None:
    """PUT the chunk's graphs, then one update puts them in place; a failure drops what was PUT."""
    staged: list[str] = []
    try:
        operations = []
        if vocabulary:
            staged.append(remote.staging(chunk[0].info.id, "vocabulary"))
            remote.put_graph(staged[-1], vocabulary_ntriples().decode("utf-8"))
            operations += remote.swap_in(VOCABULARY_GRAPH, staged[-1])
        for p in chunk:
            if p.replaced is None:  # a new document goes straight to its graph; the update adds it to the union
                staged.append(p.graph)
                remote.put_graph(p.graph, ntriples(p).decode("utf-8"))
                operations.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{p.graph}> {{ ?s ?p ?o }} }}")
                continue
            staged.append(remote.staging(p.info.id, "document"))
            remote.put_graph(staged[-1], ntriples(p).decode("utf-8"))
            operations += remote.swap_in(p.graph, staged[-1])
        operations += remote.relink(links)
        for p in chunk:
            operations += remote.catalogue_entry(manifest.documents[p.info.id], p.info.id, p.dataset_iri, p.source_text)
        remote.update(" ;\n".join(operations))
    except BaseException:
        remote.drop_quietly(staged)
        raise


def _stored_states(remote, graph: str):
    return states_in(remote.graph_ntriples(graph), graph)


def remove(remote, document_id: str) -> StoredDocument:
    """Take a document's graph, its triples in the union and its catalogue entry out, in one update."""
    remote.check_writable()
    manifest = remote.manifest()
    if document_id not in manifest.documents:
        raise unknown_document(remote.path, document_id, manifest)
    stored = manifest.documents.pop(document_id)
    links = relinked(lambda graph: _stored_states(remote, graph), manifest, {(stored.city, stored.division, stored.year)})
    operations = [unlink_update(stored.graph)]
    operations += remote.take_out(stored.graph) + remote.relink(links) + remote.catalogue_entry(None, document_id, None, None)
    remote.update(" ;\n".join(operations))
    return stored
