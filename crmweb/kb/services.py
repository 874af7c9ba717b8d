"""Use cases of the knowledge base: write, publish, archive, vote, import, keep synonyms, log."""
import json
import re
from datetime import datetime, timedelta

import nh3
import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy.orm import load_only

from crmweb.auth.actors import CommandLineActor
from crmweb.auth.audit import record_audit
from crmweb.auth.permissions import KB_PUBLISH, KB_WRITE, role_can
from crmweb.database import chunks, refresh_statistics, side_write
from crmweb.errors import Invalid, NotAllowed, NotFound
from crmweb.extensions import db
from crmweb.kb import search, text
from crmweb.kb.default_synonyms import default_groups
from crmweb.kb.models import (
    Article,
    ArticleStatus,
    FieldLengths,
    IndexedText,
    Posting,
    Revision,
    SearchLog,
    SynonymGroup,
    TermStats,
    Vote,
)

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote",
                "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}
EDITABLE = ("title", "body", "category", "tags", "synonyms")


def sanitise(html: str) -> str:
    """Only safe HTML survives: no scripts, no event handlers, no javascript: links."""
    return nh3.clean(html or "", tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def as_html(body: str) -> str:
    """Plain text (imports, drafts from a case) becomes paragraphs; HTML is sanitised."""
    if re.search(r"<(p|br|ul|ol|li|strong|em|h3|h4|table)\b", body or "", re.I):
        return sanitise(body)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", body or "") if p.strip()]
    return "".join(f"<p>{str(escape(p)).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def clean_tags(raw: str) -> str:
    parts = re.split(r"[,，、;；\s]+", raw or "")
    return ",".join(dict.fromkeys(p.strip()[:32] for p in parts if p.strip()))[:500]


def may_publish(user) -> bool:
    return role_can(user.role, KB_PUBLISH)


def may_read(user, article: Article) -> bool:
    return article.status == "published" or may_publish(user) or article.author_id == user.id


def may_edit(user, article: Article) -> bool:
    """Editors edit anything; an author edits their own article while it is a draft."""
    return may_publish(user) or (article.author_id == user.id and article.status == "draft")


def get_article(article_id: int, user) -> Article:
    article = db.session.get(Article, article_id)
    if article is None or not may_read(user, article):
        raise NotFound(_("找不到这篇文章。"))
    return article


def _revise(article: Article, actor, changed: list[str], now: datetime) -> None:
    db.session.add(Revision(article_id=article.id, editor_id=actor.id if actor else None, at=now,
                            status=article.status, title=article.title, body=article.body,
                            category=article.category, tags=article.tags, synonyms=article.synonyms,
                            changed=",".join(changed)[:200]))


def save_article(actor, article: Article | None, values: dict, now: datetime) -> Article:
    """Create a draft or change an article; a published one is re-indexed at once."""
    article, _changed = _write_article(actor, article, values, now)
    db.session.commit()
    return article


def _write_article(actor, article: Article | None, values: dict, now: datetime, ref: str | None = None,
                   publish: bool = False, bulk: search.BulkIndexing | None = None) -> tuple[Article, bool]:
    """The article written, revised and (re)indexed, not yet committed, and whether anything
    changed. `publish` (imports from an approved source) publishes it too; `bulk` see
    `search.index_article`."""
    values = {"body": as_html(values.get("body", "")), "tags": clean_tags(values.get("tags", "")),
              "title": (values.get("title") or "").strip()[:200],
              "category": (values.get("category") or "").strip()[:64],
              "synonyms": (values.get("synonyms") or "").strip()[:500]}
    if article is None:
        article = Article(author_id=actor.id, created_at=now, status="draft", views=0, helpful_yes=0,
                          helpful_no=0, ref=ref, **{k: values[k] for k in EDITABLE})
        db.session.add(article)
        changed = list(EDITABLE)
    else:
        if not may_edit(actor, article):
            raise NotAllowed(_("只有主管和经理可以修改已发布的文章。"))
        changed = [k for k in EDITABLE if getattr(article, k) != values[k]]
        for key in changed:
            setattr(article, key, values[key])
    if publish and article.status != "published":
        article.status, article.published_at = "published", article.published_at or now
        changed.append("status")
    if changed:
        article.editor_id, article.updated_at = actor.id, now
        db.session.flush()
        _revise(article, actor, changed, now)
        search.index_article(article, bulk)
    return article, bool(changed)


def set_status(actor, article: Article, status: str, now: datetime) -> None:
    """Publish or archive (supervisors and managers), or take back to draft."""
    if status not in tuple(ArticleStatus):
        raise Invalid(_("未知的状态。"))
    if not may_publish(actor):
        raise NotAllowed(_("只有主管和经理可以发布或归档文章。"))
    article.status, article.updated_at, article.editor_id = status, now, actor.id
    if status == "published" and article.published_at is None:
        article.published_at = now
    _revise(article, actor, ["status"], now)
    search.index_article(article)
    record_audit(f"kb.{status}", target_type="article", target_id=article.id, actor=actor, now=now)
    db.session.commit()


def vote(actor, article: Article, helpful: bool, now: datetime) -> None:
    """One vote per person; a changed mind moves the vote."""
    existing = db.session.get(Vote, (article.id, actor.id))
    if existing is not None:
        if existing.helpful == helpful:
            return
        if existing.helpful:
            article.helpful_yes -= 1
        else:
            article.helpful_no -= 1
        existing.helpful, existing.at = helpful, now
    else:
        db.session.add(Vote(article_id=article.id, user_id=actor.id, helpful=helpful, at=now))
    if helpful:
        article.helpful_yes += 1
    else:
        article.helpful_no += 1
    db.session.commit()


def count_view(article: Article) -> None:
    """A read: one more view (an UPDATE by expression, so concurrent readers all count)."""

    with side_write() as session:
        session.execute(sa.update(Article.__table__).where(Article.id == article.id)
                        .values(views=Article.__table__.c.views + 1))


TYPING_PAUSE = timedelta(seconds=15)


def log_search(user, query: str, results: int, now: datetime) -> int | None:
    """Log a search. Searching as one types sends 报, 报修, 报修流程 in turn: a query that grows
    (or shrinks) the same person's previous one within a few seconds replaces it."""

    query = text.normalise(query).strip()[:200]
    if not query or text.is_composing(query):
        return None
    log = SearchLog.__table__  # plain statements: this runs on every keystroke
    with side_write() as session:
        last = session.execute(sa.select(log.c.id, log.c.at, log.c.query, log.c.clicked_article_id)
                               .where(log.c.user_id == user.id).order_by(log.c.id.desc()).limit(1)).first()
        if (last is not None and last.clicked_article_id is None and now - last.at < TYPING_PAUSE
                and (query.startswith(last.query) or last.query.startswith(query))):
            session.execute(sa.update(log).where(log.c.id == last.id)
                            .values(query=query, results=results, at=now))
            return last.id
        return session.execute(sa.insert(log).values(at=now, user_id=user.id, query=query, results=results)
                               .returning(log.c.id)).scalar_one()


def log_click(log_id: int, user, article_id: int) -> None:

    with side_write() as session:
        session.execute(sa.update(SearchLog.__table__)
                        .where(SearchLog.id == log_id, SearchLog.user_id == user.id)
                        .values(clicked_article_id=article_id))


def unanswered_searches(since: datetime, limit: int = 100):
    """Searches that found nothing, and searches whose results nobody opened, most frequent first."""
    def grouped(condition):
        count = sa.func.count().label("times")
        return db.session.execute(
            sa.select(SearchLog.query, count, sa.func.max(SearchLog.at).label("last"))
            .where(SearchLog.at >= since, condition).group_by(SearchLog.query)
            .order_by(count.desc(), SearchLog.query).limit(limit)).all()

    return (grouped(SearchLog.results == 0),
            grouped(sa.and_(SearchLog.results > 0, SearchLog.clicked_article_id.is_(None))))


def ensure_default_synonyms(now: datetime) -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(SynonymGroup)) == 0:
        for line in default_groups():
            db.session.add(SynonymGroup(words=line, updated_at=now))


def replace_synonyms(actor, lines: list[str], now: datetime) -> int:
    groups = [" = ".join(words) for words in (text.parse_synonym_line(line) for line in lines)
              if len(words) >= 2]
    db.session.execute(sa.delete(SynonymGroup.__table__))
    for group in groups:
        db.session.add(SynonymGroup(words=group[:500], updated_at=now))
    record_audit("kb.synonyms_changed", target_type="kb", target_id="synonyms",
                 detail=f"groups={len(groups)}", actor=actor, now=now)
    db.session.commit()
    return len(groups)


IMPORT_BATCH = 200  # articles per transaction: a second or two of work
BULK_LOAD = 1_000  # articles from one import past which the planner's statistics are refreshed
KB_TABLES = [model.__tablename__ for model in (Article, Posting, FieldLengths, IndexedText, TermStats)]


def import_articles(lines, now: datetime) -> tuple[int, int, int, list[str]]:
    """JSON lines of ref, title, body, category, tags; a known ref updates its article.

    Imported articles are published (they come from an approved source), committed in batches:
    short enough not to hold up people's own writes, long enough to be quick. Returns (created,
    updated, skipped as unchanged, problems by line).
    """
    created = updated = skipped = 0
    problems = []
    system = CommandLineActor()
    # Term counts are written once per batch: updating the same rows for every article of one
    # transaction is slow on PostgreSQL (each update a new row version to walk past). The field
    # lengths' averages are kept through the batch rather than read again for every article.
    bulk = search.BulkIndexing()
    refreshed_at = 0  # articles written when the statistics were last refreshed

    def refresh():
        nonlocal refreshed_at
        refresh_statistics(KB_TABLES)
        refreshed_at = created + updated

    def commit_batch():
        bulk.write()
        db.session.commit()
        # PostgreSQL plans each foreign-key check once per connection and keeps the plan until
        # the table's statistics change: made while the articles table looked empty (a new
        # knowledge base, or one the nightly statistics saw empty), it is a scan of the whole table
        # for every posting written, and without autovacuum 20,000 articles took hours. New
        # statistics each time the import has doubled its articles make it plan again.
        if created + updated >= max(IMPORT_BATCH, 2 * refreshed_at):
            refresh()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            ref, title, body = str(record["ref"]).strip(), str(record["title"]).strip(), str(record["body"])
        except (ValueError, KeyError, TypeError):
            problems.append(_("第 %(line)s 行：不是包含 ref、title、body 的 JSON。", line=number))
            continue
        if not ref or not title:
            problems.append(_("第 %(line)s 行：ref 和 title 不能为空。", line=number))
            continue
        tags = record.get("tags") or []
        values = {"title": title, "body": body, "category": str(record.get("category") or ""),
                  "tags": ",".join(tags) if isinstance(tags, list) else str(tags), "synonyms": ""}
        article = db.session.scalar(sa.select(Article).where(Article.ref == ref))
        _article, changed = _write_article(system, article, values, now, ref=ref, publish=True,
                                           bulk=bulk)
        if article is None:
            created += 1
        elif changed:
            updated += 1
        else:
            skipped += 1
        if changed and (created + updated) % IMPORT_BATCH == 0:
            commit_batch()
    commit_batch()
    if created + updated >= BULK_LOAD and created + updated != refreshed_at:
        refresh()
    return created, updated, skipped, problems


def reindex_all() -> int:
    """Every article indexed again, in batches: after an upgrade that changed how text is cut
    into terms, so that the index and new queries agree. Returns how many articles."""
    ids = db.session.scalars(sa.select(Article.id).order_by(Article.id)).all()
    for batch in chunks(ids, IMPORT_BATCH):
        bulk = search.BulkIndexing()
        for article in db.session.scalars(sa.select(Article).where(Article.id.in_(batch))):
            search.index_article(article, bulk)
        bulk.write()
        db.session.commit()
    return len(ids)


def strip_client_details(content: str, names: list[str]) -> str:
    """A case's text without who the client is: names, phone numbers and emails removed."""
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        content = content.replace(name, _("（客户）"))
    content = re.sub(r"\+?\d[\d\s-]{6,}\d", _("（电话）"), content)
    return re.sub(r"[\w.+-]+@[\w-]+\.[\w.]+", _("（邮箱）"), content)


def draft_from_interaction(interaction, client) -> dict:
    names = [client.name] + [c.name for c in client.contacts]
    content = strip_client_details(interaction.content or "", names)
    return {"title": strip_client_details(content[:40], names), "body": content,
            "category": _("投诉处理") if interaction.kind == "complaint" else "", "tags": "", "synonyms": ""}


# --- reading ------------------------------------------------------------------------------------

def published(category: str = "", tag: str = "", order=None, limit: int = 500) -> list[Article]:
    """Published articles, by title unless told otherwise (`order`: the columns to sort by), of one
    category or tag if given."""
    return db.session.scalars(published_query(category, tag, order).limit(limit)).all()


def published_query(category: str = "", tag: str = "", order=None):
    statement = sa.select(Article).where(Article.status == "published")
    if category:
        statement = statement.where(Article.category == category)
    if tag:
        # Tags are stored comma separated with commas at neither end.
        statement = statement.where(sa.or_(
            Article.tags == tag, Article.tags.startswith(tag + ",", autoescape=True),
            Article.tags.endswith("," + tag, autoescape=True),
            Article.tags.contains("," + tag + ",", autoescape=True)))
    # Ties broken in the order's own direction, so that an index on it serves the whole order.
    return statement.order_by(*(order if order is not None else (Article.title, Article.id)))


def unpublished(user) -> list[Article]:
    """Drafts and archived articles an author may see: their own, or all for an editor."""
    if not role_can(user.role, KB_WRITE):
        return []
    mine = sa.true() if role_can(user.role, KB_PUBLISH) else Article.author_id == user.id
    return db.session.scalars(sa.select(Article).where(Article.status != "published", mine)
                              .options(load_only(Article.id, Article.title, Article.status))
                              .order_by(Article.updated_at.desc()).limit(100)).all()


def categories() -> list:
    return db.session.execute(
        sa.select(Article.category, sa.func.count()).where(Article.status == "published",
                                                            Article.category != "")
        .group_by(Article.category).order_by(Article.category)).all()


def my_vote(article: Article, user) -> bool | None:
    return db.session.scalar(sa.select(Vote.helpful).where(Vote.article_id == article.id,
                                                           Vote.user_id == user.id))


def revisions(article: Article) -> list[Revision]:
    return db.session.scalars(sa.select(Revision).where(Revision.article_id == article.id)
                              .order_by(Revision.at.desc(), Revision.id.desc())).all()


def synonym_groups() -> list[str]:
    return list(db.session.scalars(sa.select(SynonymGroup.words).order_by(SynonymGroup.id)))
