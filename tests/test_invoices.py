"""Invoices as the consultant issues them and as a public buyer receives them: numbered,
frozen once issued, each a Factur-X PDF whose XML, text and ``amoor show`` agree."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import pikepdf
import pytest

from conftest import REFERENCE, SAME_CLIENT, Built, copy_project, pdf_text, run, words

MISSION = f"missions/{REFERENCE}/mission.yml"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
HOSTILE = '<script>alert(1)</script> & "é" ]]> </ram:Name>'


CHORUS = ("  adresse: Hôtel de ville, 1 place de la Mairie, 86000 Montclair-sur-Vienne\n"
          "  siret: 218 601 946 00013        # the buyer's, for its invoices (Chorus Pro)\n"
          "  code_service: DGS-FIN\n"
          "  engagement: EJ-2026-0042\n")


def project(tmp: Path) -> Path:
    """The fixture project, the reference mission's client with its Chorus Pro references."""
    root = copy_project(tmp)
    file = root / MISSION
    anchor = "  interlocuteur: Direction générale des services   # a role, not a person's name\n"
    assert anchor in file.read_text()
    file.write_text(file.read_text().replace(anchor, anchor + CHORUS, 1))
    return root


def issue(root: Path, *args: str, day: str) -> str:
    result = run("--date", day, "facture", *args, root=root)
    assert result.code == 0, result.err
    return result.out


def xml_of(pdf: Path) -> tuple[bytes, str]:
    with pikepdf.open(pdf) as document:
        spec = document.attachments["factur-x.xml"]
        return spec.get_file().read_bytes(), str(spec.obj.get("/AFRelationship"))


def amounts(xml: bytes) -> dict[str, Decimal]:
    root = ET.fromstring(xml)
    total = root.find(f".//{RAM}SpecifiedTradeSettlementHeaderMonetarySummation")
    assert total is not None
    return {child.tag.removeprefix(RAM): Decimal(child.text or "") for child in total}


def euros(value: str) -> str:
    """``2763.00`` as a French document writes it: ``2 763,00 €``."""
    whole, cents = value.split(".")
    return f"{int(whole):,}".replace(",", " ") + f",{cents} €"


@pytest.fixture(scope="module")
def invoiced(tmp_path_factory) -> Built:
    """The fixture project, an acompte of 30 % then the solde issued, built."""
    root = project(tmp_path_factory.mktemp("invoices"))
    mp = pytest.MonkeyPatch()
    from conftest import set_environment
    set_environment(mp)
    try:
        issue(root, REFERENCE, "--acompte", "--part", "30%", day="2026-09-08")
        issue(root, REFERENCE, "--solde", "--prestation", "du 7 septembre au 27 novembre 2026",
              day="2026-11-30")
        result = run("build", "--quiet", root=root)
        assert result.code == 0, result.err
        links = json.loads(run("links", "--json", root=root).out)
    finally:
        mp.undo()
    return Built(root, root / "site", links)


def test_facture_adds_entries_keeping_the_file_and_fingerprints_them(invoiced):
    text = (invoiced.root / MISSION).read_text()
    assert "# a role, not a person's name" in text          # comments kept
    assert text.rstrip().endswith(
        "factures:\n  - {type: acompte, numero: F-2026-0001, date: 2026-09-08, part: 0.3}\n"
        '  - {type: solde, numero: F-2026-0002, date: 2026-11-30, '
        'prestation: "du 7 septembre au 27 novembre 2026"}')
    lock = (invoiced.root / "factures.lock").read_text()
    assert re.findall(r"^(F-2026-000\d): [0-9a-f]{32} " + REFERENCE + "$", lock, re.M) == \
        ["F-2026-0001", "F-2026-0002"]


def test_acompte_and_solde_add_up_to_the_devis_to_the_cent(invoiced):
    shown = json.loads(run("show", REFERENCE, "--json", root=invoiced.root).out)
    acompte, solde = shown["factures"]
    assert (acompte["type"], solde["type"]) == ("acompte", "solde")
    assert Decimal(acompte["total_ht"]) == Decimal("2302.50")        # 30 % of 7 675
    assert Decimal(acompte["net_a_payer"]) + Decimal(solde["net_a_payer"]) == \
        Decimal(shown["prix"]["total_ttc"]) == Decimal("9210.00")
    assert shown["reste_a_facturer_ttc"] == "0.00"
    lines = run("show", REFERENCE, root=invoiced.root).out
    assert "Reste à facturer : 0,00" in lines and "F-2026-0002 du 30/11/2026" in lines


