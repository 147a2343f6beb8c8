"""The « Qui sommes-nous » page: the consultant writes it (``docs/a-propos.md``), the
generator adds what is the same everywhere: the contact block and the structured data
(schema.org ``Person`` and ``Organization``), both from ``prestataire.yml``."""

from __future__ import annotations

from ..content.models.provider import Provider
from ..text.render import render
from .offer_page import script_json

ABOUT_PAGE = "a-propos.md"


def about_jsonld(provider: Provider, *, site_url: str, url: str) -> str:
    """The consultant and the firm, linked (``worksFor``, ``founder``), with the
    public profiles (``sameAs``); never the e-mail address (it is shown only in the
    private dossiers)."""
    person = {"@type": "Person", "@id": f"{site_url}#personne", "name": provider.legal_name,
              "jobTitle": "Consultant en innovation publique", "url": url,
              "telephone": provider.phone, "worksFor": {"@id": f"{site_url}#organisation"},
              "sameAs": list(provider.social)}
    organization = {"@type": "Organization", "@id": f"{site_url}#organisation",
                    "name": provider.name, "url": site_url, "telephone": provider.phone,
                    "founder": {"@id": f"{site_url}#personne"},
                    "logo": f"{site_url}assets/images/logo.svg",
                    "sameAs": list(provider.social)}
    return script_json({"@context": "https://schema.org", "@graph": [person, organization]})


def contact_block(provider: Provider) -> str:
    """The contact block at the end of the page (Markdown, every value escaped)."""
    return render("dossier/about_contact.md.j2", p=provider)
