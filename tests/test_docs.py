"""The documentation a user is sent to exists in the repository and describes what the code does."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.test_cli import ARTICLE, run

ROOT = Path(__file__).resolve().parent.parent


def test_every_file_the_readme_points_to_is_in_the_repository():
    readme = (ROOT / "README.md").read_text()
    targets = set(re.findall(r"\]\(([^)#\s]+)", readme)) | set(re.findall(r"`((?:\.\./)?[\w./-]+\.md)`", readme))
    assert "docs/export.md" in targets and "docs/architecture.md" in targets
    for target in targets:
        if "://" in target:
            continue
        path = (ROOT / target).resolve()
        assert path.is_file(), f"README points to {target}, which is not a file"
        assert ROOT in path.parents, f"README points outside the repository: {target}"


def test_the_export_contract_names_every_field_the_export_writes(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE.format(title="Brask ready for talks", topic="the corridor"))
    db = tmp_path / "p.db"
    assert run(db, "ingest", str(tmp_path / "a.txt"), "-q").returncode == 0
    exported = json.loads(run(db, "export").stdout)
    contract = (ROOT / "docs" / "export.md").read_text()
    assert f'"parallax_export": {exported["parallax_export"]}' in contract
    for section, records in exported.items():
        if section == "parallax_export":
            continue
        assert f"### {section}" in contract, section
        for record in records:
            for field, value in record.items():
                assert f"`{field}`" in contract, (section, field)
                if isinstance(value, dict):
                    for inner in value:
                        assert f"`{inner}`" in contract or f'"{inner}"' in contract, (section, field, inner)