def test_each_invoice_is_a_factur_x_whose_xml_passes_the_xsd(invoiced):
    from facturx import xml_check_xsd

    folder = invoiced.dossier(REFERENCE)
    for number, code in (("F-2026-0001", "386"), ("F-2026-0002", "380")):
        xml, relationship = xml_of(folder / f"facture-{number}.pdf")
        assert relationship == "/Data"
        assert xml_check_xsd(xml, flavor="factur-x", level="en16931")
        root = ET.fromstring(xml)
        assert root.findtext(f".//{RAM}TypeCode") == code
        assert root.findtext(f".//{RAM}ID") == "urn:cen.eu:en16931:2017"
        with pikepdf.open(folder / f"facture-{number}.pdf") as pdf:
            assert "/StructTreeRoot" in pdf.Root           # still tagged
            meta = pdf.open_metadata()
            assert meta.get("pdfaid:part") == "3"


def test_xml_pdf_text_and_show_say_the_same_amounts(invoiced):
    folder = invoiced.dossier(REFERENCE)
    shown = json.loads(run("show", REFERENCE, "--json", root=invoiced.root).out)["factures"]
    for row in shown:
        pdf = folder / f"facture-{row['numero']}.pdf"
        xml = amounts(xml_of(pdf)[0])
        text = words(pdf_text(pdf)).replace("\u202f", " ").replace("\xa0", " ")
        for key, tag in (("total_ht", "TaxBasisTotalAmount"), ("tva", "TaxTotalAmount"),
                         ("total_ttc", "GrandTotalAmount"), ("net_a_payer", "DuePayableAmount")):
            assert xml[tag] == Decimal(row[key]), (row["numero"], key)
            assert euros(row[key]) in text, (row["numero"], key)
    solde = words(pdf_text(folder / "facture-F-2026-0002.pdf"))
    assert "Acompte déjà facturé, n° F-2026-0001 du 8" in solde
    assert amounts(xml_of(folder / "facture-F-2026-0002.pdf")[0])["TotalPrepaidAmount"] == \
        Decimal("2763.00")


def test_invoice_carries_the_mentions_a_public_buyer_needs(invoiced):
    text = words(pdf_text(invoiced.dossier(REFERENCE) / "facture-F-2026-0001.pdf"))
    for mention in ("Facture d'acompte n° F-2026-0001", "Date d'émission : 8 septembre 2026",
                    "Date d'échéance : 8 octobre 2026", "SIRET client 218 601 946 00013",
                    "SIREN client 218601946", "Code service DGS-FIN",
                    "Engagement juridique EJ-2026-0042", "SIREN : 123456789",
                    "N° de TVA intracommunautaire", "exclusivement des prestations de services",
                    "Escompte : pas d'escompte", "Pénalités de retard",
                    "majoré de 8 points", "Indemnité forfaitaire pour frais de recouvrement",
                    "40,00 €", "TVA 20 %"):
        assert mention in text.replace("\u202f", " ").replace("\xa0", " "), mention


def test_invoices_are_listed_zipped_and_linked_from_the_portal(invoiced):
    folder = invoiced.dossier(REFERENCE)
    overview = (folder / "index.html").read_text()
    assert 'href="facture-F-2026-0001.pdf"' in overview
    assert "Facture d&#39;acompte n° F-2026-0001" in overview or \
        "Facture d'acompte n° F-2026-0001" in overview
    with zipfile.ZipFile(folder / "dossier-complet.zip") as bundle:
        names = bundle.namelist()
    assert {"facture-F-2026-0001.pdf", "facture-F-2026-0002.pdf"} <= set(names)
    portal = next(r["portail"] for r in invoiced.links if r["slug"] == REFERENCE)
    html = (invoiced.site / portal / "index.html").read_text()
    assert "facture-F-2026-0002.pdf" in html
    other = invoiced.dossier(SAME_CLIENT)
    assert not list(other.glob("facture-*"))


def test_devis_amounts_keep_their_cents(invoiced):
    text = words(pdf_text(invoiced.dossier(REFERENCE) / "devis.pdf")).replace("\u202f", " ")
    assert "7 675,00" in text and "9 210,00" in text and "7 675 €" not in text


def _project_with_invoices(tmp_path: Path) -> Path:
    root = project(tmp_path)
    issue(root, REFERENCE, "--acompte", "--part", "30%", day="2026-09-08")
    return root


def test_changing_an_issued_invoice_fails_saying_to_issue_an_avoir(tmp_path):
    root = _project_with_invoices(tmp_path)
    file = root / MISSION
    file.write_text(file.read_text().replace("part: 0.3}", "part: 0.4}"))
    result = run("check", root=root)
    assert result.code == 1
    line = next(i for i, t in enumerate(file.read_text().splitlines(), 1) if "F-2026-0001" in t)
    assert re.search(rf"{MISSION}:{line}:\d+: factures\[0\]: facture F-2026-0001 déjà émise",
                     result.err), result.err
    assert "émettez un avoir (amoor facture montclair-place-du-marche --avoir F-2026-0001)" \
        in result.err
    assert run("build", "--no-pdf", root=root).code == 1


