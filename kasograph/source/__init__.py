"""Table → records: the goal tables as stewards keep them (Excel or CSV), read into plain records.

`spreadsheet` reads cells safely, `table` reads goals from them (errors name file, sheet, row,
column, cell), `names` splits responsible parties, `records` are what the next stage builds on,
`template` writes an empty table to fill in.
"""
