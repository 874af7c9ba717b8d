"""/clients: the list and its search, new clients (with 查重 as one types), bulk actions, exports
and the archive settings."""
from urllib.parse import parse_qsl, quote, urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from crmweb.auth.permissions import (
    ARCHIVE_READ_ANY,
    CLIENTS_APPROVE_VIP,
    CLIENTS_CREATE,
    CLIENTS_EDIT,
    CLIENTS_EXPORT,
    CLIENTS_READ_ANY,
    CLIENTS_REASSIGN,
    CLIENTS_SET_TIER,
    CLIENTS_VIEW,
    SETTINGS_BUSINESS,
    require,
    role_can,
)
from crmweb.clients import access, bp, duplicates, exporting, forms, labels, rules, search, services
from crmweb.clients.picker import client_choices
from crmweb.clients.settings import rhythm_key
from crmweb.clients.today import BIRTHDAY_DAYS, upcoming_birthdays
from crmweb.errors import Invalid
from crmweb.htmx import is_fragment_request, render
from crmweb.ids import whole_number
from crmweb.redirects import local_target
from crmweb.settings import get_setting
from crmweb.timeutil import local_zone, request_now

PAGE_SIZE = 20


def _filters(args) -> search.SearchFilters:
    def choice(name, allowed):
        value = args.get(name, "")
        return value if value in allowed else ""

    sees_eligible = role_can(current_user.role, CLIENTS_APPROVE_VIP)
    owner = args.get("owner")
    if owner is None and not args.get("q") and not args.get("import") \
            and not role_can(current_user.role, CLIENTS_READ_ANY):
        owner = str(current_user.id)  # sales open the list on their own clients ("全部" shows every one)
    return search.SearchFilters(
        query=args.get("q", "")[:100],
        stage=choice("stage", rules.STAGES),
        tier=choice("tier", rules.TIERS),
        vip=choice("vip", [s for s in labels.VIP_STATUS if sees_eligible or s != "eligible"]),
        sees_eligible=sees_eligible,
        owner_id=whole_number(owner),
        unowned=owner == "none",
        label_id=whole_number(args.get("label")),
        overdue=args.get("overdue") == "1",
        sort=choice("sort", ("due",)),
        client_ids=search.imported_client_ids(current_user.id, whole_number(args.get("import"))),
    )


@bp.route("/clients")
@require(CLIENTS_VIEW)
def index():
    return _list_page(request.args)


def _list_page(args, bulk_error: str | None = None):
    """The list for these filters; with a bulk action's error beside its bar, 422."""
    filters = _filters(args)
    page = search.search_clients(filters, args.get("page"), PAGE_SIZE, request_now())
    reads_secrets = role_can(current_user.role, ARCHIVE_READ_ANY)
    full_rows = {client.id for client in page.items
                 if rules.sees_full_list_row(reads_secrets, current_user.id, client.owner_id)}
    # Bulk actions tick only the clients this person may change.
    editable = {client.id for client in page.items if access.can_edit(current_user, client)}
    # The filter form is not part of the fragment: no labels and no owners needed for it, but
    # for the bulk bar of who reassigns.
    fragment = is_fragment_request()
    response = render("clients/index.html", "clients/_results.html", filters=filters, page=page,
                      owners=services.assignable_owners()
                      if not fragment or role_can(current_user.role, CLIENTS_REASSIGN) else [],
                      all_labels=[] if fragment else services.labels(),
                      labels=labels, full_rows=full_rows, editable=editable, bulk_error=bulk_error,
                      status_code=422 if bulk_error else 200, **_row_texts())
    if fragment:
        # Bookmarkable address without the empty filters the form sends (an empty owner stays for
        # those whose list opens on their own clients: for them it means "everyone's").
        keeps_owner = not role_can(current_user.role, CLIENTS_READ_ANY)
        response.headers["HX-Push-Url"] = url_for(
            "clients.index", **{k: v for k, v in args.items() if v or (k == "owner" and keeps_owner)})
    return response


@bp.route("/clients/birthdays")
@require(CLIENTS_VIEW)
def birthdays():
    """Every birthday of the coming week among the contacts of my clients (the today card shows
    the soonest few)."""
    local_today = request_now().astimezone(local_zone()).date()
    return render("clients/birthdays.html", birthdays=upcoming_birthdays(current_user, local_today),
                  today=local_today, days=BIRTHDAY_DAYS)


def _row_texts() -> dict:
    """The words every list row repeats, translated once per page."""
    return {"tier_names": {code: str(name) for code, name in labels.TIER.items()},
            "stage_names": {code: str(name) for code, name in labels.STAGE.items()},
            "never_text": _("从未"), "other_owner_text": _("其他负责人的客户")}


