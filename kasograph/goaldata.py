"""One opened body of goal data: the store that answers queries, plus what pages need beside it."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from kasograph.model.build import build_dataset
from kasograph.model.iris import Iris
from kasograph.model.sources import bundled_documents, is_table_source
from kasograph.namespaces import DEFAULT_BASE
from kasograph.query.explore import Explorer, FactCache
from kasograph.source.records import Document
from kasograph.source.table import read_document
from kasograph.store.engine import GoalStore, load_rdf_store
from kasograph.store.interface import DocumentStore, open_store
from kasograph.store.revisions import link_revisions
from kasograph.version import __version__


class GoalData:
    """The store, the documents' verbatim source texts and a search index, for one IRI base."""

    def __init__(self, store: GoalStore, base: str = DEFAULT_BASE, source_texts: dict[str, str] | None = None,
                 directory: DocumentStore | None = None, generation: str | None = None, version: str | None = None):
        self.store = store
        #: Names this state of the data for every process that serves it (None: it has no such name), for
        #: HTTP validators: a store generation by its manifest, a remote store by its catalogue version.
        self.version = version
        self.base = base
        self.source_texts = source_texts or {}
        self.directory = directory  # the store directory (or remote store) this was opened from, if any
        self.generation = generation  # its generation, or a remote store's catalogue version
        self.facts = FactCache()  # what pages link to, read once per version of the data
        self._homes: dict[str, object] = {}  # the home page's record by language, made once per version of the data

    @classmethod
    def from_directory(cls, directory: DocumentStore, base: str = DEFAULT_BASE) -> "GoalData":
        """What a store holds now: a store directory's current generation, read-only, or a server's data."""
        snapshot = directory.snapshot()
        return cls(snapshot.store, base, snapshot.source_texts, directory, snapshot.generation, snapshot.version)

    def is_current(self) -> bool:
        """False when an import has published a newer generation of the store directory since this was opened
        (for a remote store: changed its catalogue; one small query)."""
        return self.directory is None or self.directory.current() in (None, self.generation)

    def fresh(self) -> "GoalData":
        """This data, or the store directory's newer generation if an import published one since."""
        return self if self.is_current() else GoalData.from_directory(self.directory, self.base)

    @classmethod
    def open(cls, source: Path | None = None, base: str = DEFAULT_BASE, store: str | Path | None = None) -> "GoalData":
        """A document folder or table, or an RDF file (`source`); else the store (`store`: a store directory,
        a SPARQL server's URL or a settings file naming one; or the default) if anything was imported into it
        (a remote store is always used); else the bundled documents."""
        if source is None:
            directory = open_store(store, base)
            if directory.exists():
                return cls.from_directory(directory, base)
        if source is not None and not is_table_source(Path(source)):
            return cls(load_rdf_store(Path(source)), base)
        if source is None:
            data = cls.from_documents(bundled_documents(), base)
            data.version = f"bundled-{__version__}"  # the bundled tables change only with kasograph
            return data
        return cls.from_documents([read_document(Path(source))], base)

    @classmethod
    def from_documents(cls, documents: list[Document], base: str = DEFAULT_BASE) -> "GoalData":
        texts = {str(Iris.for_document(d.info, base).source_text()): d.source_text for d in documents if d.source_text}
        store = GoalStore.from_dataset(build_dataset(documents, base))
        series: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for d in documents:
            series.setdefault((d.info.city, d.info.division), []).append((d.info.year, str(Iris.for_document(d.info, base).graph())))
        for members in series.values():
            if len(members) > 1:  # goals carried over from year to year are linked, as on import
                link_revisions(store.store, members)
        return cls(store, base, texts)

    def answer_cache(self, **limits):
        """Where answers to slow queries are kept for this data (kasograph.query.answers): beside the generation
        of a store directory, in memory for data opened from files; None for a remote store, whose data
        may change without kasograph knowing."""
        from kasograph.query.answers import AnswerCache

        if self.directory is None or not self.generation:
            return AnswerCache(None, **limits)
        folder = self.directory.kept_answers_path(self.generation)
        return AnswerCache(folder, **limits) if folder is not None else None

    def query_pool(self, *, workers: int, timeout: float, max_result_bytes: int | None, allowed_services: tuple[str, ...],
                   answers=None):
        """What visitors' queries run on: kasograph's sealed worker processes, or the store's own server."""
        if self.directory is not None and self.directory.server is not None:
            from kasograph.query.forwarding import RemoteQueryPool

            return RemoteQueryPool(self.store, timeout=timeout, max_result_bytes=max_result_bytes,
                                   allowed_services=allowed_services)
        from kasograph.query.sparql import QueryPool

        return QueryPool(self.store, workers=workers, timeout=timeout, max_result_bytes=max_result_bytes,
                         answers=answers, allowed_services=allowed_services)

    def keep_answers(self, *, workers: int = 2, min_seconds: float | None = None) -> dict[str, float] | None:
        """Answer every saved question now, on `workers` processes at once, and keep the slow answers beside
        the generation (kasograph.query.answers), so that the first visitor after an import waits no longer
        than the hundredth; the seconds each took. None where no answers are kept (a remote store, data
        opened from files)."""
        from concurrent.futures import ThreadPoolExecutor

        from kasograph.query import saved
        from kasograph.query.answers import MIN_SECONDS, WARM_TIMEOUT, warm

        answers = self.answer_cache(min_seconds=MIN_SECONDS if min_seconds is None else min_seconds)
        if answers is None or answers.folder is None:
            return None
        pool = self.query_pool(workers=workers, timeout=WARM_TIMEOUT, max_result_bytes=None, allowed_services=(), answers=answers)
        questions = list(saved.catalogue().values())
        try:
            with ThreadPoolExecutor(workers) as threads:  # each thread asks its share, one question at a time
                shares = threads.map(lambda i: warm(pool.run, questions[i::workers]), range(workers))
                return {name: seconds for share in shares for name, seconds in share.items()}
        finally:
            pool.close()

    def explorer(self, lang: str = "fi") -> Explorer:
        return Explorer(self.store, lang, self.facts)

    def home(self, lang: str = "fi"):
        """The home page's record (Explorer.home), made once per language: it reads the whole store."""
        if lang not in self._homes:
            self._homes[lang] = self.explorer(lang).home()
        return self._homes[lang]

    @cached_property
    def search_index(self):
        from kasograph.query.search import SearchIndex

        return SearchIndex(self.store)

    @cached_property
    def _source_texts_paths(self) -> frozenset[str]:
        from kasograph.model.iris import local_path

        return frozenset(local_path(iri, self.base) for iri in self.source_texts)

    def source_texts_paths(self) -> frozenset[str]:
        """Viewer paths of the documents' verbatim texts (every link on a page asks: computed once)."""
        return self._source_texts_paths

    def source_text_at(self, path: str) -> str:
        return self.source_texts[self.base + path]

    def query(self, sparql: str, **params):
        """SELECT rows as dicts of plain Python values (see GoalStore.select)."""
        return self.store.select(sparql, params=params or None)
