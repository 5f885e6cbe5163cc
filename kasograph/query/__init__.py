"""Asking the store: analysts' SPARQL made safe, saved questions, search, and what pages show.

`sparql` checks a query (reading it with kasograph.lexer) and runs it in worker processes
(`sealing` keeps them off the network; `forwarding` sends it to a remote store's server instead), `answers` keeps slow answers per generation, `saved` the
saved questions (`queries/*.rq`), `search` finds things by Finnish words, `explore` reads each
page's facts, `stats` counts what a store holds; `syntax` says a query's syntax error in plain words at
its line and column, `completion` what the query editor completes.
"""
