"""Client access over time: portals, revocation, expiry, download-all, acceptance by mail."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import (
    PASSWORD,
    PROTECTED,
    REFERENCE,
    SAME_CLIENT,
    STOPPED,
    copy_project,
    pdf_text,
    run,
    words,
)
from generator.protection.revoke import raise_revision
from generator.protection.seal import derive_key, unseal
from pages import read, targets

#: Words that each appear in one client's missions only.
WORDS = {"montclair": ["Montclair", "Marché", "Tilleuls"],
         "vernillon": ["Vernillon", "mobilité"],
         "orbiere": ["Orbière", "Ravergue"]}
CLIENT = {REFERENCE: "montclair", SAME_CLIENT: "montclair", PROTECTED: "vernillon",
          STOPPED: "orbiere"}
DOCUMENTS = ["dossier.pdf", "cahier-des-charges.pdf", "presentation.pdf", "presentation.pptx",
             "devis.pdf", "agenda.ics"]


def rows(built) -> dict[str, dict]:
    return {r["slug"]: r for r in built.links}


def portal_file(site: Path, row: dict) -> Path:
    return site / row["portail"] / "index.html"


def links_json(root: Path, *args: str) -> dict[str, dict]:
    result = run(*args, "links", "--json", root=root)
    assert result.code == 0, result.err
    return {r["slug"]: r for r in json.loads(result.out)}


def set_access(root: Path, slug: str, line: str) -> Path:
    """A line added under ``acces:`` of a fixture mission."""
    file = root / "missions" / slug / "mission.yml"
    text = file.read_text()
    file.write_text(text.replace("\nacces:\n", f"\nacces:\n  {line}\n", 1))
    return file


# ---------------------------------------------------------------------------- the portal

def test_every_client_has_one_portal_and_its_dossiers_share_it(built):
    by_slug = rows(built)
    assert by_slug[REFERENCE]["portail"] == by_slug[SAME_CLIENT]["portail"]
    portals = {r["portail"] for r in built.links}
    assert len(portals) == 3
    for portal in portals:
        assert re.fullmatch(r"c/[a-z2-7]{32}/", portal)
        assert (built.site / portal / "index.html").is_file()
    assert {p.name for p in (built.site / "c").iterdir()} == {p[2:-1] for p in portals}


def test_a_portal_lists_exactly_its_clients_dossiers_newest_first(built):
    by_slug = rows(built)
    file = portal_file(built.site, by_slug[REFERENCE])
    doc = read(file)
    assert doc.meta["robots"].startswith("noindex, nofollow")
    assert doc.meta["referrer"] == "no-referrer"
    assert [h.rstrip("¶ ") for h in doc.h1] == ["Espace client — Ville de Montclair-sur-Vienne"]
    assert "Espace client confidentiel — Ville de Montclair-sur-Vienne" in words(doc.text)
    dossiers = [t for t in targets(built.site, file, doc) if t.startswith("d/")]
    # Newest first: the school (from January 2027) before the square (September 2026).
    assert list(dict.fromkeys(dossiers)) == [by_slug[SAME_CLIENT]["url"],
                                              by_slug[REFERENCE]["url"]]
    text = words(doc.text)
    assert "Rénovation de l'école des Tilleuls Proposition 11 janvier 2027" in text
    assert "Réaménagement de la place du Marché En cours 7 septembre 2026 – 27 novembre 2026" \
        in text
    html = file.read_text()
    for slug, row in by_slug.items():
        if CLIENT[slug] != "montclair":
            assert row["url"].split("/")[1] not in html and row["portail"][2:-1] not in html
            assert not any(w in doc.text for w in WORDS[CLIENT[slug]]), slug


def test_a_portal_is_in_no_sitemap_search_index_or_public_page(built):
    tokens = [r["portail"].split("/")[1] for r in built.links]
    for path in built.site.rglob("*"):
        rel = path.relative_to(built.site).as_posix()
        if path.is_file() and not rel.startswith(("d/", "c/")) and path.suffix != ".pdf":
            data = path.read_bytes()
            if path.suffix == ".gz":
                import gzip
                data = gzip.decompress(data)
            assert not any(t.encode() in data for t in tokens), rel
    for portal in {r["portail"] for r in built.links}:
        folder = built.site / portal
        assert not list(folder.rglob("search_index.json"))
        assert not list(folder.rglob("sitemap.xml*"))


def test_each_dossier_links_back_to_its_portal_when_the_client_has_several(built):
    by_slug = rows(built)
    for slug in (REFERENCE, SAME_CLIENT):
        file = built.dossier(slug) / "index.html"
        linked = targets(built.site, file, read(file))
        assert by_slug[slug]["portail"] in linked
    for slug in (STOPPED,):
        html = (built.dossier(slug) / "index.html").read_text()
        assert "espace client" not in html and "/c/" not in html and "../c/" not in html


def test_a_portal_sealed_with_the_shared_password_holds_no_plaintext(built):
    row = rows(built)[PROTECTED]
    file = portal_file(built.site, row)
    raw = file.read_text()
    assert "Espace client protégé" in raw
    for word in ["Vernillon", "mobilité", "Communauté", row["url"]]:
        assert word not in raw
    data = json.loads(re.search(r'id="amoor-sealed">(.*?)</script>', raw, re.S).group(1))
    import base64
    salt = base64.b64decode(data["salt"])
    html = unseal(derive_key(PASSWORD, salt, data["iterations"]), data["name"],
                  base64.b64decode(data["payload"])).decode()
    assert "Plan de mobilité simplifié du Haut-Vernillon" in html and row["url"] in html


def _own_portal(tmp_path: Path, monkeypatch, passwords: dict[str, str]) -> tuple[Path, dict]:
    """The fixture with the Montclair dossiers protected as given, built without PDFs."""
    root = copy_project(tmp_path / "p")
    for slug, password in passwords.items():
        env = f"AMOOR_TEST_MDP_{slug.upper().replace('-', '_')}"
        file = root / "missions" / slug / "mission.yml"
        file.write_text(file.read_text().replace("mot_de_passe_env: null",
                                                 f"mot_de_passe_env: {env}", 1))
        monkeypatch.setenv(env, password)
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 0, result.err
    return root, links_json(root)


def test_an_open_portal_shows_a_protected_dossier_without_its_secrets(tmp_path, monkeypatch):
    root, by_slug = _own_portal(tmp_path, monkeypatch, {SAME_CLIENT: "tilleuls-mot-de-passe"})
    file = portal_file(root / "site", by_slug[REFERENCE])
    doc = read(file)
    text = words(doc.text)
    assert "Réaménagement de la place du Marché" in text           # the open one
    assert "Dossier protégé mot de passe — Document du" in text
    assert "Tilleuls" not in file.read_text() and "Proposition" not in text
    assert by_slug[SAME_CLIENT]["url"] in targets(root / "site", file, doc)


def test_a_portal_of_protected_dossiers_with_two_passwords_stays_anonymous(tmp_path,
                                                                          monkeypatch):
    root, by_slug = _own_portal(tmp_path, monkeypatch, {SAME_CLIENT: "tilleuls-mot-de-passe",
                                                        REFERENCE: "marche-mot-de-passe"})
    raw = portal_file(root / "site", by_slug[REFERENCE]).read_text()
    assert "Montclair" not in raw and "Tilleuls" not in raw and "Marché" not in raw
    assert raw.count("Dossier protégé") == 2 and "<h1" in raw and "Espace client" in raw


# ---------------------------------------------------------------------------- revocation

def test_revoke_gives_a_new_link_and_the_next_publish_withdraws_the_old(tmp_path):
    root = copy_project(tmp_path / "p")
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    old = links_json(root)[REFERENCE]["url"]
    assert (root / "site" / old / "index.html").is_file()
    file = root / "missions" / REFERENCE / "mission.yml"
    before = file.read_text()

    result = run("revoke", REFERENCE, root=root)
    assert result.code == 0, result.err
    new = links_json(root)[REFERENCE]["url"]
    assert new != old and f"Nouveau lien : https://www.amoor.fr/{new}" in result.out
    after = file.read_text()
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["  revision: 2  # nouveau lien (amoor revoke)"]
    assert "# name of an environment variable holding the dossier password" in after

    assert run("build", "--no-pdf", "-q", root=root).code == 0
    assert not (root / "site" / old).exists()
    assert (root / "site" / new / "index.html").is_file()
    portal = portal_file(root / "site", links_json(root)[REFERENCE]).read_text()
    assert new in portal and old not in portal
    # Other dossiers keep their links.
    assert run("revoke", REFERENCE, root=root).code == 0
    assert "  revision: 3  # nouveau lien (amoor revoke)" in file.read_text()


def test_revoke_an_unknown_or_broken_mission_is_refused(tmp_path):
    root = copy_project(tmp_path / "p")
    unknown = run("revoke", "inconnue", root=root)
    assert unknown.code == 1 and "mission inconnue" in unknown.err
    file = root / "missions" / REFERENCE / "mission.yml"
    file.write_text(file.read_text().replace("statut: en-cours", "statut: peut-etre", 1))
    broken = run("revoke", REFERENCE, root=root)
    assert broken.code == 1 and "statut" in broken.err and "Traceback" not in broken.err
    assert "revision" not in file.read_text()


def test_revoke_with_another_mission_broken_still_gives_the_dossier_link(tmp_path):
    """The portal's address needs every mission of the client: with another mission in
    error, revoke still revokes and gives the dossier's link, and says how to get the
    portal's."""
    root = copy_project(tmp_path / "p")
    other = root / "missions" / PROTECTED / "mission.yml"
    other.write_text(other.read_text().replace("statut: ", "statut: peut-etre-", 1))
    result = run("revoke", REFERENCE, root=root)
    assert result.code == 0, result.err
    assert "Nouveau lien : https://www.amoor.fr/d/" in result.out
    assert "« amoor links », une fois les autres missions corrigées" in result.out
    assert "revision: 2" in (root / "missions" / REFERENCE / "mission.yml").read_text()


