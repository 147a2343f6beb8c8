"""Factur-X invoices: a tagged PDF/A-3 that a person reads and Chorus Pro reads too.

WeasyPrint writes the invoice as PDF/A-3b, tagged (``pdf_tags``: PDF/A-3b does not
ask for tags, nothing forbids them, and screen readers need them); the ``factur-x``
library (Akretion) attaches the CII XML at the EN 16931 profile as ``factur-x.xml``,
with its ``/AFRelationship`` and the Factur-X XMP, after checking it against the
standard's XSD (bundled with the library: no network). The XML is built here with
the standard library's ElementTree: every value is escaped by the serializer.
"""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from ..cache.version import code_version
from ..compute.invoicing import Billed
from ..content.models.mission import Client
from ..content.models.provider import Provider
from .pdf import PrintJob
from .pdfua import finish_tagged

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

EN16931 = "urn:cen.eu:en16931:2017"
FILENAME = "factur-x.xml"


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _add(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(name), attrs)
    if text is not None:
        element.text = text
    return element


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _date(parent: ET.Element, name: str, value: object) -> None:
    holder = _add(parent, name)
    _add(holder, "udt:DateTimeString", f"{value:%Y%m%d}", format="102")


def address_parts(text: str) -> tuple[list[str], str, str]:
    """Street lines, postcode and city of a French address written on lines or with
    commas (``12 rue …, 86000 Ville``); no postcode found: all lines are street."""
    parts = [p.strip() for p in re.split(r"[\n,]", text) if p.strip()]
    for i in range(len(parts) - 1, -1, -1):
        match = re.match(r"^(\d{5})\s+(.+)$", parts[i])
        if match:
            return parts[:i] + parts[i + 1:], match.group(1), match.group(2)
    return parts, "", ""


def _party(parent: ET.Element, name: str, who: str, legal: tuple[str, str] | None,
           address: str | None, vat: str | None) -> None:
    party = _add(parent, name)
    _add(party, "ram:Name", who)
    if legal:
        organisation = _add(party, "ram:SpecifiedLegalOrganization")
        _add(organisation, "ram:ID", legal[1], schemeID=legal[0])
    where = _add(party, "ram:PostalTradeAddress")
    lines, postcode, city = address_parts(address or "")
    if postcode:
        _add(where, "ram:PostcodeCode", postcode)
    for tag, line in zip(("ram:LineOne", "ram:LineTwo", "ram:LineThree"), lines, strict=False):
        _add(where, tag, line)
    if city:
        _add(where, "ram:CityName", city)
    _add(where, "ram:CountryID", "FR")
    if vat:
        registration = _add(party, "ram:SpecifiedTaxRegistration")
        _add(registration, "ram:ID", vat.replace(" ", ""), schemeID="VA")


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def _tax(parent: ET.Element, billed: Billed, provider: Provider, *, header: bool) -> None:
    tax = _add(parent, "ram:ApplicableTradeTax")
    if header:
        _add(tax, "ram:CalculatedAmount", _amount(billed.vat))
    _add(tax, "ram:TypeCode", "VAT")
    exempt = not billed.vat_rate
    if header and exempt:
        _add(tax, "ram:ExemptionReason", provider.vat_note or "TVA non applicable")
    if header:
        _add(tax, "ram:BasisAmount", _amount(billed.total_ht))
    _add(tax, "ram:CategoryCode", "E" if exempt else "S")
    if header and provider.invoicing.vat_on_debits:
        _add(tax, "ram:DueDateTypeCode", "5")    # UNTDID 2475: date of invoice (débits)
    _add(tax, "ram:RateApplicablePercent", f"{(billed.vat_rate * 100).normalize():f}")


