"""Plan threads against FakeSlack over HTTP: root updated in place, replies on change only,
alerts broadcast once, charts uploaded with files_upload_v2, clear errors, rows kept."""

from __future__ import annotations

import json

import duckdb

from tasks.notify.deliver.send import deliver_pending, make_client
from tasks.notify.facts.models import Alert
from tasks.notify.outbox.store import enqueue, enqueue_alert, enqueue_plan_thread, root_key
from tests.fakes.slack import FakeSlack
from tests.tasks.notify.conftest import digest, kpi, row

KEY = root_key("binh-duong-cu-tru-dat-dai", "2026-10")


def alert(what: str = "rejected", **changes: object) -> Alert:
    d = digest()
    base = dict(
        what=what,
        plan_id=d.plan_id,
        plan_name=d.plan_name,
        partner_name=d.partner_name,
        period=d.period,
        dataset="dossiers",
        reasons=["mã đơn vị không thuộc địa bàn kế hoạch"],
        task_groups=d.task_groups,
    )
    return Alert(**{**base, **changes})


def drain(con: duckdb.DuckDBPyConnection, fake: FakeSlack):
    return deliver_pending(con, make_client(fake.token, fake.url), min_interval_s=1.05)


def test_replies_only_on_a_change_of_state(outbox, fake) -> None:
    enqueue_plan_thread(outbox, digest([kpi(on_track=True)]), "C0PLAN1")
    drain(outbox, fake)
    root_ts = row(outbox, KEY)["slack_ts"]
    # same standing again: nothing to say, no call at all
    assert not enqueue_plan_thread(outbox, digest([kpi(on_track=True)]), "C0PLAN1")
    assert drain(outbox, fake).sent == 0 and len(fake.posts) == 1
    # the target falls behind: the root is updated in place and one reply says so
    assert enqueue_plan_thread(outbox, digest([kpi(current=0.70)]), "C0PLAN1")
    report = drain(outbox, fake)
    assert (report.updated, report.sent) == (1, 1)
    assert [p.method for p in fake.posts] == ["chat.postMessage", "chat.update", "chat.postMessage"]
    (reply,) = fake.thread("C0PLAN1", root_ts)
    assert "đúng tiến độ → *chậm tiến độ*" in reply.text and "<!subteam^S0CUTRU>" in reply.text
    assert not reply.broadcast
    # a rerun with the same numbers: no update, no second reply
    assert not enqueue_plan_thread(outbox, digest([kpi(current=0.70)]), "C0PLAN1")
    assert drain(outbox, fake).sent == 0 and len(fake.posts) == 3


def test_alert_is_broadcast_once_in_the_thread(outbox, fake) -> None:
    enqueue_plan_thread(outbox, digest(), "C0PLAN1")
    assert enqueue_alert(outbox, alert(), "C0PLAN1")
    assert not enqueue_alert(outbox, alert(), "C0PLAN1")  # a retry: same key, same content
    report = drain(outbox, fake)
    assert report.sent == 2
    root, sent_alert = fake.posts
    assert sent_alert.thread_ts == root.ts and sent_alert.broadcast
    assert "bị từ chối" in sent_alert.text and "<!subteam^S0CUTRU>" in sent_alert.text
    body = sent_alert.blocks[0]["text"]["text"]
    assert "*Vì sao:*" in body and "*Cần làm:*" in body and "plan06 run" not in body
    # what an official does is in the body; the engineer's command in the context line
    assert "liên hệ đầu mối của" in body and "gửi lại dữ liệu Hồ sơ TTHC" in body
    engineer = json.dumps(sent_alert.blocks[1], ensure_ascii=False)
    assert "plan06 run binh-duong-cu-tru-dat-dai --period 2026-10" in engineer
    assert drain(outbox, fake).sent == 0 and len(fake.posts) == 2  # rerun: nothing twice


def test_failed_run_alert_is_one_message_updated_in_place(outbox, fake) -> None:
    first = alert("failed", dataset=None, reasons=["HTTP 503"], flow_run_url="http://ui/r/1")
    enqueue_alert(outbox, first, "C0PLAN1")
    drain(outbox, fake)
    again = first.model_copy(update={"what": "crashed", "flow_run_url": "http://ui/r/2"})
    assert enqueue_alert(outbox, again, "C0PLAN1")  # same dedupe key: an update, not a post
    assert drain(outbox, fake).updated == 1
    assert [p.method for p in fake.posts] == ["chat.postMessage", "chat.update"]
    assert fake.posts[0].thread_ts is None  # no root yet: the alert stands alone


def test_chart_is_uploaded_into_the_thread_once(outbox, fake) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    message = digest().model_copy()  # any message will do for the carrier
    from tasks.notify.compose.messages import build_plan_message

    enqueue(
        outbox,
        plan_id="all",
        period="2026-W48",
        kind="digest",
        channel="C0PLAN1",
        message=build_plan_message(message),
        key="digest:2026-W48",
        file=("c.png", png),
    )
    report = drain(outbox, fake)
    assert (report.sent, report.files) == (1, 1)
    (file,) = fake.files.values()
    assert file["data"] == png and file["thread_ts"] == fake.posts[0].ts
    assert row(outbox, "digest:2026-W48")["file_id"] in fake.files
    assert drain(outbox, fake).files == 0 and len(fake.files) == 1


def test_upload_without_files_write_is_explained_and_kept(outbox) -> None:
    with FakeSlack(channels=("C0PLAN1",), scopes=("chat:write",)) as fake:
        from tasks.notify.compose.messages import build_plan_message

        enqueue(
            outbox,
            plan_id="all",
            period="w",
            kind="digest",
            channel="C0PLAN1",
            message=build_plan_message(digest()),
            key="d",
            file=("c.png", b"png"),
        )
        assert drain(outbox, fake).failed == 1
        kept = row(outbox, "d")
        assert kept["status"] == "failed" and "files:write" in kept["last_error"]
        assert kept["slack_ts"] == fake.posts[0].ts  # posted once; only the file is missing
        fake.scopes.add("files:write")
        report = drain(outbox, fake)
        assert (report.sent, report.files, len(fake.posts)) == (0, 1, 1)


def test_archived_channel_is_explained_and_kept(outbox) -> None:
    with FakeSlack(channels=(), bad_channels={"C0OLD": "is_archived"}) as fake:
        enqueue_plan_thread(outbox, digest(), "C0OLD")
        assert drain(outbox, fake).failed == 1
        kept = row(outbox, KEY)
        assert kept["status"] == "failed" and "archived" in kept["last_error"]
