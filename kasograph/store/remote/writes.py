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
from kasograph.store.remote.connector import RemoteError
from kasograph.store.revisions import relinked, states_in, unlink_update


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
            documents, replaced, repaired = _store(remote, intake.prepared, spool, say)
        finally:
            spool.close()
    warnings = intake.warnings()
    if repaired:
        warnings.append((remote.path, Problem(remote.path, f"an earlier import stopped halfway through storing {', '.join(repaired)}: "
                                "taken out of the store (import them again)",
                                f"aiempi tuonti keskeytyi tallentaessaan asiakirjoja {', '.join(repaired)}: ne poistettiin "
                                "(tuo ne uudelleen)")))
    return Stored(documents, replaced, warnings)


def _store(remote, prepared: list[Prepared], spool: Spool, say: Progress) -> tuple[list[StoredDocument], list[str], list[str]]:
    """Each document's graph PUT into a staging graph — a new document's too, so that nothing lands under its
    final name before the update — then one update per chunk swaps them in, relinks the years and writes
    their catalogue entries. What an import killed midway left in staging graphs is dropped first."""
    remote.check_writable()
    repaired = repair(remote)
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
    chunks = _chunks(prepared, lambda p: spool.graphs[p.graph][1], remote.settings.chunk_bytes, remote.settings.chunk_documents)
    in_batch = {p.graph for p in prepared}
    for index, chunk in enumerate(chunks):
        later = ({graph: pairs for graph, pairs in links.items() if graph not in in_batch}
                 if index == len(chunks) - 1 else {})  # the stored years next to the imported ones, once all are in
        _send_chunk(remote, chunk, manifest, lambda p: spool.ntriples(p.graph),
                    {p.graph: links[p.graph] for p in chunk if p.graph in links} | later, vocabulary=index == 0)
    return [manifest.documents[p.info.id] for p in prepared], [p.info.id for p in prepared if p.replaced], repaired


def _chunks(prepared: list[Prepared], size_of, limit: int, documents: int) -> list[list[Prepared]]:
    """Documents in chunks of at most `limit` bytes of N-Triples (a document larger than that alone) and at
    most `documents` documents."""
    chunks, chunk, size = [], [], 0
    for p in prepared:
        if chunk and (size + size_of(p) > limit or len(chunk) >= documents):
            chunks.append(chunk)
            chunk, size = [], 0
        chunk.append(p)
        size += size_of(p)
        if size >= limit:
            chunks.append(chunk)
            chunk, size = [], 0
    return chunks + [chunk] if chunk else chunks


def _send_chunk(remote, chunk: list[Prepared], manifest: Manifest, ntriples, links: dict, *, vocabulary: bool) -> None:
    """PUT the chunk's graphs, then one update puts them in place; a failure drops what was PUT."""
    staged: list[str] = []
    try:
        operations = [remote.mark_pending([p.graph for p in chunk] + ([VOCABULARY_GRAPH] if vocabulary else []))]
        if vocabulary:
            staged.append(remote.staging(chunk[0].info.id, "vocabulary"))
            remote.put_graph(staged[-1], vocabulary_ntriples().decode("utf-8"))
            operations += remote.swap_in(VOCABULARY_GRAPH, staged[-1])
        for p in chunk:
            staged.append(remote.staging(p.info.id, "document"))
            remote.put_graph(staged[-1], ntriples(p).decode("utf-8"))
            operations += remote.swap_in(p.graph, staged[-1], new=p.replaced is None)
        operations += remote.relink(links, frozenset(p.graph for p in chunk if p.replaced is None))
        for p in chunk:
            operations += remote.catalogue_entry(manifest.documents[p.info.id], p.info.id, p.dataset_iri, p.source_text,
                                                 new=p.replaced is None)
        try:
            remote.update(" ;\n".join(operations + [remote.unmark_pending()]))
        except RemoteError as error:
            if len(chunk) > 1 and error.status is not None and error.status != 503:
                raise RemoteError(remote.settings.location, f"{error.problems[0].message}\n(the update stored {len(chunk)} "
                                  "documents at once: if the server limits an update's size or work, lower chunk_documents or "
                                  "chunk_bytes in the store settings)", error.status) from None
            raise
    except BaseException:
        remote.drop_quietly(staged)
        raise


def _stored_states(remote, graph: str):
    return states_in(remote.graph_ntriples(graph), graph)


def remove(remote, document_id: str) -> StoredDocument:
    """Take a document's graph, its triples in the union and its catalogue entry out, in one update."""
    remote.check_writable()
    repair(remote)
    manifest = remote.manifest()
    if document_id not in manifest.documents:
        raise unknown_document(remote.path, document_id, manifest)
    stored = manifest.documents.pop(document_id)
    links = relinked(lambda graph: _stored_states(remote, graph), manifest, {(stored.city, stored.division, stored.year)})
    operations = [remote.mark_pending([stored.graph]), unlink_update(stored.graph, remote.union_graph)]
    operations += remote.take_out(stored.graph) + remote.relink(links) + remote.catalogue_entry(None, document_id, None, None)
    remote.update(" ;\n".join(operations + [remote.unmark_pending()]))
    return stored


def repair(remote) -> list[str]:
    """Clear what an import or removal that stopped midway left: its staging graphs (a kill during the PUTs);
    and, where an update stopped between its operations (only on a server that does not run it as one
    transaction: its mark is still there), the documents it was storing, which may be half old and half new:
    they are taken out, their years relinked, and the union made again from the documents listed. Returns
    the ids of the documents taken out."""
    operations = [f"DROP SILENT GRAPH <{g}>" for g in remote.staged_graphs()]
    pending = set(remote.pending_graphs())
    broken: list[StoredDocument] = []
    if pending:
        manifest = remote.manifest()
        broken = [d for d in manifest.documents.values() if d.graph in pending]
        for stored in broken:
            del manifest.documents[stored.id]
        links = relinked(lambda graph: _stored_states(remote, graph), manifest, {(d.city, d.division, d.year) for d in broken})
        operations += [f"DROP SILENT GRAPH <{g}>" for g in sorted(pending - {VOCABULARY_GRAPH})]
        for stored in broken:
            operations += remote.catalogue_entry(None, stored.id, None, None)
        operations += remote.relink(links)
        listed = sorted(d.graph for d in manifest.documents.values())
        operations += remote.rebuild_union(listed + ([VOCABULARY_GRAPH] if listed else [])) + [remote.unmark_pending()]
    if operations:
        remote.update(" ;\n".join(operations))
    return sorted(d.id for d in broken)
