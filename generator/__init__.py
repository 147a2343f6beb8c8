"""a.m.o.o.r. site generator: the public offer and private mission dossiers.

The core is framework-free (load → validate → compute → render → emit); MkDocs and
the ``amoor`` CLI are two thin front ends over it.

Architecture
============

Rooms, highest first. A room imports the rooms below it, never one above; rooms on
one line import neither each other (``make lint`` checks it: import-linter contracts
in ``pyproject.toml``, with « only engine/ imports mkdocs or material », « engine/
imports neither click nor the build » and « no import circle »)::

    cli/                 click front end: arguments, messages, exit codes
     └ build/            the pipeline and its variants (preview, export, scaffold)
        └ engine/        MkDocs + Material only: pages in, site and captured HTML out
           └ privacy/ | documents/      the leak check | PDF, PPTX, zip bytes
              └ dossier/                what a dossier holds, computed and rendered
                 └ protection/ | compute/   keys, sealing, CSP | prices, map, R.O.I.
                    └ content/          the consultant's files, read and validated
                       └ text/ | cache/ Jinja and French typography | cache keys, folders

- ``content/``    yamlio (YAML with lines), reader, models/ (pydantic), validation
                  (cross-checks), ledger (the invoices' series), workshop_result (a
                  workshop's export, checked), schema, project, diagnostics, clock
- ``compute/``    pricing, invoicing, roi, stakeholders: pure functions of the models
- ``text/``       render (the Jinja environment, front matter), fmt (French formats),
                  folding (how names compare), link_schemes (web and mail links only)
- ``cache/``      folder (entries linked, not copied), version (code_version: the key rule)
- ``dossier/``    figures, dossier (make_dossier), contents (pages and DocumentKind),
                  charts, slides, agenda, devis, atelier (the workshop page), portal,
                  access, summary; the public site's computed pages: offer_page,
                  references, about, news
- ``protection/`` keys, seal, csp, revoke
- ``documents/``  pdf, pdfua, pptx, facturx (invoices), brochure, card (sharing images),
                  webfonts, bundle, archive, fonts, workers (the pool)
- ``privacy/``    extract (text of files), match (fingerprints), cache, check (scan, report)
- ``engine/``     build (Engine), plugin, dossier_plugin, hooks, attributes (Markdown's
                  allow-list), blog, html_cache, runner, serve, preview_server
- ``build/``      pipeline, preview, export, scaffold, invoicing (``amoor facture``)
- ``cli/``        commands (``amoor``), serve (the terminal side of ``amoor serve``)

The path of ``amoor build`` (cli.commands.build → build.pipeline.build):

1. read, validate: ``pipeline.read`` → ``read_catalog`` (content.reader.read_offers,
   read_provider, read_missions: models and validation) → ``publish``
   (dossier.access.publishable);
2. compute, render: ``make_dossiers`` → dossier.dossier.make_dossier (compute.*,
   Figures, slides, agenda, pages by text.render) → ``passwords`` →
   dossier.portal.make_portals;
3. emit: ``emit_public`` (engine.build.Engine.build_public, robots.txt) →
   ``plan_seals`` → ``emit_dossiers`` (Engine.build_dossier per dossier, then
   ``dossier_jobs`` → ``MAKERS`` by DocumentKind → documents.workers.Writer;
   documents.bundle.write_bundle last; Engine.build_portals);
4. check: ``check`` (privacy.check.PrivacyCheck.leaks);
5. seal: ``seal_folders`` (protection.seal.seal_folder);
6. swap: ``swap`` (renames only: a failed build leaves site/ untouched).

``amoor serve`` (cli.serve → build.preview.Preview) runs ``publish``,
``emit_public`` and the engine's builds on what an edit changed; ``amoor export``
(build.export) writes the same pages as Markdown, with ``dossier_jobs``.
"""

__version__ = "0.1.0"