@bp.route("/clients/new", methods=["GET", "POST"])
@require(CLIENTS_CREATE)
def new():
    # Only a supervisor or above grades a client: the others' form has no tier, and their new
    # clients start as general clients.
    grades = role_can(current_user.role, CLIENTS_SET_TIER)
    form = forms.NewClientForm() if grades else forms.BasicsForm()
    found_duplicates = []
    if form.validate_on_submit():
        values = form.values()
        values.setdefault("tier", "general")
        try:
            client = services.create_client(current_user, values, request_now(),
                                            request.form.get("duplicate_reason", "")[:200])
        except duplicates.DuplicateFound as found:
            found_duplicates = found.duplicates
        else:
            flash(_("已建立客户档案：%(name)s", name=client.name), "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    status = 422 if request.method == "POST" else 200
    return render("clients/new.html", form=form, duplicates=found_duplicates, labels=labels,
                  status_code=status)


@bp.route("/clients/duplicates", endpoint="duplicates")
@require(CLIENTS_VIEW)
def duplicates_as_you_type():
    """查重 as one types a client's name or a contact's mobile or email."""
    found = duplicates.find_duplicates(
        name=request.args.get("name", "")[:200], mobile=request.args.get("mobile", "")[:40],
        email=request.args.get("email", "")[:254], exclude_id=whole_number(request.args.get("exclude")))
    return render("clients/new.html", "clients/_duplicates.html", duplicates=found, labels=labels,
                  form=forms.BasicsForm())


EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "vcf": "text/vcard; charset=utf-8",
}


@bp.route("/clients/pick", endpoint="pick")
@require(CLIENTS_VIEW)
def pick_as_you_type():
    """Search as you type for a form's client (a plan's …)."""
    return client_choices()


@bp.route("/clients/export.<export_format>")
@require(CLIENTS_EXPORT)
def export(export_format):
    """The clients of the current search, as a file; the export is audited."""

    if export_format not in EXPORT_TYPES:
        abort(404)
    filters = _filters(request.args)
    export = search.clients_for_export(current_user, filters, export_format, request_now())
    if export_format == "xlsx":
        body = exporting.to_xlsx(export)
    elif export_format == "csv":
        body = exporting.to_csv(export)
    else:
        body = exporting.to_vcard(export)
    response = current_app.response_class(body, mimetype=EXPORT_TYPES[export_format])
    chinese, plain = exporting.file_name(export_format, request_now().astimezone(local_zone()).date())
    response.headers["Content-Disposition"] = \
        f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(chinese)}"
    return response


@bp.route("/clients/bulk", methods=["POST"])
@require(CLIENTS_EDIT)
def bulk():
    """One action for the clients ticked in a search result."""
    ids = [client_id for client_id in map(whole_number, request.form.getlist("client_id")) if client_id]
    action = request.form.get("action", "")
    back = local_target(request.form.get("back"), url_for("clients.index"), prefix="/clients")
    value = request.form.get(action, "")
    if action == "set_owner":
        value = whole_number(value)
    try:
        if not ids:
            raise Invalid(_("请先勾选客户。"))
        done, refused = services.bulk_update(current_user, ids, action, value, request_now())
    except Invalid as problem:
        return _list_page(MultiDict(parse_qsl(urlsplit(back).query)), bulk_error=str(problem))
    flash(_("已处理 %(done)s 个客户。", done=done) if not refused else
          _("已处理 %(done)s 个客户，%(refused)s 个客户您无权修改，未处理。", done=done, refused=refused),
          "success" if not refused else "warning")
    return redirect(back)


@bp.route("/clients/settings", methods=["GET", "POST"])
@require(SETTINGS_BUSINESS)
def archive_settings():
    """VIP thresholds, the default length of an access grant and the stay-in-touch rhythms, kept
    by a manager."""
    keys = {"single_purchase_min": "vip.single_purchase_min",
            "monthly_purchase_min": "vip.monthly_purchase_min", "grant_days": "archive.grant_days",
            **{name: rhythm_key(stage, tier) for (stage, tier), name in forms.RHYTHM_FIELDS.items()}}
    form = forms.ArchiveSettingsForm(
        data=None if request.method == "POST" else {name: get_setting(key) for name, key in keys.items()})
    if form.validate_on_submit():
        services.save_archive_settings(current_user, {key: form[name].data for name, key in keys.items()},
                                       request_now())
        flash(_("设置已保存。"), "success")
        return redirect(url_for("clients.archive_settings"))
    status = 422 if request.method == "POST" else 200
    return render("clients/settings.html", form=form, labels=labels, status_code=status)
