"""Rows streamed into PostgreSQL tables with COPY: the seeding's hot path (millions of values)."""

import io
from datetime import datetime

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(text: str) -> str:
    return text.translate(_ESCAPES) if ("\\" in text or "\n" in text or "\t" in text or "\r" in text) else text


# COPY's text format, by Python type (the hot path of seeding: millions of values).
_COPY_FORMAT = {
    int: str,
    str: _copy_text,
    bool: lambda value: "t" if value else "f",
    type(None): lambda value: r"\N",
    datetime: datetime.isoformat,
    float: repr,
}


def _copy_value(value) -> str:
    formatter = _COPY_FORMAT.get(type(value))
    if formatter is not None:
        return formatter(value)
    if isinstance(value, list):
        return _copy_text(_pg_array(value))
    return _copy_text(str(value))


def _pg_array(items: list[str]) -> str:
    return "{" + ",".join('"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items) + "}"


class Copier:
    """Rows for one table, streamed to PostgreSQL with COPY in chunks of about `flush_bytes`."""

    def __init__(self, cursor, table: str, columns: list[str], flush_bytes: int = 16 << 20):
        self.cursor = cursor
        self.sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        self.width = len(columns)
        self.flush_bytes = flush_bytes
        self.buffer: list[str] = []
        self.size = 0
        self.rows = 0

    def add(self, *values) -> None:
        assert len(values) == self.width, (self.sql, values)
        line = "\t".join([_copy_value(value) for value in values]) + "\n"
        self.buffer.append(line)
        self.size += len(line)
        self.rows += 1
        if self.size >= self.flush_bytes:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            self.cursor.copy_expert(self.sql, io.StringIO("".join(self.buffer)))
            self.buffer, self.size = [], 0

    def close(self) -> int:
        self.flush()
        return self.rows
