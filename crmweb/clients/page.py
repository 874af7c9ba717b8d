"""What one client's page shows a person: gathered by one call, the confidential part read (and
audited) once, every rule of who sees what applied here rather than in the view."""
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crmweb import areas
from crmweb.auth.models import User
from crmweb.auth.permissions import CLIENTS_MERGE, role_can
from crmweb.clients import access, duplicates, rules, timeline
from crmweb.clients.models import Client, ClientConfidential, Interaction
from crmweb.clients.sections import Section
from crmweb.documents.models import Document
from crmweb.extensions import db


@dataclass
class ClientPage:
    client: Client
    may_read: bool                        # the confidential sections
    confidential: ClientConfidential | None
    may_edit: bool
    access_pending: bool                  # the person's own request to read, waiting
    grant_until: datetime | None          # until when the person's grant lasts
    vip_status: str                       # "eligible" only to who may see the dealings
    timeline: list
    correctable: set[tuple[str, int]]     # ("interactions" | "events", id) the person may correct
    merge_candidates: list                # for those who merge: archives that look like this one
    panels: list                          # other areas' cards on the page (a gift ledger …)
    attachments: dict                     # interaction id → the files on it (those one may see)


def timeline_kind(item) -> str:
    return "interactions" if isinstance(item, Interaction) else "events"


def client_page(actor: User, client: Client, now: datetime) -> ClientPage:
    may_read = access.can_read_confidential(actor, client, now)
    entries = timeline.timeline(client)
    return ClientPage(
        client=client, may_read=may_read,
        confidential=access.read_confidential(actor, client, now) if may_read else None,
        may_edit=access.can_edit(actor, client),
        access_pending=not may_read and access.access_pending(actor.id, client.id),
        grant_until=None if access.reads_without_grant(actor, client)
        else access.grant_until(actor.id, client.id, now),
        vip_status=rules.shown_vip_status(client.vip_status, access.sees_dealings(actor, client, now)),
        timeline=entries,
        correctable={(timeline_kind(item), item.id) for item in entries
                     if not item.voided and timeline.can_correct(actor, item, now)},
        merge_candidates=duplicates.merge_candidates(client) if role_can(actor.role, CLIENTS_MERGE) else [],
        panels=[card for area in areas.AREAS if area.client_panels
                for card in area.client_panels(actor, client, may_read)],
        attachments=interaction_files([item.id for item in entries if isinstance(item, Interaction)],
                                      may_read))


def interaction_files(interaction_ids: list[int], may_read_confidential: bool) -> dict[int, list[Document]]:
    """The files on these timeline entries, in one query; confidential ones only for who reads the
    client's confidential parts."""
    if not interaction_ids:
        return {}
    query = sa.select(Document).where(Document.owner_kind == "interaction",
                                      Document.owner_id.in_(interaction_ids))
    if not may_read_confidential:
        query = query.where(Document.confidential.is_(False))
    found: dict[int, list[Document]] = {}
    for document in db.session.scalars(query.order_by(Document.id)):
        found.setdefault(document.owner_id, []).append(document)
    return found


@dataclass
class SectionView:
    source: Client | ClientConfidential   # where the section's fields are read from
    may_read: bool                        # the confidential sections
    may_edit: bool


def section_view(actor: User, client: Client, section: Section, now: datetime) -> SectionView:
    """One section alone (its fragment, its edit form): the same rules as the page, the
    confidential part read (and audited) once."""
    access.require_archive(actor, client, now)
    return SectionView(
        source=access.read_confidential(actor, client, now) if section.confidential else client,
        may_read=access.can_read_confidential(actor, client, now),
        may_edit=access.can_edit(actor, client))
