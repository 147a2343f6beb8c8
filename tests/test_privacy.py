"""Nothing of a client outside that client's folders; sealed dossiers hold no plaintext."""

from __future__ import annotations

import base64
import gzip
import json
import re
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
from cryptography.exceptions import InvalidTag

from conftest import (
    PASSWORD,
    PASSWORD_ENV,
    PROTECTED,
    REFERENCE,
    SAME_CLIENT,
    STOPPED,
    copy_project,
    pdf_text,
    run,
)
from generator.protection.seal import derive_key, unseal

#: Words that each appear in one client's missions only (and nowhere public).
CLIENTS = {
    "montclair": ([REFERENCE, SAME_CLIENT],
                  ["Montclair", "place du Marché", "Commerçants non sédentaires", "Tilleuls"]),
    "vernillon": ([PROTECTED], ["Vernillon", "Fontbrune"]),
    "orbiere": ([STOPPED], ["Orbière", "Ravergue"]),
}
CLIENT_OF = {slug: client for client, (slugs, _) in CLIENTS.items() for slug in slugs}


def visible_text(path: Path) -> str:
    """What a visitor or crawler can read in a file."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    if path.suffix in (".zip", ".pptx"):
        with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
            archive.extractall(tmp)
            return "\n".join(visible_text(p) for p in sorted(Path(tmp).rglob("*"))
                             if p.is_file())
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return unquote(text)


def test_no_canary_in_any_public_file(built):
    public = [p for p in built.site.rglob("*") if p.is_file()
              and not p.relative_to(built.site).as_posix().startswith(("d/", "c/"))]
    kinds = {p.suffix for p in public}
    assert {".html", ".json", ".xml", ".gz", ".pdf", ".txt"} <= kinds
    tokens = [r[key].split("/")[1] for r in built.links for key in ("url", "portail")]
    for path in public:
        text = visible_text(path)
        for slugs, words in CLIENTS.values():
            for word in [*slugs, *words]:
                assert word.lower() not in text.lower(), (path, word)
        for token in tokens:
            assert token not in text, path


def test_no_dossier_or_portal_contains_another_clients_text(built):
    folders = [(row, key) for row in built.links for key in ("url", "portail")]
    kinds = {p.suffix for row, key in folders for p in (built.site / row[key]).rglob("*")}
    assert {".html", ".pdf", ".zip", ".pptx", ".ics", ".json"} <= kinds
    for row, key in folders:
        folder = built.site / row[key]
        for path in (p for p in folder.rglob("*") if p.is_file() and p.suffix != ".enc"):
            text = visible_text(path).lower()
            for client, (_, words) in CLIENTS.items():
                if client == CLIENT_OF[row["slug"]]:
                    continue
                for word in words:
                    assert word.lower() not in text, (path, word)


def test_two_missions_of_one_client_build_and_each_shows_the_client(built):
    for slug in (REFERENCE, SAME_CLIENT):
        assert "Ville de Montclair-sur-Vienne" in (built.dossier(slug) / "index.html").read_text()
    assert built.dossier(REFERENCE) != built.dossier(SAME_CLIENT)


def test_no_search_index_spans_two_clients(built):
    indexes = list(built.site.rglob("search_index.json"))
    public = built.site / "search" / "search_index.json"
    assert public in indexes
    for index in indexes:
        text = visible_text(index)
        owners = [client for client, (_, words) in CLIENTS.items() if words[0] in text]
        assert len(owners) <= 1, (index, owners)


def test_robots_keeps_crawlers_off_private_folders(built):
    robots = (built.site / "robots.txt").read_text().splitlines()
    assert "Disallow: /d/" in robots and "Disallow: /c/" in robots


def test_sealed_dossier_holds_no_plaintext(built):
    folder = built.dossier(PROTECTED)
    for path in (p for p in folder.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        for word in CLIENTS["vernillon"][1] + ["Communauté de communes", "Haut-Vernillon"]:
            assert word.encode() not in raw, (path, word)
        if path.suffix == ".html":
            assert "Dossier protégé" in raw.decode()
            assert PASSWORD.encode() not in raw
    assert not list(folder.rglob("search_index.json"))


def _shell(page: Path) -> tuple[bytes, str, bytes, int]:
    html = page.read_text()
    data = json.loads(re.search(r'<script type="application/json" id="amoor-sealed">(.*?)'
                                r'</script>', html, re.S).group(1))
    return (base64.b64decode(data["salt"]), data["name"], base64.b64decode(data["payload"]),
            data["iterations"])


def test_sealed_dossier_opens_with_the_right_password_only(built):
    folder = built.dossier(PROTECTED)
    salt, name, payload, iterations = _shell(folder / "cartographie" / "index.html")
    assert iterations >= 600_000 and name == "cartographie/index.html"
    key = derive_key(PASSWORD, salt, iterations)
    html = unseal(key, name, payload).decode()
    assert "Vernillon" in html and "Cartographie des parties prenantes" in html
    pdf = unseal(key, "dossier.pdf", (folder / "dossier.pdf.enc").read_bytes())
    assert pdf.startswith(b"%PDF")
    with pytest.raises(InvalidTag):
        unseal(derive_key("mauvais-mot-de-passe", salt, iterations), name, payload)


def test_missing_password_variable_fails_the_build(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    monkeypatch.delenv(PASSWORD_ENV)
    result = run("build", "--no-pdf", root=root)
    assert result.code == 1
    assert PASSWORD_ENV in result.err and PROTECTED in result.err
    assert not (root / "site").exists()


def _leak_check(root: Path, edit, *, pdf: bool = False) -> str:
    """Build, make ``edit``, build again: the second build must fail and leave ``site/``."""
    args = ["build", "-q"] + ([] if pdf else ["--no-pdf"])
    assert run(*args, root=root).code == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    edit(root)
    result = run(*args, root=root)
    assert result.code == 1, result.out
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
    return result.err


def _append(root: Path, page: str, text: str) -> None:
    file = root / page
    file.write_text(file.read_text() + "\n" + text + "\n")


def test_privacy_check_stops_a_public_leak_and_keeps_the_previous_site(tmp_path):
    root = copy_project(tmp_path / "p")
    err = _leak_check(root, lambda r: _append(r, "docs/contact.md",
                                              "Référence : Ville de Montclair-sur-Vienne."))
    assert "contact/index.html contient « ville de montclair-sur-vienne »" in err
    assert f"(missions {SAME_CLIENT}, {REFERENCE})" in err


def test_one_clients_name_in_another_clients_dossier_fails(tmp_path):
    root = copy_project(tmp_path / "p")
    err = _leak_check(root, lambda r: _append(
        r, f"missions/{STOPPED}/cartographie.md", "Voir aussi Ville de Montclair-sur-Vienne."))
    assert "cartographie/index.html contient « ville de montclair-sur-vienne »" in err


def test_a_leak_inside_a_password_protected_dossier_fails_too(tmp_path):
    """The check reads the plaintext: sealing must not hide another client's data."""
    root = copy_project(tmp_path / "p")
    assert run("build", "-q", "--no-pdf", root=root).code == 0
    link = json.loads(run("links", "--json", root=root).out)
    other = next(r["url"] for r in link if r["slug"] == STOPPED)
    err = _leak_check(root, lambda r: _append(
        r, f"missions/{PROTECTED}/cartographie.md",
        f"Comme pour le Département du Val-d'Orbière (https://www.amoor.fr/{other})."))
    assert "département du val-d'orbière" in err and "une adresse secrète" in err
    assert f"(mission {STOPPED})" in err