def cii_xml(billed: Billed, provider: Provider, client: Client, note: str) -> bytes:
    """The invoice as CII XML, Factur-X EN 16931 profile: the same amounts as its PDF."""
    root = ET.Element(_q("rsm:CrossIndustryInvoice"))
    context = _add(root, "rsm:ExchangedDocumentContext")
    _add(_add(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", EN16931)
    document = _add(root, "rsm:ExchangedDocument")
    _add(document, "ram:ID", billed.number)
    _add(document, "ram:TypeCode", billed.kind.type_code)
    _date(document, "ram:IssueDateTime", billed.date)
    for subject, content in (("AAI", note), ("PMD", provider.terms.late_penalties),
                             ("AAB", provider.invoicing.discount)):
        included = _add(document, "ram:IncludedNote")
        _add(included, "ram:Content", content)
        _add(included, "ram:SubjectCode", subject)
    transaction = _add(root, "rsm:SupplyChainTradeTransaction")
    for i, line in enumerate(billed.lines, 1):
        item = _add(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _add(_add(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(i))
        _add(_add(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.label)
        price = _add(_add(item, "ram:SpecifiedLineTradeAgreement"),
                     "ram:NetPriceProductTradePrice")
        _add(price, "ram:ChargeAmount", _amount(line.unit_price_ht))
        _add(_add(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity",
             f"{line.quantity.normalize():f}", unitCode="C62")
        settlement = _add(item, "ram:SpecifiedLineTradeSettlement")
        _tax(settlement, billed, provider, header=False)
        summation = _add(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
        _add(summation, "ram:LineTotalAmount", _amount(line.amount_ht))
    agreement = _add(transaction, "ram:ApplicableHeaderTradeAgreement")
    if client.service_code:
        _add(agreement, "ram:BuyerReference", client.service_code)
    siret = _digits(provider.siret)
    _party(agreement, "ram:SellerTradeParty", provider.legal_name,
           ("0002", siret[:9]) if len(siret) == 14 else None, provider.address,
           provider.vat_number)
    buyer = _digits(client.siret)
    _party(agreement, "ram:BuyerTradeParty", client.name,
           ("0009", buyer) if len(buyer) == 14 else None, client.address, None)
    order = client.commitment or client.order_number
    if order:
        _add(_add(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", order)
    _add(transaction, "ram:ApplicableHeaderTradeDelivery")
    settlement = _add(transaction, "ram:ApplicableHeaderTradeSettlement")
    _add(settlement, "ram:InvoiceCurrencyCode", "EUR")
    if provider.iban:
        means = _add(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _add(means, "ram:TypeCode", "58")      # SEPA credit transfer
        account = _add(means, "ram:PayeePartyCreditorFinancialAccount")
        _add(account, "ram:IBANID", provider.iban.replace(" ", ""))
    _tax(settlement, billed, provider, header=True)
    terms = _add(settlement, "ram:SpecifiedTradePaymentTerms")
    _add(terms, "ram:Description", f"À {provider.terms.payment_days} jours, par virement")
    _date(terms, "ram:DueDateDateTime", billed.due_date)
    total = _add(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _add(total, "ram:LineTotalAmount", _amount(sum((ln.amount_ht for ln in billed.lines),
                                                   Decimal(0))))
    _add(total, "ram:TaxBasisTotalAmount", _amount(billed.total_ht))
    _add(total, "ram:TaxTotalAmount", _amount(billed.vat), currencyID="EUR")
    _add(total, "ram:GrandTotalAmount", _amount(billed.total_ttc))
    _add(total, "ram:TotalPrepaidAmount", _amount(billed.prepaid))
    _add(total, "ram:DuePayableAmount", _amount(billed.due))
    for reference in [billed.cancels] if billed.cancels else [d.number for d in billed.deducted]:
        _add(_add(settlement, "ram:InvoiceReferencedDocument"), "ram:IssuerAssignedID",
             reference)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True)
class InvoiceJob(PrintJob):
    """A print job whose PDF is then made a Factur-X: its XML, its metadata."""

    xml: bytes = b""
    title: str = ""
    author: str = ""
    issued: str = ""        #: ISO date of issue: the PDF's dates, so builds are identical

    def key(self) -> str:
        digest = hashlib.sha256(super().key().encode())
        for part in (code_version(libraries=("factur-x", "pypdf", "pikepdf")), self.title,
                     self.author, self.issued):
            digest.update(part.encode() + b"\0")
        digest.update(self.xml)
        return digest.hexdigest()

    def run(self) -> int:
        from facturx import generate_from_binary

        self.output.parent.mkdir(parents=True, exist_ok=True)
        document = self.layout()
        pdf = document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True,
                                 finisher=finish_tagged)
        made = generate_from_binary(
            pdf, self.xml, flavor="factur-x", level="en16931", check_xsd=True,
            pdf_metadata={"author": self.author, "keywords": "Factur-X, facture",
                          "title": self.title, "subject": self.title},
            lang="fr-FR")
        self.output.write_bytes(_dated(made, self.issued))
        return len(document.pages)


def _dated(data: bytes, issued: str) -> bytes:
    """The library stamps the clock's time in the PDF (dates, XMP, attachment) and pypdf
    a random identifier: the invoice's date instead, and an identifier from the content,
    so that two builds of the same invoice are the same bytes."""
    import pikepdf

    stamp = f"D:{issued.replace('-', '')}000000+00'00'"
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = stamp
        for spec in pdf.attachments.values():
            spec.obj.EF.F.Params.ModDate = stamp
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                if key in meta:
                    meta[key] = f"{issued}T00:00:00+00:00"
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
