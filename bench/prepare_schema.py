"""The schema of one catalog size (bench/prepare.py): the database and schema made if missing, the seeding
done or reused, the migrations added since, and the catalog's read model filled, each followed by `VACUUM ANALYZE`.
"""

import hashlib
import json
import sys
import time
from pathlib import Path

ENTRIES_TABLE = "search_catalogentry"  # the catalog's read model (search.entries), once the portal has it
FACETS_TABLE = "search_catalogfacet"  # its facet counts, kept by triggers


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- database and schema --------------------------------------------------------------------------------


def ensure_database_and_schema(database_url: str, schema: str) -> None:
    """Create the bench database and the schema if missing (plain psycopg2: Django needs them to exist)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(database_url)
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    server = psycopg2.connect(dbname="postgres", **params)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            log(f"Creating database {config['NAME']}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    server.close()
    database = psycopg2.connect(dbname=config["NAME"], **params)
    database.autocommit = True
    with database.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    database.close()


def drop_and_create_schema(schema: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        cursor.execute(f'CREATE SCHEMA "{schema}"')


def seed_if_needed(courses: int, schema: str, reseed: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench import seed

    marker = None if reseed else seed.read_marker()
    wanted = {"courses": str(courses), "version": str(seed.SEED_VERSION), "seed": str(seed.SEED)}
    if marker and all(marker.get(key) == value for key, value in wanted.items()):
        log(f"Schema {schema} already holds {courses:,} seeded courses: reusing it")
        migrate_reused()
        stats = {"reused": True, **json.loads(marker["stats"])}
        stats["catalog_entries"] = ensure_entries(marker)
        return stats

    log(f"Seeding {courses:,} courses into schema {schema} (fresh schema, migrations, bulk load)")
    started = time.monotonic()
    drop_and_create_schema(schema)
    connection.close()  # the search_path is set per connection: start clean in the new schema
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.monotonic()
    log(f"  migrated in {migrated - started:.1f} s")
    plan = seed.Plan(courses=courses)
    with transaction.atomic():
        stats = seed.Seeder(plan, log=log).run()
        stats["timings"]["migrate"] = round(migrated - started, 2)
        seed.write_marker(plan, stats)
    stats["timings"]["vacuum_analyze"] = vacuum_analyze()
    stats["timings"]["wall"] = round(time.monotonic() - started, 2)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {seed.MARKER_TABLE} SET value = %s WHERE key = 'stats'", [json.dumps(stats)])  # noqa: S608
    log(f"  seeded in {stats['timings']['wall']:.1f} s: {stats['counts']}")
    return {"reused": False, **stats, "catalog_entries": ensure_entries({})}


def vacuum_analyze(*tables: str) -> float:
    """`VACUUM ANALYZE` these tables, or every table of this size's schema (a bare `VACUUM` would take the whole
    database, every size's schema); the seconds it took. Dead rows out of the heap and the indexes (a GIN index keeps
    pointing at every old version of a row until then, and a bitmap scan visits them), the visibility map and the
    statistics up to date. Not left to autovacuum, which may be off (`autovacuum = off` on these machines) or not
    done yet when the load starts."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()")
            tables = tuple(name for (name,) in cursor.fetchall())
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
    seconds = round(time.monotonic() - started, 2)
    log(f"  vacuumed and analyzed {len(tables)} table(s) in {seconds:.1f} s")
    return seconds


def migrate_reused() -> None:
    """Apply the migrations added since the schema was seeded (the seeded rows stay)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        started = time.monotonic()
        log(f"  applying {len(plan)} migration(s) added since the seeding: {', '.join(str(m) for m, _ in plan)}")
        call_command("migrate", interactive=False, verbosity=0)
        log(f"  migrated in {time.monotonic() - started:.1f} s")
        vacuum_analyze()  # a migration that rewrote rows (a new column filled) left as many dead ones


def ensure_entries(marker: dict) -> dict | None:
    """Fill the catalog's read model with `search.entries.rebuild()` when it is empty or its module changed
    since it was filled (the marker keeps the module's digest); skipped while the portal has no read model."""
    from django.db import connection

    from bench import seed

    try:
        from search import entries
    except ImportError:
        log("  no catalog read model yet (search.entries does not exist): nothing to rebuild")
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [ENTRIES_TABLE])
        if cursor.fetchone()[0] is None:
            log(f"  search.entries exists but its table {ENTRIES_TABLE} does not: nothing to rebuild")
            return None
        cursor.execute(f"SELECT count(*) FROM {ENTRIES_TABLE}")  # noqa: S608 (our own table name)
        rows = cursor.fetchone()[0]
    digest = hashlib.sha256(Path(entries.__file__).read_bytes()).hexdigest()
    if rows and marker.get("entries_source") == digest:
        log(f"  catalog read model: {rows:,} entries, filled by this search/entries.py: reusing them")
        return {"rebuilt": False, "rows": rows}
    log(f"  catalog read model: {'empty' if not rows else 'search/entries.py changed'}: search.entries.rebuild()…")
    started = time.monotonic()
    returned = entries.rebuild()
    seconds = round(time.monotonic() - started, 2)
    # Rebuilt entries, and facet counts deleted and counted again (the triggers had updated their rows many times).
    vacuum_analyze(ENTRIES_TABLE, FACETS_TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ENTRIES_TABLE}")  # noqa: S608 (our own table name)
        rows = cursor.fetchone()[0]
        cursor.execute(
            f"INSERT INTO {seed.MARKER_TABLE} (key, value) VALUES ('entries_source', %s) "  # noqa: S608
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [digest],
        )
    log(f"  catalog read model rebuilt in {seconds:.1f} s: {rows:,} entries")
    return {"rebuilt": True, "rows": rows, "seconds": seconds, "returned": str(returned)}
