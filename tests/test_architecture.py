"""The shape of the code: one engine boundary, Material's markup unknown to the core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
ENGINE = PACKAGE / "engine"
FRAMEWORKS = ("mkdocs", "material")


def imported(file: Path) -> set[str]:
    tree = ast.parse(file.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_engine_imports_mkdocs_or_material():
    core = [f for f in PACKAGE.rglob("*.py") if ENGINE not in f.parents]
    assert len(core) > 20
    offenders = {f.relative_to(PACKAGE).as_posix(): sorted(imported(f) & set(FRAMEWORKS))
                 for f in core if imported(f) & set(FRAMEWORKS)}
    assert offenders == {}
    assert any(imported(f) & set(FRAMEWORKS) for f in ENGINE.rglob("*.py"))


def test_the_core_does_not_parse_materials_markup():
    for file in (f for f in PACKAGE.rglob("*.py") if ENGINE not in f.parents):
        text = file.read_text(encoding="utf-8")
        for material_class in ("md-content", "md-typeset", "md-nav", "md-sidebar"):
            assert material_class not in text, (file.name, material_class)


def test_the_core_imports_without_mkdocs_installed(monkeypatch):
    """The core (read, validate, compute, render, export as Markdown) works on its own."""
    import importlib
    import sys

    for name in [n for n in sys.modules if n.startswith(("generator", "mkdocs", "material"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "mkdocs", None)
    for module in ("generator.content.reader", "generator.dossier.dossier",
                   "generator.documents.pdf", "generator.privacy.check",
                   "generator.protection.seal", "generator.content.project",
                   "generator.dossier.summary"):
        importlib.import_module(module)


def test_the_rooms_import_downwards_only():
    """The import contracts of pyproject.toml (rooms in layers, only the engine knows
    MkDocs, the engine knows neither click nor the build, no circle), as ``make lint``
    checks them."""
    import subprocess
    import sys

    pytest.importorskip("importlinter.cli")
    # A process of its own: import-linter configures logging with dictConfig, which
    # disables every logger that exists (MkDocs' and the plugin's: a strict build in a
    # later test would no longer see the warnings that must stop it).
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache",
                           "--config", str(PACKAGE.parent / "pyproject.toml")],
                          capture_output=True, text=True, cwd=PACKAGE.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 4 kept, 0 broken." in done.stdout


def test_every_kind_of_document_has_its_maker():
    """No kind falls through to another kind's document: the registry names each one."""
    from generator.build.pipeline import MAKERS
    from generator.dossier.contents import DOCUMENTS, DocumentKind, dossier_documents

    assert set(MAKERS) == set(DocumentKind) - {DocumentKind.ZIP}
    # The workshop's grids and the invoices: only in the dossiers that have them.
    every = dossier_documents(workshop=True, invoices=(("F-2026-0001", "Facture"),))
    assert {d.kind for d in every} == set(DocumentKind)
    assert [d.name for d in DOCUMENTS if not d.rendered] == ["dossier-complet.zip"]
