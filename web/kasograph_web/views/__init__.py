"""One module per kind of page: each returns (template name, context) for the app to render."""
