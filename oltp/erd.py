"""Entity-relationship diagrams (mermaid), one per domain, generated from the models so they cannot drift.

Run ``python -m oltp.erd`` to rewrite ``docs/erd/``; a test fails when the files are not current.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Table, UniqueConstraint
from sqlalchemy.dialects import postgresql

from oltp.models import DOMAINS, Base
from oltp.settings import REPO_ROOT

ERD_DIR = REPO_ROOT / "docs" / "erd"


def tables_by_domain() -> dict[str, list[Table]]:
    found: dict[str, list[Table]] = defaultdict(list)
    for mapper in Base.registry.mappers:
        domain = mapper.class_.__module__.rsplit(".", 1)[-1]
        found[domain].append(mapper.local_table)
    return {domain: sorted(found[domain], key=lambda t: t.name) for domain in DOMAINS}


def _type_name(column) -> str:
    kind = column.info.get("kind")
    if kind:
        return kind
    if getattr(column.type, "timezone", False):
        return "timestamptz"
    return column.type.compile(dialect=postgresql.dialect()).lower().split("(")[0].replace(" ", "_")


def _clean(text: str | None) -> str:
    return (text or "").replace('"', "'").replace("\n", " ")


def _keys(column, table: Table) -> str:
    marks = []
    if column.primary_key:
        marks.append("PK")
    if column.foreign_keys:
        marks.append("FK")
    if any(isinstance(c, UniqueConstraint) and list(c.columns.keys()) == [column.name] for c in table.constraints):
        marks.append("UK")
    return ",".join(marks)


def render(domain: str, tables: list[Table]) -> str:
    names = {t.name for t in tables}
    lines = [
        f"# {domain}: entity-relationship diagram",
        "",
        f"Generated from `oltp/models/{domain}.py` by `python -m oltp.erd`; do not edit by hand.",
        "Every tenant table's key is `(organization_id, id)`; references between tenant tables include",
        "`organization_id`. Tables of other domains appear as boxes without columns.",
        "",
        "```mermaid",
        "erDiagram",
    ]
    relationships = []
    external = set()
    for table in tables:
        lines.append(f"    {table.name} {{")
        for column in table.columns:
            keys = _keys(column, table)
            comment = _clean(column.comment)
            parts = [_type_name(column), column.name]
            if keys:
                parts.append(keys)
            if comment:
                parts.append(f'"{comment}"')
            lines.append("        " + " ".join(parts))
        lines.append("    }")
        for fk in sorted(table.foreign_key_constraints, key=lambda c: [e.parent.name for e in c.elements]):
            target = fk.referred_table.name
            columns = [e.parent.name for e in fk.elements if e.parent.name != "organization_id"]
            if not columns:
                continue
            optional = any(table.c[name].nullable for name in columns)
            parent_end = "|o" if optional else "||"
            relationships.append(f'    {target} {parent_end}--o{{ {table.name} : "{", ".join(columns)}"')
            if target not in names:
                external.add(target)
    lines += relationships
    lines.append("```")
    if external:
        lines += ["", "Referenced from other domains: " + ", ".join(f"`{name}`" for name in sorted(external)) + "."]
    return "\n".join(lines) + "\n"


def expected_files() -> dict[Path, str]:
    files = {ERD_DIR / f"{domain}.md": render(domain, tables) for domain, tables in tables_by_domain().items()}
    index = ["# Entity-relationship diagrams", "", "One diagram per section of the target schema:", ""]
    index += [f"- [{path.stem}]({path.name})" for path in files]
    files[ERD_DIR / "README.md"] = "\n".join(index) + "\n"
    return files


def main() -> int:
    ERD_DIR.mkdir(parents=True, exist_ok=True)
    for path, content in expected_files().items():
        path.write_text(content)
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
