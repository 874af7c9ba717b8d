"""The knowledge base as people use it: search page, reading, writing, publishing, voting."""
import json
import re

import pytest
import sqlalchemy as sa

from crmweb.auth.models import AuditEvent
from crmweb.extensions import db
from crmweb.kb import search, services
from crmweb.kb.models import Article, Revision, SearchLog
from crmweb.timeutil import utcnow
from tests.conftest import gen_user, log_in

ARTICLES = [json.dumps(article, ensure_ascii=False) for article in [
    {"ref": "r1", "title": "设备出现故障如何报修?", "category": "售后维修", "tags": ["报修", "维修"],
     "body": "拨打服务热线或在网上提交报修单，维修人员24小时内上门。"},
    {"ref": "r2", "title": "如何开具增值税专用发票?", "category": "账单与发票", "tags": ["发票", "开票"],
     "body": "提供单位名称、税号、开户行及账号，财务三个工作日内开出。"},
    {"ref": "r3", "title": "參觀接待有哪些標準?", "category": "参观接待", "tags": ["接待"],
     "body": "重要客户安排专人陪同，准备茶点和纪念品。"},
]]


@pytest.fixture
def kb(app):
    with app.app_context():
        services.ensure_default_synonyms(utcnow())
        db.session.commit()
        services.import_articles(ARTICLES, utcnow())
        return {a.ref: a.id for a in db.session.scalars(sa.select(Article))}


def signed_in(app, client, role):
    user = gen_user(app, role)
    log_in(client, user.username)
    return user


def result_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="article-(\d+)"', page)]


@pytest.mark.parametrize("role", ["director", "manager", "supervisor", "specialist", "sales",
                                  "service", "reception", "admin"])
def test_every_role_searches_the_knowledge_base(app, client, kb, role):
    signed_in(app, client, role)
    page = client.get("/kb?q=报修", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert result_ids(page)[0] == kb["r1"]
    assert "<mark>报修</mark>" in page


def test_traditional_query_finds_the_simplified_article_and_the_reverse(app, client, kb):
    signed_in(app, client, "service")
    assert result_ids(client.get("/kb?q=發票").get_data(as_text=True))[0] == kb["r2"]
    assert result_ids(client.get("/kb?q=参观接待").get_data(as_text=True))[0] == kb["r3"]


def test_synonyms_find_what_the_client_calls_it_differently(app, client, kb):
    signed_in(app, client, "service")
    assert result_ids(client.get("/kb?q=修理").get_data(as_text=True))[0] == kb["r1"]


def test_nothing_found_says_so_offers_a_new_article_and_is_logged(app, client, kb):
    signed_in(app, client, "service")
    page = client.get("/kb?q=无人机航拍", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "没有找到" in page and "/kb/new?title=" in page
    report = client.get("/kb/report").get_data(as_text=True)
    assert "无人机航拍" in report.split('id="nothing-found"')[1].split("</section>")[0]


def test_a_click_from_the_results_is_recorded(app, client, kb):
    user = signed_in(app, client, "service")
    page = client.get("/kb?q=发票").get_data(as_text=True)
    link = re.search(r'href="(/kb/\d+\?s=\d+)"', page).group(1)
    assert client.get(link).status_code == 200
    with app.app_context():
        entry = db.session.scalar(sa.select(SearchLog).where(SearchLog.user_id == user.id))
        assert entry.clicked_article_id == kb["r2"]
        assert db.session.get(Article, kb["r2"]).views == 1


def test_search_fragment_pushes_a_clean_url_and_the_page_opens_directly(app, client, kb):
    signed_in(app, client, "service")
    response = client.get("/kb?q=报修", headers={"HX-Request": "true"})
    assert response.headers["HX-Push-Url"] == "/kb?q=%E6%8A%A5%E4%BF%AE"
    assert "<html" in client.get("/kb?q=报修").get_data(as_text=True)


def test_service_writes_a_draft_that_others_cannot_see_until_published(app, client, kb):
    author = signed_in(app, client, "service")
    response = client.post("/kb/new", data={"title": "冰箱不制冷怎么办", "category": "故障处理",
                                            "body": "先检查电源。\n\n再检查温控，\n再看门封。",
                                            "tags": "冰箱，制冷"})
    assert response.status_code == 302
    with app.app_context():
        draft = db.session.scalar(sa.select(Article).where(Article.title == "冰箱不制冷怎么办"))
        assert (draft.status, draft.author_id, draft.tags) == ("draft", author.id, "冰箱,制冷")
        assert draft.body == "<p>先检查电源。</p><p>再检查温控，<br>再看门封。</p>"
    colleague = app.test_client()
    signed_in(app, colleague, "sales")
    assert colleague.get(f"/kb/{draft.id}").status_code == 404
    assert draft.id not in result_ids(colleague.get("/kb?q=冰箱").get_data(as_text=True))
    assert client.post(f"/kb/{draft.id}/status", data={"status": "published"}).status_code == 403

    supervisor = app.test_client()
    signed_in(app, supervisor, "supervisor")
    assert supervisor.post(f"/kb/{draft.id}/status", data={"status": "published"}).status_code == 302
    assert draft.id in result_ids(colleague.get("/kb?q=冰箱不制冷").get_data(as_text=True))
    # Published: its author may no longer change it alone.
    assert client.post(f"/kb/{draft.id}/edit", data={"title": "改", "body": "改"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "kb.published"))


def test_editing_keeps_revisions_and_reindexes_at_once(app, client, kb):
    signed_in(app, client, "manager")
    client.post(f"/kb/{kb['r1']}/edit", data={"title": "设备坏了如何报修?", "body": "拨打热线。",
                                              "category": "售后维修", "tags": "报修"})
    assert result_ids(client.get("/kb?q=坏了").get_data(as_text=True))[0] == kb["r1"]
    page = client.get(f"/kb/{kb['r1']}/revisions").get_data(as_text=True)
    assert "title,body,tags" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Revision.id)).where(
            Revision.article_id == kb["r1"])) == 2


