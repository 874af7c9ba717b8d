"""/reports and the evaluation pages: the evaluation form's versions, a client evaluated (the total
and grade live as the scores change), the graded roster."""

from decimal import Decimal, InvalidOperation

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crmweb.auth.audit import record_audit
from crmweb.auth.permissions import (
    CLIENTS_SET_TIER,
    CLIENTS_VIEW,
    EVALUATIONS_APPROVE,
    EVALUATIONS_SETS,
    EVALUATIONS_WRITE,
    REPORTS_RISK,
    REPORTS_VALUE,
    can,
    require,
)
from crmweb.callbacks import services as callback_services
from crmweb.clients import access
from crmweb.clients import labels as client_labels
from crmweb.clients import services as client_services
from crmweb.errors import Invalid, NotAllowed
from crmweb.extensions import db
from crmweb.htmx import render
from crmweb.ids import whole_number
from crmweb.reports import analysis, bp, charts, evaluations, exporting, labels, rules
from crmweb.reports.forms import EvaluationForm, IndicatorSetForm
from crmweb.settings import get_setting
from crmweb.timeutil import request_now

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/reports")
@require(REPORTS_RISK)
def index():
    return render("reports/index.html", current=evaluations.current_set())


# --- the evaluation form's versions ------------------------------------------------------------


@bp.route("/reports/indicators")
@require(EVALUATIONS_WRITE)
def indicator_sets():
    return render("reports/indicator_sets.html", sets=evaluations.all_sets(), labels=labels)


def _set_page(form, indicator_set=None, status_code=200):
    return render(
        "reports/indicator_set_form.html", form=form, indicator_set=indicator_set, status_code=status_code
    )


def _draft_from(form: IndicatorSetForm) -> evaluations.Draft | None:
    rows = form.rows()
    if any(entry.form.weight.errors for entry in form.indicators):
        return None
    return evaluations.Draft(
        form.name.data,
        rules.Thresholds(form.threshold_a.data, form.threshold_b.data, form.threshold_c.data),
        form.advice(),
        rows,
    )


@bp.route("/reports/indicators/new", methods=["GET", "POST"])
@bp.route("/reports/indicators/<int:set_id>/edit", methods=["GET", "POST"])
@require(EVALUATIONS_SETS)
def edit_indicator_set(set_id=None):
    """A draft version: a new one starts from the form in use."""
    indicator_set = evaluations.get_set(set_id) if set_id else None
    model = indicator_set or evaluations.current_set()
    form = IndicatorSetForm(obj=model if request.method == "GET" else None)
    if request.method == "GET" and model is not None:
        for entry, indicator in zip(form.indicators, model.indicators, strict=False):
            entry.form.process(obj=indicator)
        if indicator_set is None:
            form.name.data = _("%(name)s（新版本）", name=model.name)
    draft = _draft_from(form) if form.validate_on_submit() else None
    if draft is None:
        return _set_page(form, indicator_set, status_code=422 if request.method == "POST" else 200)
    try:
        saved = evaluations.save_draft(current_user, indicator_set, draft, request_now())
    except Invalid as refused:
        db.session.rollback()
        form.threshold_a.errors = [refused.message]
        return _set_page(form, indicator_set, status_code=422)
    flash(_("评估表草稿已保存，经理批准后启用。"), "success")
    return redirect(url_for("reports.indicator_sets", _anchor=f"indicator-set-{saved.id}"), code=303)


@bp.route("/reports/indicators/<int:set_id>/approve", methods=["POST"])
@require(EVALUATIONS_APPROVE)
def approve_indicator_set(set_id):
    evaluations.approve(current_user, evaluations.get_set(set_id), request_now())
    flash(_("评估表已批准，今后的评估都用这一版。"), "success")
    return redirect(url_for("reports.indicator_sets"), code=303)


# --- evaluating a client ---------------------------------------------------------------------


def _scores(indicator_set) -> tuple[dict, dict]:
    """The scores typed (indicator id → (score, basis)) and the fields that are wrong."""
    scores, errors = {}, {}
    for indicator in indicator_set.indicators:
        raw = (request.form.get(f"score-{indicator.id}") or "").strip()
        if not raw:
            continue
        try:
            score = Decimal(raw)
        except InvalidOperation:
            errors[indicator.id] = _("请填写 0 到 100 的分数。")
            continue
        if not Decimal(0) <= score <= Decimal(100) or not score.is_finite():
            errors[indicator.id] = _("请填写 0 到 100 的分数。")
            continue
        scores[indicator.id] = (
            score.quantize(Decimal("0.1")),
            request.form.get(f"basis-{indicator.id}", "")[:300],
        )
    return scores, errors


