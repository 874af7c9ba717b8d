"""Engine set-up: SQLite in WAL mode whose write transactions take the write lock up front.

A deferred SQLite transaction that reads and then writes can fail with "database is locked"
(SQLITE_BUSY_SNAPSHOT) when another process committed in between, and the busy timeout does not
help. So every transaction that may write starts with BEGIN IMMEDIATE and waits its turn; read-only
requests (GET/HEAD/OPTIONS) keep plain BEGIN so readers never queue behind writers. The small
writes a read-only request must still make (audit records, session activity) go through
`side_write()`. Below them, the helpers that write many rows at once (imports, and next the
message outbox).
"""
from collections.abc import Iterable
from contextlib import contextmanager

import click
import sqlalchemy as sa
from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from crmweb.config import PROJECT_ROOT
from crmweb.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_SECONDS = 30
SQLITE_ANALYSIS_ROWS = 1000  # rows of each index ANALYZE samples: enough for the planner's estimates


def init_app(app):
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine)
        elif engine.dialect.name == "postgresql":
            _configure_postgresql(engine)


def _configure_postgresql(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # PostgreSQL's JIT compiles every plan it costs high (the reports' at 100k clients) and
        # spends more on compiling than it saves at our sizes: 30 to 500 ms measured per query.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


def _configure_sqlite(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Hand transaction control to SQLAlchemy's "begin" event below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return  # each statement its own transaction (ANALYZE, VACUUM): nothing to begin
        if _may_write(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def _may_write(connection) -> bool:
    if connection.get_execution_options().get("crmweb_writes"):
        return True
    return not (has_request_context() and request.method in SAFE_METHODS)


@contextmanager
def side_write():
    """A session for small writes that must happen whatever the request does next.

    In a read-only request they commit at once on a connection of their own (the request's own
    transaction is a reader and must not upgrade). Anywhere else they join the current
    transaction, which already holds the write lock, and commit with it: a second writer there
    would wait for a lock its own request holds.
    """
    if not (has_request_context() and request.method in SAFE_METHODS):
        yield db.session
        return
    session = Session(bind=db.engine.execution_options(crmweb_writes=True), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def allowed_values(column: str, values) -> tuple[sa.CheckConstraint]:
    """For __table_args__: a state column refuses anything its enum does not list (the constraint
    is named ck_<table>_<column> by the naming convention)."""
    return (sa.CheckConstraint(sa.column(column).in_([str(v) for v in values]), name=column),)


def refresh_statistics(tables: list[str] | None = None) -> None:
    """The planner's statistics brought up to date, for the tables named or for all of them.

    After a bulk load, so that the next queries are not planned for the old sizes (PostgreSQL's
    until autovacuum comes by), and nightly for the tables that grew a row at a time: SQLite keeps
    what the last ANALYZE saw for ever, and a table it saw nearly empty (the search terms, the
    sessions) is then scanned instead of looked up by key. SQLite samples each index
    (`analysis_limit`), a fraction of a second at any size; its `PRAGMA optimize` analyses only
    what the same connection has queried before SQLite 3.46, so it would do nothing here.
    """
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_ROWS}")
        for table in tables or sa.inspect(connection).get_table_names():
            connection.exec_driver_sql(f"ANALYZE {connection.dialect.identifier_preparer.quote(table)}")
        if sqlite:
            connection.exec_driver_sql("PRAGMA analysis_limit = 0")


# --- migrations -------------------------------------------------------------------------------
# Flask-Migrate imports Alembic (and Mako), a tenth of a second that every other command and
# every server start would pay: it is loaded only when a schema command runs.

def table_with_defaults(statement, defaults) -> list:
    """The rows of a table a manager edits (callback rules, case deadlines …); the first time it is
    read and found empty, the company's defaults (`defaults()`, new objects) are written into it,
    once even when two processes read it at once (its unique constraint refuses the second)."""
    rows = db.session.scalars(statement).all()
    if rows:
        return rows
    try:
        with db.session.begin_nested():
            db.session.add_all(defaults())
    except sa.exc.IntegrityError:
        pass  # another process wrote them first
    return db.session.scalars(statement).all()


def init_migrations(app) -> None:
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate  # noqa: PLC0415 (Alembic and Mako: only when a schema command runs)

        Migrate(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)


def upgrade_schema() -> None:
    """Bring the current app's database to the newest revision (tests, benchmarks, set-up)."""
    from flask_migrate import upgrade  # noqa: PLC0415 (Alembic and Mako: only when a schema command runs)

    init_migrations(current_app)
    upgrade()


class MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's own group, loaded when `flask db` is run; `flask --help` lists
    this stand-in without loading it."""

    def __init__(self):
        super().__init__("db", help="数据库结构迁移（Alembic）。")

    def _commands(self) -> click.Group:
        from flask_migrate.cli import db as commands  # noqa: PLC0415 (Alembic and Mako: only when a schema command runs)

        init_migrations(current_app)
        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        # From here on the real group parses its options (--directory …) and runs.
        return self._commands().make_context(info_name, args, parent=parent, **extra)


# --- bulk writing (imports today, the message outbox next) ------------------------------

def chunks(values, size=500):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def load_in(model, column, values, *options):
    found = []
    for chunk in chunks(values):
        found += db.session.scalars(sa.select(model).where(column.in_(chunk)).options(*options)).all()
    return found


def insert_with_ids(table: sa.Table, rows: list[dict]) -> list[int]:
    """Insert rows and return their new ids in the rows' order.

    The ids are taken first, then the rows written with them in one go (insert_rows): RETURNING in
    the rows' order would cost a statement per row on SQLite and a slow sentinel on PostgreSQL.
    """
    if db.engine.dialect.name == "postgresql":
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        ids = db.session.scalars(sa.select(sa.func.nextval(sequence))
                                 .select_from(sa.func.generate_series(1, len(rows)))).all()
    else:
        # SQLite's writing transactions hold the write lock from their start (BEGIN IMMEDIATE, see
        # crmweb.database): nobody else can take the next ids meanwhile.
        first = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) + 1
        ids = list(range(first, first + len(rows)))
    insert_rows(table, [{**row, "id": row_id} for row, row_id in zip(rows, ids, strict=True)])
    return ids


def insert_rows(table: sa.Table, rows: list[dict]) -> None:
    """Many rows with the same columns into one table. On PostgreSQL by COPY: the driver's
    executemany is a statement per row there, a tenth of a second of Python per 2,000 rows."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    # The columns left out get the plain defaults the table declares, as SQLAlchemy's INSERT
    # would give them (COPY knows only the database's own defaults).
    defaults = {column.name: column.default.arg for column in table.c
                if column.name not in rows[0] and column.default is not None}
    if any(not table.c[name].default.is_scalar for name in defaults):
        connection.execute(table.insert(), rows)
        return
    names = [*rows[0], *defaults]
    rows = [{**defaults, **row} for row in rows] if defaults else rows
    # What SQLAlchemy would do to each value on its way to the driver (UTC datetimes made naive …)
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in names]
    copy_rows(table, names, ([process(row[name]) if process else row[name]
                              for name, process in zip(names, processors, strict=True)] for row in rows))


def copy_rows(table: sa.Table, names: list[str], rows: Iterable) -> None:
    """Rows of values (in the order of `names`, as the driver takes them) streamed into a table by
    PostgreSQL's COPY, in the session's transaction, as they are made."""
    connection = db.session.connection()
    quote = connection.dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(name) for name in names)}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def uniform_rows(table: sa.Table, rows: list[dict]) -> list[dict]:
    """A multi-row INSERT needs the same columns in every row: the missing ones get their default
    (the plain values these tables declare; a computed default would need the ORM)."""
    filled = {}
    for name in set().union(*rows):
        default = table.c[name].default
        if default is not None and not default.is_scalar:
            raise ValueError(f"{table.name}.{name} has a computed default")
        filled[name] = default.arg if default is not None else None
    return [{**filled, **row} for row in rows]
