"""The HTML reports say what the warehouse holds: KPIs against targets, why rows were
kept out, freshness, 766 ranking with bands, each partner link; and nothing personal."""

from __future__ import annotations

import re

from tests.tasks.report.conftest import BD, KG, RAW_ID, SCORES


def text(path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_page_is_written_under_the_reports_folder(reports):
    assert reports.portfolio.name == "index.html" and reports.review.name == "review.html"
    assert set(reports.plans) == {BD.id, KG.id}
    for path in [reports.portfolio, reports.review, *reports.plans.values()]:
        assert path.parent == reports.portfolio.parent
        assert text(path).startswith("<!doctype html>")


def test_plan_page_shows_each_target_against_its_target_with_a_chart(reports):
    page = text(reports.plans[BD.id])
    assert BD.name in page and "kỳ báo cáo mới nhất: <b>tháng 10/2026</b>" in page
    # each target's latest value (target - 0.15 + 0.10) and its target, as the table shows them
    for t in BD.targets:
        assert f"{(t.value - 0.05) * 100:.1f}%".replace(".", ",") in page  # vi_VN: 92,0%
        assert f"{t.value * 100:.0f}%" in page
    assert page.count("<svg") == len(BD.targets) + 1  # one chart per target, one for quality


def test_plan_page_says_what_was_quarantined_and_why_without_the_rows(reports):
    page = text(reports.plans[BD.id])
    assert "Mã hồ sơ sai định dạng" in page and "Ngày hẹn trả trước ngày tiếp nhận" in page
    assert RAW_ID not in page and not re.search(r"\d{12}", page)


def test_a_rejected_batch_shows_its_reason(reports):
    page = text(reports.plans[KG.id])
    assert "Bị từ chối" in page and "Lô dữ liệu rỗng" in page
    assert ">rejected<" not in page and ">dossiers<" not in page  # names, not ids


def test_portfolio_lists_every_plan_and_the_freshness_of_each_dataset(reports):
    page = text(reports.portfolio)
    for plan in (BD, KG):
        assert plan.name in page and f'href="plan-{plan.id}.html"' in page
    # Bình Dương's last batch finished 03/11 07:00, 17.1 days before the report
    assert "03/11/2026 07:00" in page and "17,1 ngày" in page.replace(".", ",")
    assert page.count("<svg") >= len(BD.targets) + len(KG.targets) + 1


def test_review_ranks_units_by_766_score_with_bands_and_rates(reports):
    page = text(reports.review)
    cell = '<td data-label="Mã">{}</td>'
    positions = [page.index(cell.format(unit)) for unit, *_ in SCORES]
    assert positions == sorted(positions)  # best score first
    for unit, score, _, band in SCORES:
        row = page[page.index(cell.format(unit)) :].split("</tr>")[0]
        assert f"{score:.2f}".replace(".", ",") in row.replace(".", ",") and band in row
        assert f"{int(score * 2) / 2:.1f}%".replace(".", ",") in row  # int(score * 2) of 200
    assert "Tốt: 1" in page and "Khá: 1" in page and "Trung bình: 1" in page


def test_review_shows_each_partner_system_link_last_pull_and_lag(reports):
    page = text(reports.review)
    bd = page[page.index(f">{BD.name}</td>") :].split("</tr>")[0]
    kg = page[page.index(f">{KG.name}</td>") :].split("</tr>")[0]
    assert "đang kết nối" in bd and "03/11/2026 07:00" in bd and "410,0 giờ" in bd
    assert "mất kết nối" in kg and "401 Unauthorized" in kg


def test_review_without_a_score_mart_says_so(warehouse, tmp_path):
    from tasks.report.review import unit_ranking

    warehouse.execute("ALTER TABLE marts.score_766 RENAME TO score_766_later")
    try:
        assert unit_ranking(warehouse) is None
    finally:
        warehouse.execute("ALTER TABLE marts.score_766_later RENAME TO score_766")


def test_plan_page_opens_with_who_must_act_by_when(reports):
    page = text(reports.plans[BD.id])
    act = page[page.index("Ai phải làm gì, trước ngày nào") :].split("</section>")[0]
    assert page.index("Ai phải làm gì") < page.index("Tiến độ so với chỉ tiêu")
    groups = {g.id: g.name for g in BD.task_groups}
    for t in BD.targets:
        assert groups[t.task_group] in page  # names, not slugs
    assert "trước ngày <b>" in act or "Không tổ công tác nào" in act


def test_every_target_not_met_has_a_forecast_sentence(reports):
    page = text(reports.plans[BD.id])
    cells = re.findall(r'<td data-label="Dự báo">([^<]*)</td>', page)
    assert len(cells) == len(BD.targets)
    assert all(c.endswith(".") and c != "—" for c in cells)


def test_review_shows_each_score_with_its_coverage_and_freshness_apart_from_sync_lag(reports):
    page = text(reports.review)
    assert "Độ phủ (điểm đo được / 100)" in page  # a 766 score is never shown without it
    assert "Độ mới dữ liệu" in page and "Độ trễ đồng bộ (trung vị / p90)" in page
    assert "Đến sau khi kỳ đóng" in page