def _evaluation_page(client, form=None, scores=None, errors=None, status_code=200):
    now = request_now()
    current = evaluations.current_set()
    writer = can(EVALUATIONS_WRITE)
    typed = {key: score for key, (score, _basis) in (scores or {}).items()}
    return render(
        "reports/evaluations.html",
        client=client,
        current=current,
        history=evaluations.history(current_user, client, now),
        proposals=evaluations.proposals(current_user, client, current, now) if current and writer else {},
        form=form or EvaluationForm(formdata=None),
        typed=typed,
        bases={k: b for k, (_s, b) in (scores or {}).items()},
        errors=errors or {},
        result=evaluations.outcome(current, typed) if current else None,
        writer=writer,
        labels=labels,
        client_labels=client_labels,
        status_code=status_code,
    )


@bp.route("/clients/<int:client_id>/evaluations")
@require(CLIENTS_VIEW)
def client_evaluations(client_id):
    """The client's evaluations, for who reads its confidential parts or evaluates; the form in use
    for who evaluates."""
    client = access.get_client(client_id)
    return _evaluation_page(client)


@bp.route("/clients/<int:client_id>/evaluations/check", methods=["POST"])
@require(EVALUATIONS_WRITE)
def check_evaluation(client_id):
    """As the scores change: the total, grade and what it suggests (htmx)."""
    client = access.get_client(client_id)
    current = evaluations.current_set()
    scores, _errors = _scores(current) if current else ({}, {})
    typed = {key: score for key, (score, _basis) in scores.items()}
    return render(
        "reports/_evaluation_result.html",
        "reports/_evaluation_result.html",
        client=client,
        result=evaluations.outcome(current, typed) if current else None,
        labels=labels,
    )


@bp.route("/clients/<int:client_id>/evaluations", methods=["POST"])
@require(EVALUATIONS_WRITE)
def evaluate(client_id):
    client = access.get_client(client_id)
    current = evaluations.current_set()
    if current is None:
        flash(_("还没有批准的评估表。"), "warning")
        return redirect(url_for("reports.client_evaluations", client_id=client_id), code=303)
    form = EvaluationForm()
    scores, errors = _scores(current)
    if not form.validate_on_submit() or errors:
        return _evaluation_page(client, form, scores, errors, status_code=422)
    result = evaluations.outcome(current, {key: score for key, (score, _basis) in scores.items()})
    advice = form.advice.data or (result.advice if result else "")
    try:
        evaluations.evaluate(
            current_user, client, current, scores, advice, form.override_reason.data or "", request_now()
        )
    except Invalid as refused:
        db.session.rollback()
        form.override_reason.errors = [refused.message]
        return _evaluation_page(client, form, scores, errors, status_code=422)
    flash(_("评估已保存。"), "success")
    return redirect(url_for("reports.client_evaluations", client_id=client_id), code=303)


# --- the graded roster -----------------------------------------------------------------------


@bp.route("/reports/roster")
@require(EVALUATIONS_WRITE)
def roster():
    """客户分级目录: every evaluated client's latest grade; `?format=xlsx` for managers and directors."""
    grade = request.args.get("grade", "")
    tier = request.args.get("tier", "")
    filters = evaluations.RosterFilters(
        grade=grade if grade in set(rules.Grade) else "",
        tier=tier if tier in client_labels.TIER else "",
        owner_id=whole_number(request.args.get("owner")),
        changed=request.args.get("changed") == "1",
    )
    if request.args.get("format") == "xlsx":
        if not can(REPORTS_VALUE):
            raise NotAllowed(_("只有经理和总监可以导出客户分级目录。"))
        return _xlsx(
            exporting.roster_xlsx(evaluations.roster(filters)),
            "roster",
            f"grade={filters.grade} tier={filters.tier} changed={filters.changed}",
        )
    return render(
        "reports/roster.html",
        "reports/_roster_table.html",
        page=evaluations.roster_page(filters, request.args.get("page")),
        filters=filters,
        owners=client_services.assignable_owners(),
        labels=labels,
        client_labels=client_labels,
    )


