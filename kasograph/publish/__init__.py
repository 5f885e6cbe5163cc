"""Linked open data: resource descriptions, dumps, the dataset's VoID/DCAT description, and the SPARQL service description."""
