"""The offer page: computed sections and structured data, from a validated offer."""

from __future__ import annotations

import json

from ..compute.pricing import quote
from ..content.models.mission import Pricing
from ..content.models.offer import Offer
from ..text.render import render


def offer_markdown(offer: Offer, body: str, *, root: str, brochure: str) -> str:
    """Markdown of the whole offer page; ``root`` is the relative path to the site root."""
    return render(
        "dossier/offer.md.j2", offer=offer, body=body.strip(), root=root, brochure=brochure,
        floor=quote(Pricing(), offer),
        stopped=quote(Pricing(arret_avant_atelier=True), offer),
        deliverable_titles={d.id: d.title for d in offer.deliverables})


def offer_jsonld(offer: Offer, *, url: str, provider: str, site_url: str) -> str:
    """schema.org ``Service`` with its ``Offer`` and price, safe inside ``<script>``."""
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": offer.title,
        "description": offer.tagline,
        "serviceType": "Conception de concertation citoyenne",
        "areaServed": {"@type": "Country", "name": "France"},
        "provider": {"@type": "Organization", "name": provider, "url": site_url},
        "url": url,
        "offers": {
            "@type": "Offer",
            "url": url,
            "priceCurrency": "EUR",
            "price": str(offer.price.floor_ht),
            "priceSpecification": {
                "@type": "UnitPriceSpecification",
                "priceCurrency": "EUR",
                "minPrice": str(offer.price.floor_ht),
                "valueAddedTaxIncluded": False,
            },
            "itemOffered": [{"@type": "Service", "name": d.title}
                            for d in offer.deliverables],
        },
    }
    return script_json(data)


def script_json(data: object) -> str:
    """JSON safe inside ``<script>``: no ``<`` at all (no ``</script>``, no ``<!--``)."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
