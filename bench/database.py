"""A throw-away database for the benchmark: created for the run, migrated, destroyed at the end.

It is Django's test database of the configured backend: SQLite in memory, or on PostgreSQL (and any other
server) a ``test_<name>_bench_<pid>`` database created next to the configured one, which is never opened.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections


class NotThrowaway(RuntimeError):
    """The benchmark would have written to the configured database: it refuses."""


def bench_database_name(real_name: str) -> str:
    """The server database the benchmark creates: its own name (another run, or a test suite, uses another)."""
    return f"test_{real_name}_bench_{os.getpid()}"[:63]  # PostgreSQL's identifier limit


def check_throwaway(vendor: str, settings_dict: dict, real_name: str) -> None:
    """Raise NotThrowaway unless the connection points at a throw-away database, not at ``real_name``."""
    name = str(settings_dict["NAME"])
    if vendor == "sqlite":
        throwaway = name.startswith("file:memorydb_") or name == ":memory:"
    else:
        throwaway = name == bench_database_name(real_name)
    if not throwaway or name == str(real_name):
        raise NotThrowaway(f"基准测试只在临时数据库中运行，当前连接的是 {name}（配置的数据库为 {real_name}）。")


@contextmanager
def throwaway_database(alias: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """Create, migrate and yield a throw-away database (its name); destroy it on leaving, whatever happened.

    The configured database is never connected to: SQLite gets an in-memory database, a server one a new
    database created from its maintenance database (``postgres``)."""
    connection = connections[alias]
    real_name = connection.settings_dict["NAME"]
    real_test = dict(connection.settings_dict["TEST"])
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = None  # in memory, whatever TEST NAME says
    else:
        connection.settings_dict["TEST"]["NAME"] = bench_database_name(real_name)
    try:
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
        check_throwaway(connection.vendor, connection.settings_dict, real_name)
        yield name
    finally:
        if connection.settings_dict["NAME"] != real_name:  # created (or half created: migrating failed)
            connection.creation.destroy_test_db(real_name, verbosity=0, keepdb=False)
        connection.settings_dict["TEST"].clear()
        connection.settings_dict["TEST"].update(real_test)