def test_archived_articles_leave_the_search(app, client, kb):
    signed_in(app, client, "manager")
    client.post(f"/kb/{kb['r2']}/status", data={"status": "archived"})
    assert kb["r2"] not in result_ids(client.get("/kb?q=发票").get_data(as_text=True))


def test_scripts_in_bodies_and_titles_never_run(app, client, kb):
    signed_in(app, client, "manager")
    client.post("/kb/new", data={
        "title": "<script>alert('t')</script>发票", "category": "x",
        "body": "<p onclick=\"alert(1)\">正文<script>alert(2)</script>"
                "<a href=\"javascript:alert(3)\">链接</a><img src=x onerror=alert(4)></p>"})
    with app.app_context():
        article = db.session.scalar(sa.select(Article).where(Article.category == "x"))
        assert "<script" not in article.body and "onclick" not in article.body
        assert "javascript:" not in article.body and "onerror" not in article.body
        assert "<img" not in article.body
        article_id = article.id
    page = client.get(f"/kb/{article_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_one_vote_per_person_which_they_may_change(app, hx_client, kb):
    signed_in(app, hx_client, "reception")
    hx_client.post(f"/kb/{kb['r3']}/vote", data={"helpful": "yes"})
    hx_client.post(f"/kb/{kb['r3']}/vote", data={"helpful": "yes"})
    page = hx_client.post(f"/kb/{kb['r3']}/vote", data={"helpful": "no"}).get_data(as_text=True)
    assert page.lstrip().startswith('<form id="votes"')
    with app.app_context():
        article = db.session.get(Article, kb["r3"])
        assert (article.helpful_yes, article.helpful_no) == (0, 1)
    assert hx_client.post(f"/kb/{kb['r3']}/vote", data={"helpful": "maybe"}).status_code == 400


def test_a_complaint_becomes_a_draft_without_who_the_client_is(app, client, kb):
    from tests.clients.helpers import make_client
    owner = signed_in(app, client, "specialist")
    client_id = make_client(app, owner, "徐州华通机械有限公司", contacts=[{"name": "曾小明"}])
    client.post(f"/clients/{client_id}/interactions", data={
        "kind": "complaint", "occurred_at": "2026-11-20T10:00",
        "content": "徐州华通机械有限公司的曾小明投诉：维修师傅迟到两小时，电话 13812345678 无人接听。"})
    from crmweb.clients.models import Interaction
    with app.app_context():
        interaction_id = db.session.scalar(sa.select(Interaction.id))
    assert "/kb/new?interaction=" in client.get(f"/clients/{client_id}").get_data(as_text=True)
    page = client.get(f"/kb/new?interaction={interaction_id}").get_data(as_text=True)
    assert "维修师傅迟到两小时" in page
    assert "徐州华通" not in page and "曾小明" not in page and "13812345678" not in page


def test_managers_keep_the_synonyms(app, client, kb):
    signed_in(app, client, "manager")
    assert "报修 = 维修" in client.get("/kb/synonyms").get_data(as_text=True)
    client.post("/kb/synonyms", data={"groups": "热线 = 服务电话 = 客服电话\n孤词"})
    with app.app_context():
        assert services.search.synonyms() == {
            "热线": {"服务电话", "客服电话"}, "服务电话": {"热线", "客服电话"},
            "客服电话": {"热线", "服务电话"}}
    service = app.test_client()
    signed_in(app, service, "service")
    assert service.get("/kb/synonyms").status_code == 403


def test_typing_a_query_logs_it_once_not_once_per_keystroke(app, client, kb):
    user = signed_in(app, client, "service")
    for partial in ("无", "无人", "无人机"):
        client.get(f"/kb?q={partial}", headers={"HX-Request": "true"})
    client.get("/kb?q=发票", headers={"HX-Request": "true"})
    with app.app_context():
        logged = db.session.scalars(sa.select(SearchLog.query).where(SearchLog.user_id == user.id)
                                    .order_by(SearchLog.id)).all()
    assert logged == ["无人机", "发票"]


def test_term_statistics_follow_every_publish_edit_and_archive(app, client, kb):
    from crmweb.kb.models import FieldLengths, Posting, TermStats
    signed_in(app, client, "manager")
    client.post(f"/kb/{kb['r1']}/edit", data={"title": "设备坏了如何报修?", "body": "拨打热线。",
                                              "category": "售后维修", "tags": "报修"})
    client.post(f"/kb/{kb['r2']}/status", data={"status": "archived"})
    with app.app_context():
        kept = dict(db.session.execute(sa.select(TermStats.term, TermStats.articles)
                                       .where(TermStats.articles > 0)).all())
        counted = dict(db.session.execute(sa.select(Posting.term, sa.func.count())
                                          .group_by(Posting.term)).all())
        # and under the term every indexed article has, how many there are
        counted[search.ALL_ARTICLES] = db.session.scalar(sa.select(sa.func.count()).select_from(FieldLengths))
    assert kept == counted


def test_snippets_show_characters_not_entities(app, client, kb):
    with app.app_context():
        services.import_articles([json.dumps({
            "ref": "r9", "title": "报修单里的符号", "category": "售后维修", "tags": ["报修"],
            "body": '报修时型号写作 "A<B" & C，不要写错。'}, ensure_ascii=False)], utcnow())
    signed_in(app, client, "service")
    page = client.get("/kb?q=报修单").get_data(as_text=True)
    assert "&amp;lt;" not in page and "&amp;amp;" not in page and "&amp;#34;" not in page
    assert "A&lt;B" in page and "&amp; C" in page


def test_the_first_view_counts_and_the_landing_page_shows_popular_and_recent(app, client, kb):
    signed_in(app, client, "service")
    page = client.get(f"/kb/{kb['r1']}").get_data(as_text=True)
    assert "浏览 1 次" in page and 'data-copy="kb-answer"' in page
    landing = client.get("/kb").get_data(as_text=True)
    popular = landing.split('id="kb-popular"')[1].split("</ol>")[0]
    assert popular.index(f'/kb/{kb["r1"]}') < popular.index(f'/kb/{kb["r2"]}')
    assert 'id="kb-recent"' in landing


def test_browsing_pages_through_the_titles_of_a_category(app, client, kb):
    with app.app_context():
        articles = [{"ref": f"p{n}", "title": f"保养问题 {n:03d}", "category": "保养", "tags": [],
                     "body": "按期保养。"} for n in range(60)]
        services.import_articles([json.dumps(a, ensure_ascii=False) for a in articles], utcnow())
    signed_in(app, client, "service")
    first = client.get("/kb/browse?category=保养").get_data(as_text=True)
    assert len(result_ids(first.split('id="kb-browse-list"')[1].split("</section>")[0])) == 50
    assert "保养问题 000" in first and "保养问题 050" not in first and "共 60 条，第 1 / 2 页" in first
    assert '>保养</a> <span class="muted">60</span>' in first  # the category's count, all pages
    second = client.get("/kb/browse?category=保养&page=2", headers={"HX-Request": "true"})
    text = second.get_data(as_text=True)
    assert text.startswith('<section class="card" id="kb-browse-list">') and "<html" not in text
    assert len(result_ids(text)) == 10 and "保养问题 059" in text and "设备出现故障" not in text


def test_an_article_page_suggests_published_articles_that_share_its_tags(app, client, kb):
    more = [json.dumps(article, ensure_ascii=False) for article in [
        {"ref": "r4", "title": "报修后多久有人上门?", "category": "售后维修", "tags": ["报修", "上门"],
         "body": "一般24小时内上门，偏远地区48小时。"},
        {"ref": "r5", "title": "维修配件如何收费?", "category": "售后维修", "tags": ["维修", "收费"],
         "body": "保修期内免费，保修期外按价目表收费。"},
        {"ref": "r6", "title": "报修电话是多少?", "category": "售后维修", "tags": ["报修"],
         "body": "400 热线，工作日 8:00–20:00。"}]]
    with app.app_context():
        services.import_articles(more, utcnow())
        ids = {a.ref: a.id for a in db.session.scalars(sa.select(Article))}
        withdrawn = db.session.get(Article, ids["r6"])
        withdrawn.status = "draft"
        search.index_article(withdrawn)
        db.session.commit()
    signed_in(app, client, "service")
    page = client.get(f"/kb/{ids['r1']}").get_data(as_text=True)
    suggested = [int(pk) for pk in re.findall(r'id="related-(\d+)"', page)]
    assert set(suggested) == {ids["r4"], ids["r5"]}  # its tags 报修 and 维修; not itself, not the draft
    assert "报修后多久有人上门?" in page
