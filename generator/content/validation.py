"""Cross-checks pydantic cannot see: references, duplicates, pairs, dates, files.

Each check yields diagnostics located on the exact key that is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from ..text.fmt import money_ht
from .diagnostics import Diagnostic
from .models.mission import Mission
from .models.offer import Offer
from .models.provider import TO_FILL, Provider
from .models.vocab import InvoiceKind, MissionStatus
from .yamlio import YamlDocument


def _known(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids)) or "aucun"


def _duplicates(doc: YamlDocument, prefix: tuple, ids: list[str],
                attr: str, what: str) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in seen:
            yield doc.diagnostic(prefix + (i, attr),
                                 f"{what} « {ident} » en double (déjà en position {seen[ident]})")
        else:
            seen[ident] = i


def _refs(doc: YamlDocument, prefix: tuple, refs: list[str], attr: str,
          known: set[str], what: str) -> Iterator[Diagnostic]:
    for i, ref in enumerate(refs):
        if ref not in known:
            yield doc.diagnostic(prefix + (i, attr) if attr else prefix + (i,),
                                 f"{what} inconnu(e) « {ref} » (connus : {_known(known)})")


def check_offer(offer: Offer, doc: YamlDocument, at: tuple = ("offre",)) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    out += _duplicates(doc, at + ("options",), [o.id for o in offer.options], "id", "option")
    out += _duplicates(doc, at + ("etapes",), [s.id for s in offer.steps], "id", "étape")
    out += _duplicates(doc, at + ("livrables",), [d.id for d in offer.deliverables],
                       "id", "livrable")
    known = {d.id for d in offer.deliverables}
    for i, step in enumerate(offer.steps):
        out += _refs(doc, at + ("etapes", i, "livrables"), step.deliverables, "",
                     known, "livrable")
    return out


def _texts(data: object, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, path + (i,))
    elif isinstance(data, str):
        yield path, data


def _siret_ok(siret: str) -> bool:
    """14 digits with a valid Luhn key (INSEE's rule; La Poste's SIRETs excepted)."""
    digits = siret.replace(" ", "")
    if len(digits) != 14 or not digits.isdigit():
        return False
    if digits.startswith("356000000"):
        return sum(int(d) for d in digits) % 5 == 0
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def check_provider(provider: Provider, doc: YamlDocument) -> list[Diagnostic]:
    """Values still to fill in are warnings (the example ships them); a SIRET or VAT
    number that cannot be one is an error: it would be printed on every devis."""
    out = [doc.diagnostic(path, f"{TO_FILL} : mention obligatoire du devis", severity="warning")
           for path, text in _texts(doc.data) if TO_FILL in text.lower()]
    filled = lambda value: value is not None and TO_FILL not in value.lower()  # noqa: E731
    if filled(provider.siret) and not _siret_ok(provider.siret):
        out.append(doc.diagnostic(("siret",), "SIRET invalide : 14 chiffres dont le dernier "
                                              "est une clé de contrôle"))
    vat = provider.vat_number
    if filled(vat) and not (vat or "").replace(" ", "").upper().startswith("FR"):
        out.append(doc.diagnostic(("tva_intracommunautaire",),
                                  "numéro de TVA intracommunautaire : FR suivi de 11 chiffres"))
    if provider.vat_number is None and provider.vat_note is None:
        out.append(doc.diagnostic(("tva_intracommunautaire",),
                                  "donnez le numéro de TVA intracommunautaire, ou la "
                                  "mention_tva de la franchise en base (art. 293 B du CGI)"))
    return out


def check_mission(mission: Mission, doc: YamlDocument, offers: dict[str, Offer],
                  folder: Path) -> list[Diagnostic]:
    """All cross-checks of one mission against its offer and its folder."""
    offer = offers.get(mission.offer)
    out: list[Diagnostic] = []
    if offer is None:
        return [doc.diagnostic(("offre",), f"offre inconnue « {mission.offer} » "
                                           f"(offres : {_known(offers)})")]
    out += _check_dates(mission, doc)
    if mission.client.address is None and mission.status == MissionStatus.PROPOSITION:
        out.append(doc.diagnostic(("client",), "adresse du client à compléter (clé "
                                               "« adresse ») : mention obligatoire du devis",
                                  severity="warning"))
    if mission.client.siret is not None and not _siret_ok(mission.client.siret):
        out.append(doc.diagnostic(("client", "siret"), "SIRET invalide : 14 chiffres dont le "
                                                       "dernier est une clé de contrôle"))
    access = mission.access
    if access.demo_password is not None and not (mission.example and access.password_env):
        out.append(doc.diagnostic(
            ("acces", "mot_de_passe_demo"),
            "un mot de passe de démonstration n'est permis que pour une mission d'exemple "
            "(exemple: true) protégée (mot_de_passe_env) : le vrai mot de passe va dans "
            "une variable d'environnement, jamais dans le fichier"))
    tarif = mission.pricing
    out += _refs(doc, ("tarif", "options"), [o.ref for o in tarif.options], "ref",
                 {o.id for o in offer.options}, "option")
    out += _duplicates(doc, ("tarif", "options"), [o.ref for o in tarif.options],
                       "ref", "option")
    if tarif.flat_fee_ht is not None and tarif.flat_fee_ht < offer.price.floor_ht:
        out.append(doc.diagnostic(
            ("tarif", "forfait_ht"),
            f"forfait inférieur au prix plancher de l'offre ({offer.price.floor_ht} € HT)",
            severity="warning"))
    out += _refs(doc, ("etapes",), [s.ref for s in mission.steps], "ref",
                 {s.id for s in offer.steps}, "étape")
    out += _duplicates(doc, ("etapes",), [s.ref for s in mission.steps], "ref", "étape")
    stakeholders = {s.id for s in mission.stakeholders}
    out += _duplicates(doc, ("parties_prenantes",), [s.id for s in mission.stakeholders],
                       "id", "partie prenante")
    scenarios = {s.id for s in mission.scenarios}
    out += _duplicates(doc, ("scenarios",), [s.id for s in mission.scenarios], "id",
                       "scénario")
    for i, scenario in enumerate(mission.scenarios):
        out += _refs(doc, ("scenarios", i, "publics"), scenario.publics or [], "",
                     stakeholders, "partie prenante")
    out += _check_roi(mission, doc, stakeholders, scenarios)
    out += _check_invoices(mission, doc)
    out += _check_reference(mission, doc)
    out += _refs(doc, ("livrables",), [d.ref for d in mission.deliverables], "ref",
                 {d.id for d in offer.deliverables}, "livrable")
    out += _duplicates(doc, ("livrables",), [d.ref for d in mission.deliverables], "ref",
                       "livrable")
    for i, deliverable in enumerate(mission.deliverables):
        page = deliverable.page
        if page is None:
            continue
        try:
            target = (folder / page).resolve()
            inside, exists = target.is_relative_to(folder.resolve()), target.is_file()
        except (OSError, ValueError):  # a NUL byte, a name too long for the file system
            out.append(doc.diagnostic(("livrables", i, "page"),
                                      f"nom de fichier impossible : {page!r}"))
            continue
        if not inside or not page.endswith(".md"):
            out.append(doc.diagnostic(("livrables", i, "page"),
                                      f"« {page} » doit être un fichier .md du dossier "
                                      "de la mission"))
        elif not exists:
            out.append(doc.diagnostic(("livrables", i, "page"),
                                      f"fichier introuvable : {page}"))
    return out


def _check_reference(mission: Mission, doc: YamlDocument) -> Iterator[Diagnostic]:
    """A consent that will not show (yet): said, not silent, so the consultant does not
    look for the reference on the site."""
    if not (mission.reference and mission.reference.public):
        return
    if mission.example:
        yield doc.diagnostic(("reference", "publiable"), "mission d'exemple : sa référence "
                             "ne paraît jamais sur le site", severity="warning")
    elif mission.status is not MissionStatus.DONE:
        yield doc.diagnostic(("reference", "publiable"), "mission pas encore terminée (statut "
                             f"« {mission.status.value} ») : la référence paraîtra sur le site "
                             "au premier build après « statut: terminee »", severity="warning")


def _check_invoices(mission: Mission, doc: YamlDocument) -> Iterator[Diagnostic]:
    """An avoir cancels an earlier invoice of the same mission, once; one solde."""
    earlier: dict[str, InvoiceKind] = {}
    cancelled: set[str] = set()
    voided = {i.cancels for i in mission.invoices if i.cancels}
    soldes = 0
    for i, invoice in enumerate(mission.invoices):
        if invoice.cancels is not None:
            if earlier.get(invoice.cancels) not in (InvoiceKind.DEPOSIT, InvoiceKind.BALANCE):
                yield doc.diagnostic(("factures", i, "annule"),
                                     f"« {invoice.cancels} » n'est pas une facture émise plus "
                                     f"haut dans cette mission (connues : {_known(earlier)})")
            elif invoice.cancels in cancelled:
                yield doc.diagnostic(("factures", i, "annule"),
                                     f"« {invoice.cancels} » est déjà annulée par un avoir")
            cancelled.add(invoice.cancels)
        if invoice.kind is InvoiceKind.BALANCE and invoice.number not in voided:
            soldes += 1
            if soldes > 1:
                yield doc.diagnostic(("factures", i, "type"), "deux factures de solde : "
                                                              "annulez la première par un avoir")
        earlier.setdefault(invoice.number, invoice.kind)


def _check_dates(mission: Mission, doc: YamlDocument) -> Iterator[Diagnostic]:
    d = mission.dates
    order = [("debut", d.start), ("atelier", d.workshop), ("fin", d.end)]
    present = [(k, v) for k, v in order if v is not None]
    for (k1, v1), (k2, v2) in zip(present, present[1:], strict=False):
        if v2 < v1:
            yield doc.diagnostic(("dates", k2), f"la date « {k2} » ({v2}) précède "
                                                f"« {k1} » ({v1})")
    if d.restitution and d.workshop and d.restitution < d.workshop:
        yield doc.diagnostic(("dates", "restitution"),
                             "la restitution précède l'atelier")


def _check_roi(mission: Mission, doc: YamlDocument, stakeholders: set[str],
               scenarios: set[str]) -> Iterator[Diagnostic]:
    roi = mission.roi
    if roi is None:
        return
    at = ("roi_citoyen",)
    if not mission.scenarios:
        yield doc.diagnostic(at, "le R.O.I. citoyen demande au moins un scénario "
                                 "(clé « scenarios »)")
        return
    publics = [p.ref for p in roi.publics]
    yield from _refs(doc, at + ("publics",), publics, "ref", stakeholders, "partie prenante")
    yield from _duplicates(doc, at + ("publics",), publics, "ref", "public")
    seen: dict[tuple[str, str], int] = {}
    for i, ev in enumerate(roi.evaluations):
        here = at + ("evaluations", i)
        if ev.scenario not in scenarios:
            yield doc.diagnostic(here + ("scenario",), f"scénario inconnu « {ev.scenario} » "
                                                       f"(scénarios : {_known(scenarios)})")
        if ev.public not in publics:
            yield doc.diagnostic(here + ("public",), f"public inconnu « {ev.public} » "
                                                     f"(publics du R.O.I. : {_known(publics)})")
        pair = (ev.scenario, ev.public)
        if pair in seen:
            yield doc.diagnostic(here, f"évaluation {ev.scenario} × {ev.public} en double "
                                       f"(déjà en position {seen[pair]})")
        seen.setdefault(pair, i)
    missing = [f"{s.id} × {p}" for s in mission.scenarios for p in publics
               if (s.id, p) not in seen and p in stakeholders]
    if missing and roi.evaluations:     # none yet: the workshop has not taken place
        yield doc.diagnostic(at + ("evaluations",),
                             "évaluation(s) manquante(s) : " + ", ".join(missing))
    if roi.retained is not None and roi.retained not in scenarios:
        yield doc.diagnostic(at + ("scenario_retenu",),
                             f"scénario inconnu « {roi.retained} » "
                             f"(scénarios : {_known(scenarios)})")


#: « à partir de 5 000 € HT » in a page's text, tags allowed between the words (the home
#: page sets the words and the amount in two paragraphs).
_FROM_PRICE = re.compile(
    r"à\s+partir\s+de\s*(?:</?[a-z][^>]*>\s*)*"
    r"(\d{1,3}(?:[ \u00a0\u202f]\d{3})*|\d+)(?:,(\d{1,2}))?\s*(?:&nbsp;)?€\s*HT",
    re.IGNORECASE)


def stale_prices(pages: Iterable[Path], root: Path, floors: set[Decimal]
                 ) -> list[Diagnostic]:
    """Warnings for a price written by hand in a page (« à partir de 5 000 € HT ») that
    is no offer's ``a_partir_de`` any more: the offer's price changed, the home page or
    the contact page still says the old one. The offer pages compute theirs."""
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8", errors="replace")
        for match in _FROM_PRICE.finditer(text):
            amount = Decimal(re.sub(r"\D", "", match[1]) + "." + (match[2] or "0"))
            if amount not in floors:
                line = text.count("\n", 0, match.start(1)) + 1
                column = match.start(1) - text.rfind("\n", 0, match.start(1))
                known = ", ".join(money_ht(f) for f in sorted(floors))
                found.append(Diagnostic(
                    page.relative_to(root).as_posix(), line, column, "prix",
                    f"« à partir de {money_ht(amount)} » écrit à la main, mais l'offre dit "
                    f"« à partir de {known} » : mettez la page à jour", "warning"))
    return found
