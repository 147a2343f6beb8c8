"""The MkDocs front end: a thin adapter over the framework-free core."""
