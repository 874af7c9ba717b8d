"""Who may do what: roles and permissions as data (DESIGN.md §2), enforced in one place.

Every endpoint declares what it needs with @require(...), @login_required_only or @public.
`enforce_endpoint_permission` runs before every request and refuses an endpoint that declared
nothing, so a forgotten declaration is a 403, not an open door.
"""
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from crmweb.errors import Denied

ROLES = {
    "director": _l("总经理 / 客户总监"),
    "manager": _l("客户服务经理"),
    "supervisor": _l("客户关系主管"),
    "specialist": _l("客户关系专员"),
    "sales": _l("销售"),
    "service": _l("客服"),
    "reception": _l("前台"),
    "admin": _l("系统管理员"),
}

DASHBOARD_VIEW = "dashboard.view"
ADMIN_USERS = "admin.users"
ADMIN_AUDIT = "admin.audit"
ADMIN_BACKUPS = "admin.backups"        # see the backups made and whether their check passed
USERS_CONFIRM = "users.confirm"        # confirm an administrator's change that gives archive-wide rights
CLIENTS_VIEW = "clients.view"          # list and search; their own clients' archives
CLIENTS_READ_ANY = "clients.read_any"  # every client's basics, contacts and timeline, not its secrets
ARCHIVE_READ_ANY = "archive.read_any"  # every client's confidential sections
CLIENTS_CREATE = "clients.create"
CLIENTS_EDIT = "clients.edit"          # their own clients' archives
CLIENTS_EDIT_ANY = "clients.edit_any"  # every client's archive (数据更新由指定人员维护)
CLIENTS_RECORD = "clients.record"      # interactions and purchase/service events
CLIENTS_SET_TIER = "clients.set_tier"
CLIENTS_APPROVE_VIP = "clients.approve_vip"
CLIENTS_REASSIGN = "clients.reassign"
CLIENTS_MERGE = "clients.merge"        # merge two archives of one client
CLIENTS_IMPORT = "clients.import"
CLIENTS_EXPORT = "clients.export"
ARCHIVE_GRANT = "archive.grant"        # decide requests to read confidential sections
SETTINGS_BUSINESS = "settings.business"
KB_VIEW = "kb.view"                    # search and read published articles
KB_WRITE = "kb.write"                  # write drafts, see the authors' report
KB_PUBLISH = "kb.publish"              # publish, edit any article, archive
KB_SYNONYMS = "kb.synonyms"
BOOKINGS_VIEW = "bookings.view"        # the visits list, a visit, its passes and calendar
BOOKINGS_CREATE = "bookings.create"    # book, change and cancel a visit
BOOKINGS_APPROVE = "bookings.approve"  # approve visits, allow one on a non-working day
BOOKINGS_APPROVE_IF_SET = "bookings.approve_if_set"  # approve when the setting lets supervisors
RECEPTION_DESK = "reception.desk"      # today's visitors, check-in and out, walk-ins
ROOMS_MANAGE = "rooms.manage"          # meeting rooms
MESSAGES_SEND = "messages.send"        # send a template to a selection, follow its progress
MESSAGES_TEMPLATES = "messages.templates"  # write the SMS and email templates
MESSAGES_SETUP = "messages.setup"      # see which providers are configured, send a test message
CALENDAR_EDIT = "calendar.edit"        # correct and extend the working calendar
GIFTS_VIEW = "gifts.view"              # the gift catalogue and its stock
GIFTS_STOCK = "gifts.stock"            # gifts, stock received and counted
GIFTS_LIST_PROSPECTS = "gifts.list_prospects"  # compile a campaign's list of prospects
GIFTS_LIST_CLIENTS = "gifts.list_clients"      # start campaigns; compile their VIP and key-client lists
GIFTS_APPROVE_PROSPECTS = "gifts.approve_prospects"  # approve lists of prospects (the manager)
GIFTS_APPROVE_CLIENTS = "gifts.approve_clients"      # approve VIP and key-client lists (the director)
GIFTS_SEND = "gifts.send"              # mark approved gifts sent
GIFTS_REPORTS = "gifts.reports"        # campaign reports and their export (manager, director)
CALLBACKS_VIEW = "callbacks.view"      # one's own callbacks: make them, retry, reschedule
CALLBACKS_TEAM = "callbacks.team"      # everyone's callbacks: hand them out, start campaigns
CALLBACKS_RULES = "callbacks.rules"    # the table of which events call for which callbacks
PLANS_VIEW = "plans.view"              # maintenance plans, their tasks; one's own tasks and progress
PLANS_DRAFT = "plans.draft"            # draft, submit, start and close plans; split them into tasks
PLANS_REVIEW = "plans.review"          # review submitted plans or return them (the manager)
PLANS_APPROVE = "plans.approve"        # approve reviewed plans or return them (the director)
CASES_OPEN = "cases.open"              # open a service case (the front desk too)
CASES_VIEW = "cases.view"              # cases: one's own to work, every case to read
CASES_TEAM = "cases.team"              # assign, escalate and work any case; reports; repeat complainers
CASES_SETUP = "cases.setup"            # the deadline table and the working hours
DOCUMENTS_USE = "documents.use"        # files on what one may read (a client, a case); its rules decide
EVALUATIONS_SETS = "evaluations.sets"  # draft the evaluation form: indicators, weights, grades
EVALUATIONS_APPROVE = "evaluations.approve"  # approve a version of the form (the manager)
EVALUATIONS_WRITE = "evaluations.write"      # evaluate clients; read evaluations and the graded roster
REPORTS_VALUE = "reports.value"        # analyses with the clients' figures: 80/20, effort against value
REPORTS_RISK = "reports.risk"          # clients at risk and lost, satisfaction: lists to act on
ACTIVITIES_VIEW = "activities.view"    # client activities and trials, who is invited, what they said
ACTIVITIES_MANAGE = "activities.manage"  # plan activities and run any (their organisers run their own)
CONTRACTS_VIEW = "contracts.view"      # the contracts list (of the clients whose archive one sees)

