"""The bench's seeder writes its rows with COPY, past the models (bench/pgcopy.py): each table it copies into must
get every column that has neither a NULL nor a database default, and only columns that exist, or seeding fails on
the next machine that seeds afresh (as it did after the users' language and the lessons' watching rule came, on
2026-12-01). The column lists are read from the seeder's source, the columns from the migrated test database."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db

BENCH = Path(settings.BASE_DIR) / "bench"


def copied_tables() -> dict[str, set[str]]:
    """{table: columns} of every `Copier(cursor, "table", columns)` in the bench's modules, the columns a list
    literal or a name assigned one in the same module (the seeder's staging tables, `bench_…`, aside)."""
    tables = {}
    for module in sorted(BENCH.glob("*.py")):
        tree = ast.parse(module.read_text(), filename=str(module))
        lists = {
            target.id: node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.List)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Copier":
                table, columns = ast.literal_eval(node.args[1]), node.args[2]
                if table.startswith("bench_"):
                    continue
                columns = lists[columns.id] if isinstance(columns, ast.Name) else columns
                tables[table] = set(ast.literal_eval(columns))
    return tables


def test_the_seeder_copies_every_required_column_and_no_unknown_one():
    tables = copied_tables()
    assert {"learners_user", "courses_lessonpage", "learners_certificate", "wagtailcore_page"} <= set(tables)
    problems = []
    with connection.cursor() as cursor:
        for table, columns in sorted(tables.items()):
            cursor.execute(
                "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO' "
                "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s",
                [table],
            )
            existing = dict(cursor.fetchall())
            assert existing, f"{table}: no such table"
            problems += [
                f"{table}.{name}: required, not copied"
                for name, required in existing.items()
                if required and name not in columns
            ]
            problems += [f"{table}.{name}: copied, no such column" for name in columns - set(existing)]
    assert problems == []
