"""The store: the engine that answers SPARQL, where it lives, and how documents get into it.

`engine` is the Oxigraph store (the union of the documents as its default graph), `directory` a
store on disk with generations published atomically, `remote` a SPARQL server as the store,
`importer` imports and removes documents all or nothing.
"""