def test_renumbering_an_issued_invoice_fails_too(tmp_path):
    root = _project_with_invoices(tmp_path)
    file = root / MISSION
    file.write_text(file.read_text().replace("F-2026-0001", "F-2026-0007"))
    result = run("check", root=root)
    assert result.code == 1 and "factures.lock:3:1: F-2026-0001: facture F-2026-0001 émise" \
        in result.err, result.err


def test_gap_and_duplicate_across_missions_are_located_in_each_file(tmp_path):
    root = project(tmp_path)
    other = f"missions/{SAME_CLIENT}/mission.yml"
    for path, entries in (
            (MISSION, "  - {type: acompte, numero: F-2026-0001, date: 2026-09-08, part: 0.3}\n"
                      "  - {type: solde, numero: F-2026-0003, date: 2026-11-30}\n"),
            (other, "  - {type: acompte, numero: F-2026-0001, date: 2026-09-09, part: 0.3}\n")):
        file = root / path
        file.write_text(file.read_text() + "factures:\n" + entries)
    result = run("check", root=root)
    assert result.code == 1
    lines = {path: len((root / path).read_text().splitlines()) for path in (MISSION, other)}
    assert re.search(rf"{MISSION}:{lines[MISSION] - 1}:\d+: factures\[0\]\.numero: numéro "
                     r"« F-2026-0001 » en double", result.err), result.err
    assert re.search(rf"{other}:{lines[other]}:\d+: factures\[0\]\.numero: numéro "
                     r"« F-2026-0001 » en double", result.err), result.err
    assert re.search(rf"{MISSION}:{lines[MISSION]}:\d+: factures\[1\]\.numero: trou dans la "
                     r"numérotation : F-2026-0003 suit F-2026-0001", result.err), result.err


def test_dates_must_follow_numbers(tmp_path):
    root = project(tmp_path)
    file = root / MISSION
    file.write_text(file.read_text() + "factures:\n"
                    "  - {type: acompte, numero: F-2026-0001, date: 2026-10-08, part: 0.3}\n"
                    "  - {type: solde, numero: F-2026-0002, date: 2026-09-30}\n")
    result = run("check", root=root)
    assert result.code == 1 and "date 2026-09-30 antérieure à celle de F-2026-0001" in result.err


def test_avoir_cancels_with_type_381_and_the_next_number(tmp_path):
    root = _project_with_invoices(tmp_path)
    out = issue(root, REFERENCE, "--avoir", "F-2026-0001", day="2026-09-10")
    assert "Avoir n° F-2026-0002" in out
    assert run("build", "--quiet", root=root).code == 0
    links = json.loads(run("links", "--json", root=root).out)
    folder = Built(root, root / "site", links).dossier(REFERENCE)
    xml, _ = xml_of(folder / "facture-F-2026-0002.pdf")
    parsed = ET.fromstring(xml)
    assert parsed.findtext(f".//{RAM}TypeCode") == "381"
    assert parsed.findtext(f".//{RAM}InvoiceReferencedDocument/{RAM}IssuerAssignedID") == \
        "F-2026-0001"
    assert "Annule la facture n° F-2026-0001" in words(pdf_text(folder / "facture-F-2026-0002.pdf"))
    shown = json.loads(run("show", REFERENCE, "--json", root=root).out)
    assert shown["reste_a_facturer_ttc"] == shown["prix"]["total_ttc"]


def test_hostile_text_in_invoice_fields_is_escaped_in_pdf_and_xml(tmp_path):
    root = project(tmp_path)
    file = root / MISSION
    quoted = json.dumps(HOSTILE)
    file.write_text(file.read_text()
                    .replace("code_service: DGS-FIN", f"code_service: {quoted}")
                    .replace("engagement: EJ-2026-0042", f"engagement: {quoted}"))
    issue(root, REFERENCE, "--acompte", "--montant", "1 000,50", "--prestation", HOSTILE,
          day="2026-09-08")
    assert run("build", "--quiet", root=root).code == 0
    links = json.loads(run("links", "--json", root=root).out)
    pdf = Built(root, root / "site", links).dossier(REFERENCE) / "facture-F-2026-0001.pdf"
    text = words(pdf_text(pdf))
    assert "<script>alert(1)</script> & \"é\" ]]> </ram:Name>" in text.replace("\xa0", " ")
    xml, _ = xml_of(pdf)
    parsed = ET.fromstring(xml)                 # still well formed
    assert parsed.findtext(f".//{RAM}BuyerReference") == HOSTILE
    assert parsed.findtext(f".//{RAM}BuyerOrderReferencedDocument/{RAM}IssuerAssignedID") == \
        HOSTILE
    assert b"<script>" not in xml
    assert amounts(xml)["TaxBasisTotalAmount"] == Decimal("1000.50")


