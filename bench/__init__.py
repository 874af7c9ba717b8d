"""`make bench`: see __main__.py for what is measured."""


def fresh_schema() -> None:
    """In an app context: the database emptied (PostgreSQL: its schema dropped) and migrated."""
    import sqlalchemy as sa

    from crmweb.database import upgrade_schema
    from crmweb.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade_schema()
