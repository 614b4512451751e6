"""Every word the Slack messages say, (Vietnamese, English), per shared/domain.md's glossary."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # plan thread (root message)
    "plan": ("Kế hoạch phối hợp", "Coordination plan"),
    "period": ("kỳ", "period"),
    "data": ("Dữ liệu kỳ này", "Data this period"),
    "col_dataset": ("Bộ dữ liệu", "Dataset"),
    "col_in": ("Nhận", "In"),
    "col_published": ("Công bố", "Published"),
    "col_rejected": ("Bị loại", "Rejected"),
    "col_status": ("Trạng thái", "Status"),
    "published": ("đã công bố", "published"),
    "rejected": ("bị từ chối", "rejected"),
    "failed": ("lỗi khi xử lý", "failed"),
    "missing": ("chưa nhận được dữ liệu đúng hạn", "data not received on time"),
    "waiting": ("đang chờ", "waiting"),
    "late": ("chưa nhận được dữ liệu đúng hạn", "data not received on time"),
    "reasons": ("Lý do bản ghi bị loại", "Why rows were rejected"),
    "data_due": ("hạn gửi dữ liệu {}", "data due {}"),
    "in_progress": (":hourglass_flowing_sand: Đang xử lý…", ":hourglass_flowing_sand: Running…"),
    "targets": ("Chỉ tiêu", "Targets"),
    "met": ("đã đạt", "met"),
    "on_track": ("đúng tiến độ", "on track"),
    "behind": ("chậm tiến độ", "behind"),
    "overdue": ("quá hạn", "overdue"),
    "no_data": ("chưa có dữ liệu", "no data yet"),
    "no_trend": ("chưa có xu hướng", "no trend yet"),
    "na": ("chưa có dữ liệu", "n/a"),
    "pp": ("điểm %", "pp"),
    "vs_prev": ("so với kỳ trước", "vs previous period"),
    "due": ("hạn hoàn thành", "due"),
    "forecast": ("dự báo đạt", "forecast"),
    "never": ("không đạt theo xu hướng hiện tại", "not reached on current trend"),
    "more": ("… và {} chỉ tiêu khác", "… and {} more targets"),
    "action": ("Cần xử lý", "Action needed"),
    "behind_n": ("{} chỉ tiêu chậm tiến độ", "{} target(s) behind"),
    "late_n": ("chưa nhận được dữ liệu đúng hạn: {}", "data not received on time: {}"),
    "run": ("Chi tiết lượt chạy", "Flow run details"),
    "report": ("Báo cáo kiểm tra dữ liệu {}", "Validation report {}"),
    # replies in the thread: a change of state
    "changed": ("*Thay đổi trạng thái*", "*Status changed*"),
    "target_moved": ("{} *{}*: {} → *{}* ({} / {})", "{} *{}*: {} → *{}* ({} / {})"),
    "dataset_moved": ("{}: {} → *{}*", "{}: {} → *{}*"),
    # alerts: what failed, why in plain words, what to do
    "why": ("*Vì sao:*", "*Why:*"),
    "todo": ("*Cần làm:*", "*What to do:*"),
    "kept": (
        "Dữ liệu đã công bố trước đó vẫn giữ nguyên.",
        "Previously published data is unchanged.",
    ),
    "rejected_title": (
        ":no_entry: Lô dữ liệu {} kỳ {} bị từ chối, không công bố bản ghi nào",
        ":no_entry: Batch {} for {} rejected, nothing published",
    ),
    "rejected_why": (
        "Kiểm tra bắt buộc không đạt: {}.",
        "A mandatory check failed: {}.",
    ),
    "rejected_todo": (
        "{} liên hệ đầu mối của {} để sửa các lỗi trên và gửi lại dữ liệu {} kỳ {}.",
        "{}: ask {}'s contact to fix the errors above and resend the {} data for {}.",
    ),
    "failed_title": (":x: Lượt chạy kỳ {} thất bại", ":x: The run for {} failed"),
    "crashed_title": (
        ":boom: Lượt chạy kỳ {} bị dừng đột ngột",
        ":boom: The run for {} crashed",
    ),
    "failed_why": (
        "Lượt chạy dừng giữa chừng vì một lỗi kỹ thuật (chi tiết trong nhật ký lượt chạy).",
        "The run stopped on a technical error (details in the run's log).",
    ),
    "crashed_why": (
        "Tiến trình bị dừng trước khi xong (máy tắt, hết bộ nhớ hoặc bị buộc dừng).",
        "The process stopped before finishing (machine down, out of memory or killed).",
    ),
    "failed_todo": (
        "Đối tác không cần gửi lại dữ liệu. Nhóm kỹ thuật khắc phục và chạy lại kỳ này;"
        " chạy lại an toàn, không trùng dữ liệu hay tin nhắn.",
        "The partner need not resend anything. The engineers fix the cause and rerun"
        " the period; reruns are safe, no duplicate data or messages.",
    ),
    "engineer": ("Kỹ thuật: {}", "Engineers: {}"),
    "late_title": (
        ":hourglass: Chưa nhận được dữ liệu {} kỳ {} đúng hạn ({})",
        ":hourglass: {} data for {} not received on time (due {})",
    ),
    "late_why": (
        "Theo lịch của kế hoạch, dữ liệu kỳ {} phải có trước {}; chưa có lô nào được công bố.",
        "By the plan's calendar, data for {} was due by {}; no batch has been published.",
    ),
    "late_todo": (
        "{} liên hệ đầu mối của {} để gửi dữ liệu {} kỳ {}.",
        "{}: contact {} to send the {} data for {}.",
    ),
    # weekly digest for leads
    "digest_title": (
        "Tổng hợp tiến độ các kế hoạch phối hợp, {}",
        "Coordination plans: weekly digest, {}",
    ),
    "digest_summary": (
        "{} kế hoạch · {} chỉ tiêu: {} đã đạt · {} đúng tiến độ · {} chậm tiến độ",
        "{} plans · {} targets: {} met · {} on track · {} behind",
    ),
    "col_plan": ("Kế hoạch", "Plan"),
    "col_target": ("Chỉ tiêu", "Target"),
    "col_now": ("Hiện tại", "Now"),
    "col_delta": ("Thay đổi", "Change"),
    "col_goal": ("Chỉ tiêu", "Target"),
    "col_due": ("Hạn", "Due"),
    "best": ("*Tăng nhiều nhất*", "*Best movers*"),
    "worst": ("*Giảm nhiều nhất*", "*Worst movers*"),
    "at_risk": ("*Chỉ tiêu có nguy cơ không đạt*", "*Targets at risk*"),
    "none": ("không có", "none"),
    "chart_title": ("Tiến độ theo kỳ (% chỉ tiêu)", "Progress by period (% of target)"),
    "chart_file": ("Biểu đồ tiến độ {}", "Progress chart, {}"),
}
