"""/kb: search as you type, read, write, publish; synonyms and the authors' report."""
from datetime import timedelta

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import load_only
from sqlalchemy.orm.attributes import set_committed_value

from crmweb.auth.permissions import KB_PUBLISH, KB_SYNONYMS, KB_VIEW, KB_WRITE, can, require
from crmweb.clients import access
from crmweb.clients.models import Interaction
from crmweb.errors import NotAllowed
from crmweb.extensions import db
from crmweb.htmx import is_fragment_request, render
from crmweb.ids import whole_number
from crmweb.kb import bp, search, services, text
from crmweb.kb.forms import ArticleForm, SynonymsForm
from crmweb.kb.models import Article
from crmweb.pagination import paginate
from crmweb.timeutil import request_now


@bp.route("/kb")
@require(KB_VIEW)
def index():
    query = request.args.get("q", "").strip()[:100]
    hits, log_id = [], None
    if query:
        hits = search.search(query)
        log_id = services.log_search(current_user, query, len(hits), request_now())
    words = search.highlight_words(query) if query else []
    landing = {} if query else {"categories": services.categories(),
                                "popular": services.published(
                                    order=(Article.views.desc(), Article.id.desc()), limit=8),
                                "recent": services.published(
                                    order=(Article.updated_at.desc(), Article.id.desc()), limit=8)}
    response = render("kb/index.html", "kb/_results.html", query=query, hits=hits, log_id=log_id,
                      words=words, highlight=text.highlight, snippet=text.snippet,
                      plain_text=search.plain_text, **landing)
    if is_fragment_request():
        response.headers["HX-Push-Url"] = url_for("kb.index", q=query) if query else url_for("kb.index")
    return response


@bp.route("/kb/browse")
@require(KB_VIEW)
def browse():
    category, tag = request.args.get("category", "")[:64], request.args.get("tag", "")[:32]
    # A page of titles: the bodies stay in the database.
    articles = services.published_query(category=category, tag=tag).options(
        load_only(Article.id, Article.title, Article.category))
    page = paginate(articles, request.args.get("page", 1), current_app.config["PAGE_SIZE"])
    return render("kb/browse.html", "kb/_browse_list.html", page=page, category=category, tag=tag,
                  categories=services.categories(), drafts=services.unpublished(current_user))


@bp.route("/kb/<int:article_id>")
@require(KB_VIEW)
def article(article_id):
    item = services.get_article(article_id, current_user)
    log_id = whole_number(request.args.get("s"))
    if log_id:
        services.log_click(log_id, current_user, item.id)
    if item.status == "published":
        services.count_view(item)
        # The page shows the count with this read in it (the UPDATE above is not in the session).
        set_committed_value(item, "views", (item.views or 0) + 1)
    return render("kb/article.html", "kb/_votes.html", article=item, related=search.related(item),
                  may_edit=services.may_edit(current_user, item),
                  may_publish=services.may_publish(current_user),
                  my_vote=services.my_vote(item, current_user))


@bp.route("/kb/<int:article_id>/vote", methods=["POST"])
@require(KB_VIEW)
def vote(article_id):
    item = services.get_article(article_id, current_user)
    helpful = request.form.get("helpful")
    if helpful not in ("yes", "no"):
        abort(400)
    services.vote(current_user, item, helpful == "yes", request_now())
    if is_fragment_request():
        return render("kb/article.html", "kb/_votes.html", article=item, my_vote=helpful == "yes")
    return redirect(url_for("kb.article", article_id=item.id))


@bp.route("/kb/new", methods=["GET", "POST"])
@require(KB_WRITE)
def new():
    form = ArticleForm()
    if request.method == "GET":
        form.process(data=_prefill())
    if form.validate_on_submit():
        item = services.save_article(current_user, None, form.data, request_now())
        flash(_("草稿已保存，主管或经理发布后所有人可见。"), "success")
        return redirect(url_for("kb.article", article_id=item.id))
    return render("kb/edit.html", form=form, article=None,
                  status_code=422 if request.method == "POST" else 200)


def _prefill() -> dict:
    """A new article's first words: a search that found nothing, or a client's case."""
    interaction_id = whole_number(request.args.get("interaction"))
    if interaction_id:

        interaction = db.session.get(Interaction, interaction_id)
        if interaction is None or not can("clients.view"):
            abort(404)
        return services.draft_from_interaction(interaction, access.get_client(interaction.client_id))
    return {"title": request.args.get("title", "")[:200]}


@bp.route("/kb/<int:article_id>/edit", methods=["GET", "POST"])
@require(KB_WRITE)
def edit(article_id):
    item = services.get_article(article_id, current_user)
    if not services.may_edit(current_user, item):
        raise NotAllowed(_("只有主管和经理可以修改已发布的文章。"))
    form = ArticleForm(obj=item if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = "，".join(item.tag_list)
    if form.validate_on_submit():
        services.save_article(current_user, item, form.data, request_now())
        flash(_("已保存。"), "success")
        return redirect(url_for("kb.article", article_id=item.id))
    return render("kb/edit.html", form=form, article=item,
                  status_code=422 if request.method == "POST" else 200)


@bp.route("/kb/<int:article_id>/status", methods=["POST"])
@require(KB_PUBLISH)
def set_status(article_id):
    item = services.get_article(article_id, current_user)
    services.set_status(current_user, item, request.form.get("status", ""), request_now())
    flash({"published": _("已发布。"), "archived": _("已归档。"), "draft": _("已退回草稿。")}[item.status],
          "success")
    return redirect(url_for("kb.article", article_id=item.id))


@bp.route("/kb/<int:article_id>/revisions")
@require(KB_WRITE)
def revisions(article_id):
    item = services.get_article(article_id, current_user)
    return render("kb/revisions.html", article=item, revisions=services.revisions(item))


@bp.route("/kb/synonyms", methods=["GET", "POST"])
@require(KB_SYNONYMS)
def synonyms():
    form = SynonymsForm()
    if form.validate_on_submit():
        count = services.replace_synonyms(current_user, form.groups.data.splitlines(), request_now())
        flash(_("已保存 %(count)s 组同义词。", count=count), "success")
        return redirect(url_for("kb.synonyms"))
    if request.method == "GET":
        form.groups.data = "\n".join(services.synonym_groups())
    return render("kb/synonyms.html", form=form,
                  status_code=422 if request.method == "POST" else 200)


@bp.route("/kb/report")
@require(KB_WRITE)
def report():
    days = whole_number(request.args.get("days"), maximum=365) or 30
    nothing_found, nothing_opened = services.unanswered_searches(request_now() - timedelta(days=days))
    return render("kb/report.html", days=days, nothing_found=nothing_found, nothing_opened=nothing_opened)
