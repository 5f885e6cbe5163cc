"""Linked open data: resource descriptions, dumps, and the dataset's VoID/DCAT description."""