@pytest.mark.parametrize(("text", "expected"), [
    ("titre: T\n", "titre: T\nacces:\n  revision: 2  # nouveau lien (amoor revoke)\n"),
    ("titre: T", "titre: T\nacces:\n  revision: 2  # nouveau lien (amoor revoke)\n"),
    ("acces:\n    mot_de_passe_env: null  # garder\ntitre: T\n",
     "acces:\n    revision: 2  # nouveau lien (amoor revoke)\n"
     "    mot_de_passe_env: null  # garder\ntitre: T\n"),
    ("acces: {mot_de_passe_env: null}\n", "acces: {revision: 2, mot_de_passe_env: null}\n"),
    ("acces:\n  revision: 9   # troisième envoi\n", "acces:\n  revision: 10   # troisième envoi\n"),
    ("acces:\r\n  revision: 1\r\n", "acces:\r\n  revision: 2\r\n"),
])
def test_raise_revision_edits_the_file_where_the_key_is(tmp_path, text, expected):
    file = tmp_path / "mission.yml"
    file.write_bytes(text.encode())
    raise_revision(file, "mission.yml")
    assert file.read_bytes().decode() == expected


# -------------------------------------------------------------------------------- expiry

def test_an_expired_dossier_is_gone_from_the_site_its_portal_and_links(tmp_path):
    root = copy_project(tmp_path / "p")
    set_access(root, REFERENCE, "expire_le: 2027-03-01")
    before = run("--date", "2027-02-28", "build", "--no-pdf", "-q", root=root)
    assert before.code == 0, before.err
    url = links_json(root, "--date", "2027-02-28")[REFERENCE]["url"]
    assert (root / "site" / url / "index.html").is_file()

    result = run("--date", "2027-03-01", "build", "--no-pdf", "-q", root=root)
    assert result.code == 0, result.err
    assert "accès expiré le 1er mars 2027, dossier non publié" in result.err
    site = root / "site"
    assert not (site / url).exists()
    assert not any(url.split("/")[1] in p.read_text(errors="replace")
                   for p in site.rglob("*.html"))
    by_slug = links_json(root, "--date", "2027-03-01")
    assert by_slug[REFERENCE]["expire"] is True and by_slug[REFERENCE]["url"] is None
    assert by_slug[REFERENCE]["expire_le"] == "2027-03-01"
    portal = portal_file(site, by_slug[SAME_CLIENT]).read_text()
    assert "Tilleuls" in portal and "Marché" not in portal
    # The one dossier left no longer points to a portal of one.
    assert "espace client" not in (site / by_slug[SAME_CLIENT]["url"] / "index.html").read_text()
    text = run("--date", "2027-03-01", "links", root=root).out
    line = next(li for li in text.splitlines() if li.startswith(REFERENCE))
    assert "accès expiré le 1er mars 2027" in line and "/d/" not in line


