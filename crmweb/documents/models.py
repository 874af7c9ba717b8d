"""Files on the archive: on a client, a case, a contract or an interaction, with who put them
there; the bytes live in the file store under a random key."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.extensions import db
from crmweb.timeutil import UTCDateTime


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (sa.Index("ix_documents_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[str] = mapped_column(sa.String(12))  # client | case | contract | interaction
    owner_id: Mapped[int]
    # The client it belongs to, whatever it hangs on: its archive's rules apply.
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))  # as shown; never a path
    content_type: Mapped[str] = mapped_column(sa.String(100))  # read from the content
    size: Mapped[int]
    storage_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    # Financial statements, contracts …: read only by who reads the client's confidential parts.
    confidential: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    uploaded_by: Mapped[User | None] = relationship()