def _xlsx(content: bytes, name: str, detail: str):
    record_audit(
        "archive.exported",
        target_type="report",
        target_id=name,
        actor=current_user,
        now=request_now(),
        detail=detail[:300],
    )
    db.session.commit()
    response = current_app.response_class(content, mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@bp.route("/reports/roster/<int:client_id>/tier", methods=["POST"])
@require(CLIENTS_SET_TIER)
def accept_tier(client_id):
    """The tier the latest grade suggests, accepted by a supervisor."""
    client = access.get_client(client_id)
    rows = [
        row
        for row in evaluations.roster(evaluations.RosterFilters(client_id=client_id), limit=1)
        if row.proposed_tier
    ]
    if not rows:
        flash(_("该客户的等级与评估结果一致，无需调整。"), "info")
    else:
        client_services.set_tier(current_user, client, rows[0].proposed_tier, request_now())
        flash(
            _("已将 %(client)s 调整为 %(tier)s。", client=client.name, tier=client_labels.TIER[client.tier]),
            "success",
        )
    return redirect(url_for("reports.roster"), code=303)


# --- 80/20 and the clients at risk ------------------------------------------------------------


@bp.route("/reports/pareto")
@require(REPORTS_VALUE)
def pareto():
    """80/20: clients ranked by what they bought in the period, the curve, the top 20 %'s share, the
    clients whose gifts cost more than they bought; `?format=xlsx` the same as a workbook."""
    period = analysis.period_from(request.args, request_now())
    report = analysis.pareto(period)
    if request.args.get("format") == "xlsx":
        return _xlsx(exporting.pareto_xlsx(report), "pareto", f"{period.first}..{period.last}")
    return render(
        "reports/pareto.html", report=report, chart=charts.pareto_chart(report), client_labels=client_labels
    )


@bp.route("/reports/pareto/clients")
@require(REPORTS_VALUE)
def pareto_clients():
    """The clients behind a point of the curve: those ranked from `first` to `last`."""
    period = analysis.period_from(request.args, request_now())
    first = whole_number(request.args.get("first")) or 1
    last = max(first, whole_number(request.args.get("last")) or first)
    rows = analysis.clients_ranked(period, first, min(last, first + 499))
    record_audit(
        "archive.read",
        target_type="report",
        target_id="pareto",
        actor=current_user,
        now=request_now(),
        detail=f"ranks={first}-{last}",
    )
    db.session.commit()
    return render(
        "reports/pareto_clients.html",
        rows=rows,
        period=period,
        first=first,
        last=last,
        client_labels=client_labels,
    )


def _risk_limits() -> rules.RiskLimits:
    return rules.RiskLimits(
        quiet_days=get_setting("reports.quiet_days"), unhappy_below=get_setting("reports.unhappy_below")
    )


@bp.route("/reports/risk")
@require(REPORTS_RISK)
def risk():
    """Customers showing signs of slipping away, with the signs, to act on; filtered by owner, tier
    and sign; `?format=xlsx` the same as a workbook."""
    now, limits = request_now(), _risk_limits()
    tier, sign = request.args.get("tier", ""), request.args.get("risk", "")
    filters = analysis.RiskFilters(
        owner_id=whole_number(request.args.get("owner")),
        tier=tier if tier in client_labels.TIER else "",
        risk=sign if sign in set(rules.Risk) else "",
    )
    if request.args.get("format") == "xlsx":
        rows = analysis.at_risk(now, limits, filters)
        return _xlsx(exporting.risk_xlsx(rows), "risk", f"tier={filters.tier} risk={filters.risk}")
    return render(
        "reports/risk.html",
        "reports/_risk_table.html",
        page=analysis.at_risk_page(now, limits, filters, request.args.get("page")),
        filters=filters,
        limits=limits,
        owners=client_services.assignable_owners(),
        labels=labels,
        client_labels=client_labels,
    )


@bp.route("/reports/risk/<int:client_id>/callback", methods=["POST"])
@require(REPORTS_RISK)
def call_at_risk(client_id):
    """A call for the client's owner, today, about what puts the client at risk."""
    client = access.get_client(client_id)
    filters = analysis.RiskFilters(client_id=client_id)
    found = analysis.at_risk(request_now(), _risk_limits(), filters, limit=1)
    signs = found[0].risks if found else []
    purpose = _(
        "流失风险：%(signs)s", signs="、".join(str(labels.RISKS[sign]) for sign in signs) or _("跟进")
    )
    callback_services.schedule_call(current_user, client, purpose, request_now())
    flash(_("已为 %(client)s 安排回访。", client=client.name), "success")
    return redirect(url_for("reports.risk"), code=303)


@bp.route("/reports/churn")
@require(REPORTS_RISK)
def churn():
    """流失分析: who was lost in the period, when and why; counted by reason."""
    period = analysis.period_from(request.args, request_now())
    clients, reasons = analysis.lost_clients(period)
    if request.args.get("format") == "xlsx":
        return _xlsx(exporting.churn_xlsx(clients), "churn", f"{period.first}..{period.last}")
    return render(
        "reports/churn.html", period=period, clients=clients, reasons=reasons, client_labels=client_labels
    )


@bp.route("/reports/satisfaction")
@require(REPORTS_RISK)
def satisfaction():
    period = analysis.period_from(request.args, request_now())
    report = analysis.satisfaction(period)
    if request.args.get("format") == "xlsx":
        return _xlsx(exporting.satisfaction_xlsx(report), "satisfaction", f"{period.first}..{period.last}")
    return render(
        "reports/satisfaction.html",
        period=period,
        report=report,
        chart=charts.bar_chart(report.by_month),
        client_labels=client_labels,
    )


@bp.route("/reports/effort")
@require(REPORTS_VALUE)
def effort():
    """The maintenance work and gifts each client received, beside what it bought."""
    period = analysis.period_from(request.args, request_now())
    rows = analysis.effort_against_value(period)
    if request.args.get("format") == "xlsx":
        return _xlsx(exporting.effort_xlsx(rows), "effort", f"{period.first}..{period.last}")
    return render("reports/effort.html", period=period, rows=rows, client_labels=client_labels)
