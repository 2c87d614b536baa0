from .base import Course, Lesson, code, heading, text

COURSE = Course(
    title="SQL Performance: Indexes and Query Plans",
    summary="Find out why a query is slow, read its plan, and design the index that makes it fast.",
    description="""
        <p>Most slow applications are slow in the database, and most slow queries can be fixed without new
        hardware: by an index in the right place, or by writing the query so that the database can use the index
        it already has.</p>
        <p>This course explains how a relational database actually finds rows, how to read the execution plan
        that shows you its strategy, and how to design indexes for real workloads. Examples use PostgreSQL; the
        principles carry over to MySQL, SQL Server and SQLite.</p>
        <p>You should be comfortable writing SELECT queries with joins, filters and sorting. No knowledge of
        database internals is assumed.</p>
    """,
    category="data",
    level="advanced",
    language="en",
    teacher="teacher2@example.com",
    duration_minutes=180,
    lessons=[
        Lesson(
            title="How a database finds rows",
            minutes=20,
            body=[
                text("""
                    <p>A table is stored on disk in fixed-size <b>pages</b> (8 kB in PostgreSQL), with rows in no
                    particular order. Without help, the only way to find the rows that match
                    <code>WHERE email = 'emma@example.com'</code> is a <b>sequential scan</b>: read every page and test
                    every row. That is fine for a thousand rows and ruinous for a hundred million.</p>
                    <p>An <b>index</b> is a separate, sorted structure that maps values to the locations of rows. The
                    default kind, the <b>B-tree</b>, is a balanced tree whose leaves hold the keys in order; finding a
                    key takes a handful of page reads even in a huge table, because each level narrows the search by a
                    factor of a few hundred.</p>
                """),
                heading("What an index costs"),
                text("""
                    <ul>
                    <li>Every <code>INSERT</code>, and every <code>UPDATE</code> of an indexed column, must also update the index.</li>
                    <li>Indexes take disk space and memory in the cache.</li>
                    <li>The planner has more options to consider.</li>
                    </ul>
                    <p>So an index is a trade: faster reads for slower writes. Add indexes for the queries you
                    actually run, and drop those nobody uses (PostgreSQL's <code>pg_stat_user_indexes</code> shows the
                    number of scans per index).</p>
                """),
                code(
                    "sql",
                    """
                    CREATE INDEX CONCURRENTLY users_email_idx ON users (email);

                    SELECT indexrelname, idx_scan
                    FROM pg_stat_user_indexes
                    ORDER BY idx_scan;
                    """,
                ),
            ],
        ),
        Lesson(
            title="Reading EXPLAIN ANALYZE",
            minutes=30,
            body=[
                text("""
                    <p>The <b>query planner</b> considers many ways to run a query and picks the one with the lowest
                    estimated cost. <code>EXPLAIN</code> shows the chosen plan; <code>EXPLAIN ANALYZE</code> also runs
                    the query and reports what really happened. Add <code>BUFFERS</code> to see how many pages were
                    read.</p>
                """),
                code(
                    "sql",
                    """
                    EXPLAIN (ANALYZE, BUFFERS)
                    SELECT id, total
                    FROM orders
                    WHERE customer_id = 4217
                    ORDER BY created_at DESC
                    LIMIT 10;
                    """,
                ),
                code(
                    "text",
                    """
                    Limit  (cost=0.43..38.12 rows=10 width=16) (actual time=0.041..0.077 rows=10 loops=1)
                      Buffers: shared hit=13
                      ->  Index Scan using orders_customer_created_idx on orders
                            (cost=0.43..1502.19 rows=398 width=16) (actual time=0.040..0.074 rows=10 loops=1)
                            Index Cond: (customer_id = 4217)
                    Planning Time: 0.180 ms
                    Execution Time: 0.098 ms
                    """,
                ),
                heading("How to read a plan"),
                text("""
                    <ul>
                    <li>A plan is a tree: read it from the innermost, most indented node outwards. Each node feeds rows to its parent.</li>
                    <li><code>cost=start..total</code> is the planner's estimate in arbitrary units; <code>actual time</code> is measured in milliseconds, <b>per loop</b>.</li>
                    <li>Compare estimated <code>rows</code> with actual <code>rows</code>. A large mismatch (say, 10 expected, 100 000 found) means the planner worked with wrong statistics and probably chose a bad plan; run <code>ANALYZE</code> on the table, or raise its statistics target.</li>
                    <li>Look for the node where the time goes: a <code>Seq Scan</code> on a big table with a selective filter, a <code>Sort</code> that spills to disk, or a <code>Nested Loop</code> with many loops.</li>
                    </ul>
                    <p>Always test with realistic data volumes: on a table with 50 rows the planner rightly prefers a
                    sequential scan, and your index seems useless.</p>
                """),
            ],
        ),
        Lesson(
            title="Designing indexes",
            minutes=30,
            body=[
                text("""
                    <p>A <b>composite index</b> on several columns is sorted by the first column, then by the second
                    within equal first values, and so on, like a phone book sorted by last name then first name. It
                    helps queries that filter on a <b>leading prefix</b> of its columns. An index on
                    <code>(customer_id, created_at)</code> serves <code>WHERE customer_id = ?</code> and
                    <code>WHERE customer_id = ? ORDER BY created_at</code>, but not <code>WHERE created_at &gt; ?</code>
                    alone.</p>
                    <p>The rule of thumb for column order: columns compared with <b>equality first</b>, then the
                    column used for a <b>range or sort</b>.</p>
                """),
                code(
                    "sql",
                    """
                    -- Equality first, then the sort column: serves the query of the previous lesson.
                    CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at DESC);

                    -- Covering index: the query is answered from the index alone (Index Only Scan).
                    CREATE INDEX orders_customer_created_total_idx
                        ON orders (customer_id, created_at DESC) INCLUDE (total);

                    -- Partial index: only the rows a hot query looks at.
                    CREATE INDEX orders_unpaid_idx ON orders (created_at) WHERE status = 'unpaid';

                    -- Expression index, for case-insensitive lookups.
                    CREATE UNIQUE INDEX users_email_lower_idx ON users (lower(email));
                    """,
                ),
                heading("Selectivity"),
                text("""
                    <p>An index pays off when it narrows the search to a small fraction of the table. A boolean
                    column where half the rows are <code>true</code> is a poor index on its own: reading half the table
                    through an index is slower than scanning it. Such columns work well as the condition of a
                    <b>partial</b> index instead, or as a trailing column of a composite one.</p>
                    <p><b>Exercise:</b> take the three slowest queries of an application you know (from <code>pg_stat_statements</code>), read their plans, and propose one index for each. Check the plans again after creating them.</p>
                """),
            ],
        ),
        Lesson(
            title="Common performance pitfalls",
            minutes=25,
            body=[
                heading("Functions on indexed columns"),
                text("""
                    <p><code>WHERE date(created_at) = '2026-03-01'</code> cannot use an index on
                    <code>created_at</code>, because the index is sorted by the column, not by the function's result.
                    Rewrite it as a range, which can:</p>
                """),
                code(
                    "sql",
                    """
                    SELECT * FROM orders
                    WHERE created_at >= '2026-03-01' AND created_at < '2026-03-02';
                    """,
                ),
                heading("The N+1 query problem"),
                text("""
                    <p>An application loads 50 orders, then runs one more query per order to fetch its customer: 51
                    round trips instead of one or two. Each query is fast, so none appears in the slow log, yet the page
                    is slow. Fetch related rows with a join or a single <code>WHERE id IN (...)</code> query; ORMs
                    offer this as <code>select_related</code>/<code>prefetch_related</code> (Django) or eager loading
                    (SQLAlchemy, ActiveRecord).</p>
                """),
                heading("Deep OFFSET pagination"),
                text("""
                    <p><code>OFFSET 100000 LIMIT 20</code> makes the database produce and throw away 100 000 rows.
                    <b>Keyset pagination</b> remembers where the previous page ended instead, and stays fast on any
                    page:</p>
                """),
                code(
                    "sql",
                    """
                    SELECT id, created_at, total
                    FROM orders
                    WHERE (created_at, id) < ('2026-03-01 12:00:00', 81234)
                    ORDER BY created_at DESC, id DESC
                    LIMIT 20;
                    """,
                ),
                text("""
                    <h3>Summary</h3>
                    <ul>
                    <li>Measure first: <code>EXPLAIN (ANALYZE, BUFFERS)</code> on realistic data.</li>
                    <li>Index for your real queries: equality columns first, then range or sort.</li>
                    <li>Keep indexed columns bare in conditions, and avoid N+1 and deep offsets.</li>
                    <li>Re-check after every change: the planner, not intuition, has the last word.</li>
                    </ul>
                """),
            ],
        ),
    ],
)
