"""The IRIs of one document's resources: slash IRIs under a configurable base.

The same source row always yields the same IRI: goals are keyed by the
document and the row's key, parties by the city (and division) and their
normalised name, so the same person in two documents is one node.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from kasograph.namespaces import KG, ONTOLOGY_IRI, SHAPES_IRI
from kasograph.source.names import slug
from kasograph.source.records import DocumentInfo
from kasograph.vocabulary import status_names

_ENTITY_PATHS = {
    "organisation": "org",
    "network": "org",
    "school": "org",
    "working-group": "org",
    "unit": "org",
    "project": "project",
    "programme": "project",
    "system": "system",
    "survey": "survey",
}


@dataclass(frozen=True)
class Iris:
    base: str
    document_id: str
    city: str
    division: str

    @classmethod
    def for_document(cls, info: DocumentInfo, base: str) -> "Iris":
        if not base.endswith(("/", "#")):
            base += "/"
        return cls(base, info.id, slug(info.city), slug(info.division_abbreviation or info.division))

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    # the document and what describes it
    def document(self) -> URIRef:
        return self._iri(f"document/{self.document_id}")

    def source_text(self) -> URIRef:
        return self._iri(f"document/{self.document_id}/source.txt")

    def graph(self) -> URIRef:
        return self._iri(f"graph/{self.document_id}")

    def dataset(self) -> URIRef:
        return self._iri(f"dataset/{self.document_id}")

    def numbers_dataset(self) -> URIRef:
        return self._iri(f"dataset/{self.document_id}/numbers")

    def publisher(self, name: str) -> URIRef:
        return self._iri(f"agent/{slug(name)}")

    # the goals and what they state
    def goal(self, key: str) -> URIRef:
        return self._iri(f"goal/{self.document_id}/{key}")

    def number(self, goal_key: str, n: int) -> URIRef:
        return self._iri(f"number/{self.document_id}/{goal_key}/{n}")

    def measure(self, key: str) -> URIRef:
        return self._iri(f"measure/{self.document_id}/{key}")

    # the organisation and its people
    def city_org(self) -> URIRef:
        return self._iri(f"org/{self.city}")

    def place(self) -> URIRef:
        return self._iri(f"place/{self.city}")

    def division_org(self) -> URIRef:
        return self._iri(f"org/{self.city}/{self.division}")

    def person(self, name: str) -> URIRef:
        return self._iri(f"person/{self.city}/{slug(name)}")

    def post(self, name: str) -> URIRef:
        return self._iri(f"post/{self.city}/{self.division}/{slug(name)}")

    def role(self, name: str) -> URIRef:
        return self._iri(f"role/{slug(name)}")

    def group(self, name: str) -> URIRef:
        return self._iri(f"group/{self.city}/{self.division}/{slug(name)}")

    def theme_scheme(self) -> URIRef:
        return self._iri(f"theme/{self.city}")

    def theme(self, label: str) -> URIRef:
        return self._iri(f"theme/{self.city}/{slug(label)}")

    def entity(self, kind: str, name: str) -> URIRef:
        return self._iri(f"{_ENTITY_PATHS.get(kind, 'entity')}/{slug(name)}")


def local_path(iri: str, base: str) -> str | None:
    """The viewer path of an IRI ('goal/x'), or None for IRIs the viewer does not serve."""
    if iri.startswith(base) and len(iri) > len(base):
        return iri[len(base):]
    if iri.startswith(str(KG)):
        name = iri[len(str(KG)):]
        return f"status/{name}" if name in status_names() else f"def#{name}"
    if iri == ONTOLOGY_IRI:
        return "def"
    if iri == SHAPES_IRI:
        return "shapes"
    return None


def path_iri(path: str, base: str) -> str:
    """The IRI a viewer path names, `local_path` the other way: `status/X` is the vocabulary's status X
    (for a status the vocabulary has), anything else is under the base."""
    if path.startswith("status/") and path[len("status/"):] in status_names():
        return str(KG) + path[len("status/"):]
    return base + path