@pytest.mark.parametrize("hidden", ["Mont\u00adclair-sur-Vienne", "Mont&shy;clair-sur-Vienne",
                                    "Montclair\u200b-sur-Vienne", "Ville&nbsp;de "
                                    "<span>Mont</span>clair-sur-Vienne"])
def test_invisible_characters_do_not_hide_a_name(tmp_path, hidden):
    root = copy_project(tmp_path / "p")
    err = _leak_check(root, lambda r: _append(r, "docs/contact.md", f"Ville de {hidden}."
                                              if not hidden.startswith("Ville") else hidden))
    assert "contact/index.html contient « ville de montclair-sur-vienne »" in err


def _pdf(path: Path, *, title: str = "", uri: str = "") -> None:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    if title:
        pdf.docinfo["/Title"] = title
    if uri:
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([0, 0, 10, 10]),
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(uri)))]))
    pdf.save(path)


def test_pdf_metadata_and_links_are_read(tmp_path):
    root = copy_project(tmp_path / "p")
    err = _leak_check(root, lambda r: _pdf(r / "docs" / "annexe.pdf",
                                           title="Dossier de la Ville de Montclair-sur-Vienne"))
    assert "annexe.pdf contient « ville de montclair-sur-vienne »" in err
    root = copy_project(tmp_path / "q")
    assert run("build", "-q", "--no-pdf", root=root).code == 0
    token = json.loads(run("links", "--json", root=root).out)[0]["url"]
    err = _leak_check(root, lambda r: _pdf(r / "docs" / "annexe.pdf",
                                           uri=f"https://www.amoor.fr/{token}"))
    assert "annexe.pdf contient une adresse secrète" in err


