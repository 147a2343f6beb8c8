"""Golden files (Pelican's way): the Markdown and files generated for the fixture project,
compared byte for byte with ``tests/golden/``, without running MkDocs.

After a deliberate change of a template or a computation: ``make golden`` rewrites
them, and the diff shows the change to review.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE, SECRET
from generator.build.pipeline import make_dossiers, read_catalog
from generator.content.project import Project
from generator.dossier.contents import page_url, url_root
from generator.dossier.offer_page import offer_markdown
from generator.protection.keys import Keys

GOLDEN = Path(__file__).parent / "golden"


def generated() -> dict[str, bytes]:
    project = Project(FIXTURE)
    catalog = read_catalog(project)
    assert not catalog.diagnostics
    files: dict[str, bytes] = {}
    for source in catalog.offers.values():
        src_uri = (FIXTURE / source.path).relative_to(project.docs_dir).as_posix()
        markdown = offer_markdown(source.offer, source.body,
                                  root=url_root(page_url(src_uri)),
                                  brochure=project.options.brochure_name)
        files[f"public/{src_uri}"] = markdown.encode()
    for dossier in make_dossiers(catalog, Keys(SECRET.encode())):
        for page in dossier.pages:
            files[f"dossiers/{dossier.slug}/{page.src_uri}"] = page.markdown.encode()
        for attachment in dossier.attachments:
            files[f"dossiers/{dossier.slug}/{attachment.name}"] = attachment.data
    return files


FILES = generated()


def test_update_golden(request):
    if not request.config.getoption("--update-golden"):
        pytest.skip("make golden (--update-golden) rewrites tests/golden/")
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, data in FILES.items():
        (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
        (GOLDEN / name).write_bytes(data)
    (GOLDEN / ".gitattributes").write_text("* -text\n")


def test_no_golden_file_is_missing_or_stale():
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*")
               if p.is_file() and p.name != ".gitattributes"}
    assert on_disk == set(FILES), "make golden, then review the diff"


@pytest.mark.parametrize("name", sorted(FILES))
def test_generated_file_matches_golden(name, request):
    if request.config.getoption("--update-golden"):
        pytest.skip("rewritten")
    expected = (GOLDEN / name).read_bytes()
    if FILES[name] != expected:
        diff = difflib.unified_diff(expected.decode().splitlines(),
                                    FILES[name].decode().splitlines(), "golden", "généré",
                                    lineterm="", n=1)
        pytest.fail(f"{name} a changé (make golden s'il le faut) :\n" + "\n".join(diff))
