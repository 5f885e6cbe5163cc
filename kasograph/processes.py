"""Worker processes for work that uses every core (reading and validating many documents, validating
a whole store): one way to start them."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` processes, each a fresh interpreter ("spawn"): never a fork of a process that may hold
    threads (the viewer's, an import's loader), whose locks a fork would copy held."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