_BOOKERS = {BOOKINGS_VIEW, BOOKINGS_CREATE}
_STAFF = {DASHBOARD_VIEW, CLIENTS_VIEW, CLIENTS_RECORD, KB_VIEW, CALLBACKS_VIEW, CASES_OPEN, DOCUMENTS_USE}
_ARCHIVE_KEEPERS = _STAFF | {CLIENTS_CREATE, CLIENTS_EDIT, CONTRACTS_VIEW}
_KB_EDITORS = {KB_WRITE, KB_PUBLISH}
_MANAGEMENT = _ARCHIVE_KEEPERS | _KB_EDITORS | {
    CLIENTS_READ_ANY, ARCHIVE_READ_ANY, CLIENTS_EDIT_ANY,
    CLIENTS_SET_TIER, CLIENTS_IMPORT, CLIENTS_APPROVE_VIP, CLIENTS_REASSIGN, CLIENTS_EXPORT, CLIENTS_MERGE,
    ARCHIVE_GRANT, SETTINGS_BUSINESS, KB_SYNONYMS, *_BOOKERS, BOOKINGS_APPROVE, RECEPTION_DESK,
    MESSAGES_SEND, MESSAGES_TEMPLATES, GIFTS_VIEW, GIFTS_STOCK, GIFTS_LIST_PROSPECTS, GIFTS_LIST_CLIENTS,
    GIFTS_APPROVE_PROSPECTS, GIFTS_SEND, GIFTS_REPORTS, CALLBACKS_TEAM, CALLBACKS_RULES,
    CASES_VIEW, CASES_TEAM, CASES_SETUP, EVALUATIONS_APPROVE, EVALUATIONS_WRITE, REPORTS_VALUE, REPORTS_RISK,
    ACTIVITIES_VIEW, ACTIVITIES_MANAGE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "director": frozenset(_MANAGEMENT | {USERS_CONFIRM, GIFTS_APPROVE_CLIENTS, PLANS_VIEW, PLANS_APPROVE}),
    "manager": frozenset(_MANAGEMENT | {PLANS_VIEW, PLANS_REVIEW}),
    "supervisor": frozenset(_ARCHIVE_KEEPERS | _KB_EDITORS | _BOOKERS | {
        CLIENTS_READ_ANY, CLIENTS_EDIT_ANY, CLIENTS_SET_TIER, CLIENTS_IMPORT, BOOKINGS_APPROVE_IF_SET,
        MESSAGES_SEND, MESSAGES_TEMPLATES, GIFTS_VIEW, GIFTS_STOCK, GIFTS_LIST_PROSPECTS, GIFTS_SEND,
        CALLBACKS_TEAM, PLANS_VIEW, PLANS_DRAFT, CASES_VIEW, CASES_TEAM, EVALUATIONS_SETS, EVALUATIONS_WRITE,
        REPORTS_RISK, ACTIVITIES_VIEW, ACTIVITIES_MANAGE}),
    "specialist": frozenset(_ARCHIVE_KEEPERS | _BOOKERS | {CLIENTS_READ_ANY, CLIENTS_IMPORT, KB_WRITE,
                                                           MESSAGES_SEND, GIFTS_VIEW, GIFTS_LIST_PROSPECTS,
                                                           GIFTS_SEND, PLANS_VIEW, CASES_VIEW,
                                                           ACTIVITIES_VIEW}),
    # Sales keep their own clients; of other owners' clients they see name, tier and owner.
    "sales": frozenset(_ARCHIVE_KEEPERS | _BOOKERS),
    "service": frozenset(_STAFF | {CLIENTS_READ_ANY, KB_WRITE, CASES_VIEW}),
    # Reception receives visitors and answers them from the knowledge base; of the archive it
    # sees a visitor's client name and tier, nothing more.
    "reception": frozenset(_BOOKERS | {DASHBOARD_VIEW, KB_VIEW, RECEPTION_DESK, CASES_OPEN}),
    # Separation of duties: the administrator runs the system, not the business.
    "admin": frozenset({DASHBOARD_VIEW, ADMIN_USERS, ADMIN_AUDIT, ADMIN_BACKUPS, KB_VIEW, ROOMS_MANAGE,
                        MESSAGES_SETUP, CALENDAR_EDIT}),
}