def test_another_clients_name_in_an_invoice_fails_the_build(tmp_path):
    root = project(tmp_path)
    issue(root, REFERENCE, "--acompte", "--part", "30%", "--prestation",
          "comme pour la Communauté de communes du Haut-Vernillon", day="2026-09-08")
    result = run("build", "--quiet", root=root)
    assert result.code == 1
    assert "confidentialité" in result.err and "facture-F-2026-0001.pdf" in result.err, \
        result.err
    assert not (root / "site").exists()


def test_privacy_check_reads_the_xml_attachment(invoiced):
    """What only the XML says (its profile, its notes) is read by the leak check too."""
    from generator.privacy.extract import pdf_text as read_for_privacy

    pdf = invoiced.dossier(REFERENCE) / "facture-F-2026-0001.pdf"
    assert "urn:cen.eu:en16931:2017" in read_for_privacy(pdf)


def test_invoices_are_the_same_bytes_at_every_build(invoiced, tmp_path):
    import shutil

    folder = invoiced.dossier(REFERENCE)
    before = {n: (folder / n).read_bytes() for n in ("facture-F-2026-0001.pdf",
                                                     "facture-F-2026-0002.pdf")}
    shutil.rmtree(invoiced.root / ".cache")
    assert run("build", "--quiet", "--site-dir", str(tmp_path / "again"),
               root=invoiced.root).code == 0
    again = tmp_path / "again" / folder.relative_to(invoiced.site)
    assert {n: (again / n).read_bytes() for n in before} == before


@pytest.mark.parametrize(("key", "value", "message"), [
    ("numero", '"../../x<script>"', "hors série"),
    ("numero", "F-2025-0001", "n'est pas de l'année de sa date"),
    ("annule", "F-2026-0009", "n'est pas une facture émise plus haut"),
])
def test_bad_invoice_fields_are_located_errors(tmp_path, key, value, message):
    """A valid entry checks clean (see the first test); each of these is a located error."""
    root = project(tmp_path)
    file = root / MISSION
    number = value if key == "numero" else "F-2026-0001"
    fields = ", annule: F-2026-0009" if key == "annule" else ", part: 0.3"
    kind = "avoir" if key == "annule" else "acompte"
    file.write_text(file.read_text() + "factures:\n"
                    f"  - {{type: {kind}, numero: {number}, date: 2026-09-08{fields}}}\n")
    result = run("check", root=root)
    assert result.code == 1 and message in result.err and f"{MISSION}:" in result.err, \
        result.err
    assert not list(root.glob("site"))


def test_client_siret_is_checked(tmp_path):
    root = project(tmp_path)
    file = root / MISSION
    file.write_text(file.read_text().replace("218 601 946 00013", "218 601 946 00014"))
    result = run("check", root=root)
    assert result.code == 1 and "client.siret: SIRET invalide" in result.err, result.err


def test_a_protected_dossiers_invoice_is_sealed(tmp_path):
    import base64

    from conftest import PASSWORD, PROTECTED
    from generator.protection.seal import derive_key, unseal

    root = project(tmp_path)
    file = root / f"missions/{PROTECTED}/mission.yml"
    file.write_text(file.read_text().replace(
        "  adresse: 2 avenue des Monts, 15000 Fontbrune\n",
        "  adresse: 2 avenue des Monts, 15000 Fontbrune\n  engagement: EJ-VERNILLON-7\n"))
    issue(root, PROTECTED, "--acompte", "--part", "30%", day="2027-02-01")
    assert run("build", "--quiet", root=root).code == 0
    links = json.loads(run("links", "--json", root=root).out)
    folder = Built(root, root / "site", links).dossier(PROTECTED)
    assert not (folder / "facture-F-2027-0001.pdf").exists()
    blob = (folder / "facture-F-2027-0001.pdf.enc").read_bytes()
    assert b"EJ-VERNILLON-7" not in blob and b"factur-x" not in blob
    data = json.loads(re.search(r'id="amoor-sealed">(.*?)</script>',
                                (folder / "index.html").read_text(), re.S).group(1))
    key = derive_key(PASSWORD, base64.b64decode(data["salt"]), data["iterations"])
    plain = tmp_path / "facture.pdf"
    plain.write_bytes(unseal(key, "facture-F-2027-0001.pdf", blob))
    assert xml_of(plain)[1] == "/Data"
    assert "Engagement juridique EJ-VERNILLON-7" in words(pdf_text(plain))
