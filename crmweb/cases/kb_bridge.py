"""Where cases meet the knowledge base: its best answers for a case's text, and a resolved case
written up as a draft article without the client's details."""

from datetime import datetime

from flask_babel import gettext as _

from crmweb.auth.audit import record_audit
from crmweb.auth.models import User
from crmweb.cases import labels
from crmweb.cases.models import Case
from crmweb.extensions import db
from crmweb.kb import search
from crmweb.kb import services as kb
from crmweb.kb.models import Article

SUGGESTED = 3
QUERY_CHARS = 200  # the start of the description is what the case is about


def answers_for(case: Case) -> list[search.Hit]:
    return search.search(case.description[:QUERY_CHARS], limit=SUGGESTED) if case.description.strip() else []


def draft_from(actor: User, case: Case, now: datetime) -> Article:
    names = [case.client.name] + [contact.name for contact in case.client.contacts]
    problem = kb.strip_client_details(case.description, names)
    answer = kb.strip_client_details(case.resolution, names)
    article = kb.save_article(
        actor,
        None,
        {
            "title": problem[:40],
            "category": str(labels.KINDS[case.kind]),
            "tags": case.product[:30],
            "synonyms": "",
            "body": _("问题：%(problem)s\n\n处理：%(answer)s", problem=problem, answer=answer),
        },
        now,
    )
    record_audit(
        "cases.to_kb",
        target_type="case",
        target_id=case.id,
        actor=actor,
        now=now,
        detail=f"article={article.id}",
    )
    db.session.commit()
    return article