PUBLIC = "public"
AUTHENTICATED = "authenticated"


KNOWN_PERMISSIONS = frozenset(p for perms in ROLE_PERMISSIONS.values() for p in perms)


def _known(permission: str) -> str:
    """A misspelt code would quietly deny (or, negated, allow): it is a bug, said at once."""
    if permission not in KNOWN_PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}")
    return permission


def role_can(role: str | None, permission: str) -> bool:
    return _known(permission) in ROLE_PERMISSIONS.get(role or "", frozenset())


def signed_in_user():
    """The signed-in user (or Flask-Login's anonymous one) itself, for code that reads it many
    times: each use of the `current_user` proxy looks the user up again."""
    return current_user._get_current_object()


def can(permission: str) -> bool:
    """For views and templates: may the signed-in user do this?"""
    return user_can(signed_in_user(), permission)


def user_can(user, permission: str) -> bool:
    if permission == AUTHENTICATED:
        return user.is_authenticated
    return _known(permission) and user.is_authenticated and role_can(user.role, permission)


def require(permission: str):
    """Declare the permission a view needs."""
    _known(permission)

    def declare(view):
        view.required_permission = permission
        return view

    return declare


def public(view):
    view.required_permission = PUBLIC
    return view


def login_required_only(view):
    """Any signed-in user, whatever the role (logout, own password)."""
    view.required_permission = AUTHENTICATED
    return view


def declared_permission(endpoint: str | None) -> str | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "required_permission", None)


def enforce_endpoint_permission():
    """before_request: unauthenticated → login; lacking permission → Denied (403 + audit)."""
    if request.endpoint is None:  # no route matched: the 404/405 handlers answer
        return None
    permission = declared_permission(request.endpoint)
    if permission == PUBLIC:
        return None
    if permission is None:
        raise Denied(None)
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if permission != AUTHENTICATED and not can(permission):
        raise Denied(permission)
    return None
