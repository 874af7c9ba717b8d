"""Relationship evaluation (客户关系评估表): versioned indicator sets, and each evaluation of a client
with its scores, kept against the version it was made with."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crmweb.auth.models import User
from crmweb.clients.models import Client
from crmweb.database import allowed_values
from crmweb.extensions import db
from crmweb.reports.rules import Advice, Grade, SetStatus, Source, Thresholds
from crmweb.timeutil import UTCDateTime

Score = sa.Numeric(5, 1)


class IndicatorSet(db.Model):
    """One version of the evaluation form: its indicators and weights, the grade thresholds and
    what each grade suggests. Drafted by a supervisor, approved by a manager; approving a version
    retires the one before (its evaluations keep it)."""

    __tablename__ = "indicator_sets"
    __table_args__ = (
        *allowed_values("status", SetStatus),
        *(allowed_values(f"advice_{grade.lower()}", Advice)[0] for grade in Grade),
        sa.CheckConstraint(
            "threshold_a > threshold_b AND threshold_b > threshold_c AND threshold_c >= 0", name="thresholds"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    status: Mapped[str] = mapped_column(sa.String(10), default=SetStatus.DRAFT)
    threshold_a: Mapped[Decimal] = mapped_column(Score)
    threshold_b: Mapped[Decimal] = mapped_column(Score)
    threshold_c: Mapped[Decimal] = mapped_column(Score)
    advice_a: Mapped[str] = mapped_column(sa.String(10), default=Advice.MAINTAIN)
    advice_b: Mapped[str] = mapped_column(sa.String(10), default=Advice.MAINTAIN)
    advice_c: Mapped[str] = mapped_column(sa.String(10), default=Advice.IMPROVE)
    advice_d: Mapped[str] = mapped_column(sa.String(10), default=Advice.END)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    indicators: Mapped[list["Indicator"]] = relationship(
        order_by="(Indicator.position, Indicator.id)", cascade="all, delete-orphan"
    )
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.threshold_a, self.threshold_b, self.threshold_c)

    def advice_for(self, grade: str) -> str:
        return getattr(self, f"advice_{grade.lower()}")


class Indicator(db.Model):
    __tablename__ = "indicators"
    __table_args__ = (*allowed_values("source", Source), sa.CheckConstraint("weight > 0", name="weight"))

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator_sets.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(sa.String(64))
    weight: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    guidance: Mapped[str] = mapped_column(sa.String(300), default="")  # how to score it
    source: Mapped[str] = mapped_column(sa.String(12), default=Source.NONE)


class Evaluation(db.Model):
    """A client evaluated with one version of the form: confidential, like the client's dealings."""

    __tablename__ = "evaluations"
    __table_args__ = (
        *allowed_values("grade", Grade),
        *allowed_values("advice", Advice),
        sa.Index("ix_evaluations_client_at", "client_id", "evaluated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id", ondelete="CASCADE"))
    set_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator_sets.id"))
    total: Mapped[Decimal] = mapped_column(Score)
    grade: Mapped[str] = mapped_column(sa.String(1))
    advice: Mapped[str] = mapped_column(sa.String(10))
    advice_override: Mapped[str] = mapped_column(sa.String(300), default="")  # why not what the grade said
    evaluator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    client: Mapped[Client] = relationship()
    indicator_set: Mapped[IndicatorSet] = relationship()
    evaluator: Mapped[User | None] = relationship()
    scores: Mapped[list["EvaluationScore"]] = relationship(cascade="all, delete-orphan")


class EvaluationScore(db.Model):
    __tablename__ = "evaluation_scores"
    __table_args__ = (sa.CheckConstraint("score >= 0 AND score <= 100", name="range"),)

    evaluation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("evaluations.id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id"), primary_key=True)
    score: Mapped[Decimal] = mapped_column(Score)
    basis: Mapped[str] = mapped_column(sa.String(300), default="")  # 得分依据

    indicator: Mapped[Indicator] = relationship()