def test_an_unreadable_pdf_fails_the_check(tmp_path):
    root = copy_project(tmp_path / "p")
    err = _leak_check(root, lambda r: (r / "docs" / "annexe.pdf").write_bytes(
        b"%PDF-1.7\n" + b"\x00garbage" * 50))
    assert "annexe.pdf" in err and "illisible" in err


def _poppler(path: Path) -> str:
    """The PDF text the check read until it read it with PDFium."""
    import subprocess

    return subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8", "replace")


def test_pdfium_reads_what_pdftotext_read(built, tmp_path):
    """The check reads PDFs with PDFium (no system tool): on every document of the fixture
    build (the protected dossier's before sealing included) and on PDFs hiding a name
    (soft hyphen, zero-width space, a title, a link), it finds the same characters as
    ``pdftotext`` did, in its own order, and so the same fingerprints."""
    from weasyprint import HTML

    from generator.privacy.extract import pdf_objects
    from generator.privacy.extract import pdf_text as check_text
    from generator.privacy.match import normalise

    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for n, body in enumerate(["Ville de Mont&shy;clair-sur-Vienne",
                              "Montclair&#8203;-sur-Vienne, place du Marché",
                              '<a href="https://exemple.fr/Fontbrune">lien</a> Orbi&#xe8;re',
                              "<title>Ravergue</title> Vernillon " + "mot-très-long " * 400]):
        HTML(string=f"<p style='width:3cm; hyphens:auto' lang='fr'>{body}</p>").write_pdf(
            hidden / f"{n}.pdf")
    pdfs = sorted((built.root / ".cache" / "amoor" / "documents").glob("*.pdf"))
    assert len(pdfs) >= 10
    names = [w for _, fingerprints in CLIENTS.values() for w in fingerprints]
    found = set()
    for pdf in [*pdfs, *sorted(hidden.glob("*.pdf"))]:
        old = normalise(_poppler(pdf) + "\n" + pdf_objects(pdf))
        new = normalise(check_text(pdf))
        assert sorted(re.sub(r"\s", "", old)) == sorted(re.sub(r"\s", "", new)), pdf.name
        assert [w for w in names if normalise(w) in old] == \
            [w for w in names if normalise(w) in new], pdf.name
        found |= {w for w in names if normalise(w) in new}
    assert set(names) - found <= {"Tilleuls"}   # every client's words met at least once


