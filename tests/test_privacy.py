"""Nothing of a dossier outside its own folder; sealed dossiers hold no plaintext."""

from __future__ import annotations

import base64
import gzip
import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from conftest import PASSWORD, PROTECTED, copy_project, pdf_text, run
from generator.crypt import derive_key, unseal

#: Words that each appear in one mission only (and nowhere public).
CANARIES = {
    "montclair-place-du-marche": ["Montclair", "place du Marché", "Commerçants non sédentaires"],
    "cc-haut-vernillon-mobilites": ["Vernillon", "Fontbrune"],
    "val-d-orbiere-pont-de-ravergue": ["Orbière", "Ravergue"],
}


def visible_text(path: Path) -> str:
    """What a visitor or crawler can read in a file."""
    if path.suffix == ".pdf":
        return pdf_text(path)
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        text = text.encode().decode("unicode_escape", errors="replace")
    return text


def files_outside(site: Path, folder: str | None) -> list[Path]:
    return [p for p in site.rglob("*") if p.is_file() and not p.name.endswith(".enc")
            and (folder is None or not p.relative_to(site).as_posix().startswith(folder))]


def test_no_canary_in_any_public_file(built):
    public = [p for p in built.site.rglob("*")
              if p.is_file() and not p.relative_to(built.site).as_posix().startswith("d/")]
    kinds = {p.suffix for p in public}
    assert {".html", ".json", ".xml", ".gz", ".pdf"} <= kinds
    tokens = [r["url"].split("/")[1] for r in built.links]
    for path in public:
        text = visible_text(path)
        for slug, words in CANARIES.items():
            for word in [slug, *words]:
                assert word.lower() not in text.lower(), (path, word)
        for token in tokens:
            assert token not in text, path


def test_no_dossier_contains_another_clients_text(built):
    for row in built.links:
        folder = built.site / row["url"]
        for path in (p for p in folder.rglob("*") if p.is_file() and p.suffix != ".enc"):
            text = visible_text(path).lower()
            for slug, words in CANARIES.items():
                if slug == row["slug"]:
                    continue
                for word in words:
                    assert word.lower() not in text, (path, word)


def test_no_search_index_spans_two_clients(built):
    indexes = list(built.site.rglob("search_index.json"))
    public = built.site / "search" / "search_index.json"
    assert public in indexes
    for index in indexes:
        text = visible_text(index)
        owners = [slug for slug, words in CANARIES.items() if words[0] in text]
        assert len(owners) <= 1, (index, owners)


def test_sealed_dossier_holds_no_plaintext(built):
    folder = built.dossier(PROTECTED)
    for path in (p for p in folder.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        for word in CANARIES[PROTECTED] + ["Communauté de communes", "Haut-Vernillon"]:
            assert word.encode() not in raw, (path, word)
        if path.suffix == ".html":
            assert "Dossier protégé" in raw.decode()
            assert PASSWORD.encode() not in raw
    assert not list(folder.rglob("search_index.json"))


def _shell(page: Path) -> tuple[bytes, str, bytes, int]:
    html = page.read_text()
    get = lambda name: re.search(rf'var {name} = "?([^";]+)"?;', html).group(1)  # noqa: E731
    return (base64.b64decode(get("SALT")), get("NAME"), base64.b64decode(get("PAYLOAD")),
            int(get("ITERATIONS")))


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
    monkeypatch.delenv("AMOOR_MDP_VERNILLON")
    result = run("build", "--no-pdf", root=root)
    assert result.code == 1
    assert "AMOOR_MDP_VERNILLON" in result.err and "cc-haut-vernillon-mobilites" in result.err
    assert not (root / "site").exists()


def test_privacy_check_stops_a_leak_and_keeps_the_previous_site(tmp_path):
    root = copy_project(tmp_path / "p")
    assert run("build", "--no-pdf", "-q", root=root).code == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    contact = root / "docs" / "contact.md"
    contact.write_text(contact.read_text() + "\nRéférence : Ville de Montclair-sur-Vienne.\n")
    result = run("build", "--no-pdf", "-q", root=root)
    assert result.code == 1
    assert "contact/index.html contient « ville de montclair-sur-vienne »" in result.err
    assert "dossier montclair-place-du-marche" in result.err
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
