"""What the `plan06` command says, in the language of PLAN06_LANGUAGE (vi by default)."""

from __future__ import annotations

import os

# key -> (Vietnamese, English); {0}, {1} are filled by say().
STRINGS: dict[str, tuple[str, str]] = {
    "error": ("lỗi:", "error:"),
    "no_warehouse": (
        "Chưa có kho dữ liệu {0}: hãy chạy `plan06 run` trước.",
        "{0} does not exist yet: run `plan06 run` first.",
    ),
    "locked": (
        "Kho dữ liệu {0} đang được một tiến trình khác ghi suốt {1} giây (DuckDB chỉ cho"
        " một tiến trình ghi): hãy thử lại khi lượt chạy kết thúc, hoặc tăng --wait.",
        "{0} has been held by another process for {1} s (DuckDB allows one writer):"
        " try again when the running job ends, or raise --wait.",
    ),
    "unknown_plan": (
        "Không có kế hoạch {0}: các kế hoạch hiện có là {1}.",
        "unknown plan {0}; known: {1}.",
    ),
    "plan_would_fail": (
        "{0}: một lượt chạy sẽ gặp lỗi:",
        "{0}: a run would fail:",
    ),
    "probe_read": ("{0}: đã đọc {1} bản ghi", "{0}: {1} record(s) read"),
    "probe_field": ("trường nguồn", "source field"),
    "probe_samples": ("giá trị mẫu (đã che chữ số)", "samples (digits masked)"),
    "probe_selector": (
        "data_selector của nguồn nên là: {0}",
        "data_selector of the source should be: {0}",
    ),
    "probe_proposed": (
        "Đề xuất cho mục tập dữ liệu trong tệp kế hoạch:",
        "Proposed for the dataset entry of the plan file:",
    ),
    "probe_unmatched": (
        "chưa tìm thấy, hãy ánh xạ tay hoặc để trống: {0}",
        "not found, map by hand or leave NULL: {0}",
    ),
    "probe_unused": ("trường nguồn chưa được ánh xạ: {0}", "source fields nothing maps: {0}"),
    "probe_written": (
        "Đã ghi vào {0}: hãy xem lại, rồi chạy `plan06 plans check`.",
        "written to {0}: check it, then `plan06 plans check`.",
    ),
    "simulator": ("Hệ thống mô phỏng của tỉnh chạy tại {0}", "Province simulator on {0}"),
    "no_plans_run": (
        "Chưa kế hoạch nào được chạy: hãy thử `plan06 run`.",
        "No plan has been run yet: try `plan06 run`.",
    ),
    "would": ("sẽ ", "would "),
    "run": ("chạy", "run"),
    "skip": ("bỏ qua (đã công bố)", "skip"),
    "dry_run_sent": (
        "Chưa đặt SLACK_BOT_TOKEN: đã hiển thị {0} tin nhắn (chạy thử), tin vẫn ở hộp thư đi.",
        "SLACK_BOT_TOKEN not set: {0} message(s) rendered (dry run), kept in the outbox.",
    ),
    "delivered": (
        "Slack: đã gửi {0}, cập nhật {1}, lỗi {2}.",
        "Slack: {0} sent, {1} updated, {2} failed.",
    ),
    "digest_queued": (
        "Đã xếp bản tổng hợp tuần vào hộp thư đi và gửi.",
        "This week's digest was queued and delivered.",
    ),
    "digest_same": (
        "Bản tổng hợp tuần không thay đổi: không có gì mới để gửi.",
        "This week's digest is unchanged: nothing new to send.",
    ),
    "backfilled": ("{0} {1}: {2}", "{0} {1}: {2}"),
    "crashed": ("Lượt chạy bị đánh dấu Crashed: {0}", "crashed: {0}"),
    "none": ("không có", "none"),
    "limit": (
        "giới hạn đồng thời {0} = 1 mỗi cái (một lượt chạy mỗi lát kế hoạch/tập dữ liệu/kỳ)",
        "concurrency limits {0} = 1 each (one run per plan/dataset/period slice)",
    ),
    "plan_limit": (
        "giới hạn đồng thời {0} = 1 mỗi cái (mỗi lúc một lượt ghi dữ liệu chung của kế hoạch)",
        "concurrency limits {0} = 1 each (one writer of a plan's own rows at a time)",
    ),
    "migrated": ("{0}: đã áp dụng {1}", "{0}: applied {1}"),
    "maintained": (
        "DuckLake: tệp dữ liệu {0} → {1}, ảnh chụp (snapshot) {2} → {3}, đã xóa {4} tệp,"
        " {5} tệp chờ xóa (sau thời gian chờ).",
        "DuckLake: data files {0} -> {1}, snapshots {2} -> {3}, {4} file(s) deleted,"
        " {5} awaiting deletion (after the grace period).",
    ),
    "maintained_file": (
        "{0}: đã ghi nhật ký (WAL) vào tệp; tệp DuckDB không cần gì thêm.",
        "{0}: write-ahead log folded in; the DuckDB file needs nothing more.",
    ),
    "up_to_date": ("không có gì (đã mới nhất)", "nothing (up to date)"),
    "plan_ok": (
        "{0}: {1} tập dữ liệu, {2} chỉ tiêu, {3} tổ công tác",
        "{0}: {1} dataset(s), {2} target(s), {3} task group(s)",
    ),
    "wrote": ("đã ghi", "wrote"),
    "next_steps": (
        "Sửa các chỉ tiêu, rồi chạy: plan06 plans check && plan06 run {0}",
        "Edit the targets, then: plan06 plans check && plan06 run {0}",
    ),
    "no_digest_channel": (
        "Chưa đặt PLAN06_DIGEST_CHANNEL: hãy đặt biến này bằng mã kênh Slack của lãnh đạo.",
        "PLAN06_DIGEST_CHANNEL is not set: set it to the Slack channel id of the leads.",
    ),
}


def language() -> str:
    return "en" if os.environ.get("PLAN06_LANGUAGE", "vi").lower().startswith("en") else "vi"


def say(key: str, *args: object) -> str:
    """The sentence `key` in the CLI's language, with its blanks filled."""
    text = STRINGS[key][0 if language() == "vi" else 1]
    return text.format(*args) if args else text