def test_the_build_cache_holds_nothing_of_a_protected_dossier_in_clear(built):
    """``.cache/amoor/`` is restored between publishes (a CI cache, readable by whoever can
    run the forge's workflows): every file in it, PDFs, archives and JSON read as text,
    holds none of the protected mission's words, nor its password."""
    _, words = CLIENTS["vernillon"]
    files = [p for p in (built.root / ".cache" / "amoor").rglob("*") if p.is_file()]
    assert len(files) > 50 and any(p.suffix == ".pdf" for p in files)
    for path in files:
        text = visible_text(path) if path.suffix in (".pdf", ".zip", ".pptx", ".gz") else \
            path.read_bytes().decode("utf-8", errors="replace")
        for word in (*words, PASSWORD):
            assert word.casefold() not in text.casefold(), (path, word)


# ------------------------------------------- third audit, finding 3: ordinary variants of a name

def _variants(root: Path) -> None:
    _append(root, "docs/contact.md", "Comme à Montclair sur Vienne.")                 # spaces
    _append(root, f"missions/{REFERENCE}/cartographie.md",
            "Voir le Val\u2011d\u2019Orbière.")                  # U+2011, typographic apostrophe
    _append(root, f"missions/{STOPPED}/parametres.md",
            "Comme la Communaute de communes du Haut\u2013Vernillon.")    # no accent, en dash
    _append(root, f"missions/{PROTECTED}/cartographie.md",
            "Comme à M\u043entclair-sur-Vienne.")                          # Cyrillic о
    _append(root, "docs/index.md", "Écrire au 10 quai de l\u2019Orbière.")  # the address


def test_ordinary_variants_of_another_clients_name_are_found(tmp_path):
    root = copy_project(tmp_path / "p")
    err = _leak_check(root, _variants)
    lines = err.splitlines()
    for where in ("contact/index.html", "cartographie/index.html", "parametres/index.html",
                  "index.html contient"):
        assert any(where in line for line in lines), (where, err)
    assert sum("contient" in line for line in lines) >= 5, err
    assert f"(mission {STOPPED})" in err and f"(mission {PROTECTED})" in err


def test_one_folding_for_every_writing_of_a_name():
    from generator.text.folding import fold, fold_words

    same = ["Ville de Montclair-sur-Vienne", "VILLE DE MONTCLAIR SUR VIENNE",
            "Ville de Montclair\u2011sur\u2013Vienne", "Ville de M\u043entclair-sur-Vienne",
            "Ville de Mont-\nclair-sur-\nVienne", "Ville\u00a0de Mont\u00adclair—sur—Vienne",
            "ＶＩＬＬＥ de Montclair-sur-Vienne", "Vílle de Montclaír-sur-Viénne"]
    assert {fold(s) for s in same} == {"villedemontclairsurvienne"}
    assert fold("Val-d\u2019Orbière") == fold("Val-d'Orbiere") == fold("VAL D ORBIÈRE")
    assert fold("Communauté") == fold("Communaute") == fold("COMMUNAUTÉ")
    assert fold("\u039c\u03bfntclair") == fold("Montclair")         # Greek Μ, ο
    assert fold_words("Ville de Montclair–sur-Vienne") == "ville-de-montclair-sur-vienne"
    # the client key of a client without id: the same as before for ordinary names
    from generator.text.fmt import slugify
    for name in ("Ville de Montclair-sur-Vienne", "Département du Val-d'Orbière",
                 "Communauté de communes du Haut-Vernillon"):
        assert fold_words(name) == slugify(name)


def test_a_leak_is_reported_by_mission_slug_never_by_private_address(tmp_path):
    """Third audit, finding 9: the message goes to CI logs; it names the dossier by its
    slug and never prints the secret folder ``d/<token>/`` or ``c/<token>/``."""
    root = copy_project(tmp_path / "p")
    err = _leak_check(root, lambda r: _append(
        r, f"missions/{REFERENCE}/cartographie.md", "Comme le Département du Val-d'Orbière."))
    assert f"{REFERENCE} : cartographie/index.html contient « département du val-d'orbière »" \
        in err, err
    assert not re.search(r"\b[dc]/[a-z2-7]{32}\b", err), err
