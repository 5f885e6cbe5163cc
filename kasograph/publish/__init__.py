"""Linked open data: `dumps` (every whole-dataset serialisation, byte-identical for the same data),
`jsonld` (JSON-LD compacted with kasograph's prefixes), `linked_data` (the VoID/DCAT description of the
publication and the IRIs it mints), `publication` (what the description's pages show, read from it),
and `service_description` (the SPARQL endpoint's)."""
