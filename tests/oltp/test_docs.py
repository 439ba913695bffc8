"""Documents generated from or copied beside the models stay current."""

from __future__ import annotations

import pytest

from oltp.erd import expected_files
from tests.conftest import REPO_ROOT


def test_entity_relationship_diagrams_are_current():
    stale = [str(path.relative_to(REPO_ROOT)) for path, content in expected_files().items()
             if not path.exists() or path.read_text() != content]  # fmt: skip
    assert stale == [], "run `python -m oltp.erd` and commit docs/erd/"


def test_every_table_appears_in_exactly_one_diagram():
    from oltp.models import metadata

    diagrams = [content for path, content in expected_files().items() if path.name != "README.md"]
    for table in metadata.tables.values():
        assert sum(f"    {table.name} {{" in content for content in diagrams) == 1, table.name


def test_target_schema_copy_matches_the_users_document():
    original = REPO_ROOT.parent / "shared" / "seed" / "target-schema.md"
    if not original.exists():
        pytest.skip("the user's shared/ folder is not beside this clone")
    assert (REPO_ROOT / "docs" / "target-schema.md").read_text() == original.read_text()


def test_scale_out_plan_names_every_table_once():
    from oltp.models import metadata

    plan = (REPO_ROOT / "docs" / "scale-out.md").read_text()
    for table in metadata.tables.values():
        mentions = plan.count(f"_table('app.{table.name}'")
        assert mentions == 1, f"{table.name} appears {mentions} times in docs/scale-out.md"