def test_the_build_date_comes_from_source_date_epoch_in_paris(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    set_access(root, STOPPED, "expire_le: 2027-03-01")
    # 23:30 UTC on 28 February is already 1 March in Paris.
    moment = dt.datetime(2027, 2, 28, 23, 30, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 0, result.err
    assert links_json(root)[STOPPED]["expire"] is True
    assert "accès expiré" in result.err


def test_check_warns_two_weeks_before_expiry(tmp_path):
    root = copy_project(tmp_path / "p")
    file = set_access(root, REFERENCE, "expire_le: 2027-03-01")
    line = file.read_text().splitlines().index("  expire_le: 2027-03-01") + 1
    quiet = run("--date", "2027-02-14", "check", root=root)
    assert quiet.code == 0 and "expire" not in quiet.err
    warned = run("--date", "2027-02-15", "check", root=root)
    assert warned.code == 0
    assert (f"missions/{REFERENCE}/mission.yml:{line}: attention : acces.expire_le: l'accès "
            "expire le 1er mars 2027, dans 14 jours") in warned.err
    gone = run("--date", "2027-03-02", "check", root=root)
    assert "accès expiré depuis le 1er mars 2027" in gone.err


def test_a_bad_expiry_date_is_located(tmp_path):
    root = copy_project(tmp_path / "p")
    file = set_access(root, REFERENCE, "expire_le: le 3 mars")
    result = run("check", root=root)
    line = file.read_text().splitlines().index("  expire_le: le 3 mars") + 1
    assert result.code == 1 and f"mission.yml:{line}" in result.err
    assert "acces.expire_le" in result.err and "Traceback" not in result.err


# -------------------------------------------------------------------------- download all

def test_the_zip_holds_every_document_and_the_agenda_with_a_readme(built):
    folder = built.dossier(REFERENCE)
    archive = zipfile.ZipFile(folder / "dossier-complet.zip")
    assert archive.namelist() == ["LISEZMOI.txt", *DOCUMENTS[:-1], "atelier-grilles.pdf",
                                  "agenda.ics", "atelier-roi-citoyen.html"]
    for name in DOCUMENTS:
        assert archive.read(name) == (folder / name).read_bytes(), name
    readme = archive.read("LISEZMOI.txt").decode()
    url = rows(built)[REFERENCE]["url"]
    for expected in ("Réaménagement de la place du Marché", "Ville de Montclair-sur-Vienne",
                     "Document du 27 novembre 2026", f"https://www.amoor.fr/{url}",
                     "dossier.pdf : Dossier de mission", "agenda.ics : "):
        assert expected in readme
    html = (folder / "index.html").read_text()
    assert 'href="dossier-complet.zip"' in html


def test_the_zip_is_byte_identical_in_another_build(built, tmp_path):
    """Another project folder, another cache: the same bytes."""
    root = copy_project(tmp_path / "p", missions=False)
    import shutil
    shutil.copytree(built.root / "missions" / STOPPED, root / "missions" / STOPPED)
    assert run("build", "-q", root=root).code == 0
    url = rows(built)[STOPPED]["url"]
    assert (root / "site" / url / "dossier-complet.zip").read_bytes() == \
        (built.site / url / "dossier-complet.zip").read_bytes()
    infos = zipfile.ZipFile(built.site / url / "dossier-complet.zip").infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_a_protected_dossiers_zip_is_sealed(built):
    folder = built.dossier(PROTECTED)
    assert not (folder / "dossier-complet.zip").exists()
    blob = (folder / "dossier-complet.zip.enc").read_bytes()
    import base64
    data = json.loads(re.search(r'id="amoor-sealed">(.*?)</script>',
                                (folder / "index.html").read_text(), re.S).group(1))
    key = derive_key(PASSWORD, base64.b64decode(data["salt"]), data["iterations"])
    archive = zipfile.ZipFile(io.BytesIO(unseal(key, "dossier-complet.zip", blob)))
    assert archive.namelist() == ["LISEZMOI.txt", *DOCUMENTS[:-1], "atelier-grilles.pdf",
                                  "agenda.ics", "atelier-roi-citoyen.html"]
    assert "Plan de mobilité simplifié du Haut-Vernillon" in pdf_text_of(archive, "devis.pdf",
                                                                         folder.parent)


def pdf_text_of(archive: zipfile.ZipFile, name: str, tmp: Path) -> str:
    file = tmp / f"extrait-{name}"
    file.write_bytes(archive.read(name))
    try:
        return pdf_text(file)
    finally:
        file.unlink()


# ------------------------------------------------------------------- acceptance and feedback

def _mailtos(html: str, label: str) -> list[dict]:
    found = []
    for href, text in re.findall(r'<a [^>]*href="(mailto:[^"]+)"[^>]*>(.*?)</a>', html):
        if text == label:
            parts = urlsplit(href.replace("&amp;", "&"))
            query = parse_qs(parts.query, strict_parsing=True)
            assert set(query) == {"subject", "body"}
            found.append({"to": unquote(parts.path), "subject": query["subject"][0],
                          "body": query["body"][0]})
    return found


def test_a_proposal_is_accepted_by_a_mail_carrying_its_figures(built):
    html = (built.dossier(SAME_CLIENT) / "proposition-financiere" / "index.html").read_text()
    [mail] = _mailtos(html, "Accepter la proposition")
    shown = json.loads(run("show", SAME_CLIENT, "--json", root=built.root).out)["prix"]
    assert shown["total_ht"] == "6250.00" and shown["total_ttc"] == "7500.00"
    assert mail["to"] == "contact@exemple.invalid"
    assert mail["subject"] == "Acceptation de la proposition — Rénovation de l'école des Tilleuls"
    body = words(mail["body"])
    assert "6 250 € HT, soit 7 500 € TTC" in body
    number = re.search(r"DEV-\d{8}-[0-9A-F]{4}", body).group(0)
    devis = words(pdf_text(built.dossier(SAME_CLIENT) / "devis.pdf"))
    assert number in devis and "Ville de Montclair-sur-Vienne" in body
    assert "\r\n" in mail["body"]
    # Not on a mission already under way.
    running = (built.dossier(REFERENCE) / "proposition-financiere" / "index.html").read_text()
    assert not _mailtos(running, "Accepter la proposition")


def test_each_delivered_deliverable_offers_feedback_by_mail(built):
    html = (built.dossier(REFERENCE) / "index.html").read_text()
    mails = _mailtos(html, "Faire un retour sur ce livrable")
    assert [m["subject"].split("« ")[1].split(" »")[0] for m in mails] == [
        "Cartographie des parties prenantes", "Paramètres de la concertation",
        "Scénarios de concertation"]
    assert all("Réaménagement de la place du Marché" in m["body"] for m in mails)
    assert not _mailtos((built.dossier(SAME_CLIENT) / "index.html").read_text(),
                        "Faire un retour sur ce livrable")


def test_printed_documents_carry_no_portal_link_nor_mail_buttons(built):
    """A PDF gets forwarded: it must not open the client's other dossiers."""
    from generator.privacy.extract import pdf_objects

    portal = rows(built)[REFERENCE]["portail"].split("/")[1]
    for name in ("dossier.pdf", "cahier-des-charges.pdf", "presentation.pdf", "devis.pdf"):
        seen = pdf_objects(built.dossier(REFERENCE) / name) + \
            pdf_text(built.dossier(REFERENCE) / name)
        assert portal not in seen and "mailto:" not in seen, name
        assert "espace client" not in seen and "Faire un retour" not in seen, name


def test_revoke_also_gives_the_clients_portal_a_new_address(tmp_path):
    """Third audit, finding 2: whoever kept the old link of one of a client's dossiers
    knew its portal, which lists the new link: revoking gives the portal a new address,
    the old portal folder is gone at the next publish, every dossier links the new one."""
    root = copy_project(tmp_path / "p")
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    before = links_json(root)
    old_portal = before[REFERENCE]["portail"]
    assert old_portal and before[SAME_CLIENT]["portail"] == old_portal
    assert (root / "site" / old_portal / "index.html").is_file()
    other_client = before[PROTECTED]["portail"]

    revoked = run("revoke", REFERENCE, root=root)
    assert revoked.code == 0
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    after = links_json(root)
    new_portal = after[REFERENCE]["portail"]
    assert new_portal and new_portal != old_portal
    assert f"Nouvel espace client : https://www.amoor.fr/{new_portal}" in revoked.out
    assert after[SAME_CLIENT]["portail"] == new_portal
    assert not (root / "site" / old_portal).exists()
    assert (root / "site" / new_portal / "index.html").is_file()
    for slug in (REFERENCE, SAME_CLIENT):
        page = (root / "site" / after[slug]["url"] / "index.html").read_text()
        assert new_portal.split("/")[1] in page and old_portal.split("/")[1] not in page
    # another client's portal keeps its address
    assert after[PROTECTED]["portail"] == other_client


def test_two_clients_whose_names_fold_together_are_not_merged_silently(tmp_path):
    """Third audit, finding 10: same name once folded, another address: one portal would
    show each the other's titles and links. An error; different ids, a warning."""
    root = copy_project(tmp_path / "p")
    file = root / "missions" / REFERENCE / "mission.yml"
    original = file.read_text()
    file.write_text(original.replace("  nom: Ville de Montclair-sur-Vienne\n",
                                     "  nom: VILLE DE MONTCLAIR SUR VIENNE\n"
                                     "  adresse: 3 rue Haute, 87000 Montclair\n", 1))
    result = run("check", root=root)
    assert result.code == 1
    assert f"missions/{REFERENCE}/mission.yml" in result.err and "client.adresse" in result.err
    assert SAME_CLIENT in result.err
    assert run("build", "--no-pdf", "-q", root=root).code == 1

    file.write_text(original.replace("  nom: Ville de Montclair-sur-Vienne\n",
                                     "  nom: Ville de Montclair sur Vienne\n"
                                     "  id: montclair-bis\n", 1))
    result = run("check", root=root)
    assert result.code == 0, result.err
    assert "attention" in result.err and "client.id" in result.err and SAME_CLIENT in result.err

    file.write_text(original.replace("  nom: Ville de Montclair-sur-Vienne\n",
                                     "  nom: Ville de Montclairsur Vienne\n", 1))
    result = run("check", root=root)
    assert result.code == 0, result.err
    assert "attention" in result.err and "client.nom" in result.err and SAME_CLIENT in result.err


@pytest.mark.parametrize("value", ["-1", "0", "86400", "99999999999"])
def test_a_source_date_epoch_out_of_range_is_refused(tmp_path, monkeypatch, value):
    """Third audit, finding 13: -1 (or 1970, or year 5138) silently froze expiry."""
    root = copy_project(tmp_path / "p")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 1
    assert "SOURCE_DATE_EPOCH" in result.err and value in result.err
    assert not (root / "site").exists()


def test_build_says_when_expiry_follows_source_date_epoch(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "p")
    quiet = run("build", "--no-pdf", "-q", root=root)
    assert quiet.code == 0 and "SOURCE_DATE_EPOCH" not in quiet.err
    moment = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 0, result.err
    assert "SOURCE_DATE_EPOCH" in result.err and "1er mars 2026" in result.err
