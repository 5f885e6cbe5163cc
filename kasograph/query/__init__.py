"""Asking the store: analysts' SPARQL made safe, saved questions, search, and what pages show.

`lexer` reads a query by SPARQL's terminals, `sparql` checks it and runs it in worker processes
(`sealing` keeps them off the network), `answers` keeps slow answers per generation, `saved` the
saved questions (`queries/*.rq`), `search` finds things by Finnish words, `explore` reads each
page's facts, `stats` counts what a store holds.
"""
