"""Message builders: language, Vietnamese formatting, Slack limits, no personal data."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date

import pytest

from tasks.notify.compose.messages import SlackMessage, build_plan_message, content_hash
from tasks.notify.facts.models import DatasetStatus, TaskGroup
from tests.tasks.notify.conftest import digest, kpi


def texts(message: SlackMessage) -> list[str]:
    """Every string a reader can see: fallback, header, sections, context."""
    out = [message.text]
    for b in message.blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out += [e["text"] for e in b.get("elements", [])]
    return out


def body(message: SlackMessage) -> str:
    return "\n".join(texts(message))


def test_vietnamese_by_default() -> None:
    m = build_plan_message(digest())
    header = m.blocks[0]["text"]["text"]
    assert header.startswith("Kế hoạch phối hợp Số hóa")
    assert "(Bình Dương) — kỳ 10/2026" in header
    all_text = body(m)
    for expected in (
        "`▓▓▓▓▓▓▓░░░` 72,0% / 90%",
        "so với kỳ trước: +2,1 điểm %",
        "chậm tiến độ · hạn hoàn thành 31/12/2026 · dự báo đạt 01/03/2027",
        "Hồ sơ TTHC  12.345  12.000   345      đã công bố",  # names, not dataset ids
        "Thửa đất    –       –        –        chưa nhận được dữ liệu đúng hạn",
        "• Hồ sơ TTHC: thiếu ngày hẹn trả (300)",
        "Tỷ lệ số hóa hồ sơ (cư trú)",
    ):
        assert expected in all_text
    assert m.blocks[-1]["elements"][0]["text"].endswith("|Chi tiết lượt chạy>")


def test_english_on_request() -> None:
    m = build_plan_message(digest(), lang="en")
    all_text = body(m)
    assert "Coordination plan" in m.blocks[0]["text"]["text"]
    assert "period 10/2026" in m.blocks[0]["text"]["text"]
    for expected in ("72.0% / 90%", "vs previous period: +2.1 pp", "behind", "12,345  12,000"):
        assert expected in all_text


def test_missing_values_are_na_and_met_targets_say_so() -> None:
    vi = body(build_plan_message(digest([kpi(current=None, previous=None)])))
    assert "`░░░░░░░░░░` chưa có dữ liệu / 90%" in vi
    assert "so với kỳ trước: chưa có dữ liệu" in vi
    en = body(build_plan_message(digest([kpi(previous=None, met=True, current=0.95)]), "en"))
    assert "vs previous period: n/a" in en and ":white_check_mark: met" in en


def test_output_is_nfc_whatever_the_input() -> None:
    nfd = digest(plan_name=unicodedata.normalize("NFD", "Số hóa dữ liệu đất đai"))
    nfc = digest(plan_name="Số hóa dữ liệu đất đai")
    m = build_plan_message(nfd)
    assert all(unicodedata.is_normalized("NFC", t) for t in texts(m))
    assert content_hash(m) == content_hash(build_plan_message(nfc))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("n", [60, 400])
def test_slack_limits_hold_for_many_targets(lang: str, n: int) -> None:
    kpis = [kpi(f"t{i}", on_track=i % 3 == 0, met=i % 5 == 0) for i in range(n)]
    long_reasons = [("lý do rất dài " * 40, 7)] * 3
    datasets = [
        DatasetStatus(
            dataset=f"ds{i}",
            status="published",
            rows_in=9,
            rows_published=2,
            rows_quarantined=7,
            top_reasons=long_reasons,
        )
        for i in range(20)
    ]
    m = build_plan_message(digest(kpis, datasets=datasets, plan_name="Kế hoạch " * 50), lang)
    assert len(m.blocks) <= 50
    assert len(m.blocks[0]["text"]["text"]) <= 150
    assert all(len(b["text"]["text"]) <= 3000 for b in m.blocks if b["type"] == "section")
    assert len(m.text) <= 3000
    if n == 400:  # too many to list: the tail says how many were left out
        assert re.search(r"(và|and) \d+ (chỉ tiêu khác|more targets)", body(m))


def test_off_track_mentions_the_owning_task_group() -> None:
    m = build_plan_message(digest())
    action = m.blocks[-2]["text"]["text"]
    assert "<!subteam^S0CUTRU> 1 chỉ tiêu chậm tiến độ" in action
    assert "Tỷ lệ số hóa hồ sơ (cư trú) 72,0% / 90%" in action
    assert "<!subteam^S0CUTRU>" in m.text  # so the group is notified


def test_no_mention_when_nothing_is_behind() -> None:
    published = digest().datasets[:1]
    m = build_plan_message(digest([kpi(on_track=True), kpi("t2", met=True)], datasets=published))
    assert "subteam" not in json.dumps(m.model_dump())
    assert "Cần xử lý" not in body(m)


def test_group_without_usergroup_is_named_in_bold() -> None:
    groups = [TaskGroup(id="tg-cu-tru", name="Tổ công tác cư trú", slack_channel="C0PLAN1")]
    m = build_plan_message(digest(task_groups=groups))
    assert "*Tổ công tác cư trú* 1 chỉ tiêu chậm tiến độ" in body(m)


def test_no_id_like_numbers_reach_slack() -> None:
    leaky = DatasetStatus(
        dataset="residents",
        status="published",
        rows_in=1_234_567_890,
        rows_published=123_456_789,
        rows_quarantined=2,
        top_reasons=[("CCCD 079123456789 sai định dạng", 1), ("CMND 123456789", 1)],
    )
    d = digest(datasets=[leaky], plan_name="Kế hoạch 074200012345 & <test>")
    for lang in ("vi", "en"):
        payload = json.dumps(build_plan_message(d, lang).model_dump(), ensure_ascii=False)
        assert not re.search(r"\d{9,}", payload)
        assert "&amp; &lt;test&gt;" in payload  # mrkdwn control characters escaped


def test_content_hash_follows_content() -> None:
    a, b = build_plan_message(digest()), build_plan_message(digest())
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash(build_plan_message(digest([kpi(current=0.73)])))
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash(a))


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        build_plan_message(digest(), lang="fr")


def test_due_date_and_forecast_use_dd_mm_yyyy() -> None:
    m = build_plan_message(digest([kpi(due_date=date(2026, 3, 5), forecast_date=None)]))
    assert "hạn hoàn thành 05/03/2026 · không đạt theo xu hướng hiện tại" in body(m)


def test_target_statuses_of_the_mart_reach_slack_as_the_table_shows_them():
    overdue = kpi("t1", due_date=date(2026, 9, 30), forecast_date=None, status="overdue")
    no_data = kpi("t2", current=None, forecast_date=None, status="no_data")
    on_track = kpi("t3", current=0.91, on_track=True, status="on_track")  # reached, not yet 3x
    payload = json.dumps(
        build_plan_message(digest([overdue, no_data, on_track])).model_dump(), ensure_ascii=False
    )
    assert ":red_circle: quá hạn · hạn hoàn thành 30/09/2026" in payload
    assert ":white_circle: chưa có dữ liệu" in payload
    assert ":large_blue_circle: đúng tiến độ" in payload
    assert (
        "*Chỉ tiêu:* 0 đã đạt · 1 đúng tiến độ · 0 chậm tiến độ · 1 quá hạn · 1 chưa có dữ liệu"
        in payload
    )
    assert "<!subteam^" in payload  # an overdue target calls its task group to act
