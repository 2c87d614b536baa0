"""The same command under modelsearch's own name."""

from .update_index import Command  # noqa: F401
