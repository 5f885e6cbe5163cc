"""Records → RDF → validation: the knowledge graph of a document, built and checked.

`iris` gives every thing its IRI, `build` makes a named graph per document, `validate` holds it
to the SHACL shapes and its texts to the source (`fidelity`), `sources` opens whatever a user
points at (nothing, a document folder, a goal table, an RDF file) as a dataset.
"""
