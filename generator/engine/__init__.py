"""The site builder: everything that knows MkDocs and Material for MkDocs lives here.

The core (models, reader, compute, dossier, pdf, privacy…) is plain Python; this
package turns its pages into a site with MkDocs, and hands each page's rendered
content back for print. Moving to another builder (Zensical) means replacing this
package, not the rest.
"""
