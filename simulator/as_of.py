"""A dossier as a real system shows it at the moment it is asked.

The generator draws each dossier's whole life, finish included; a system
queried on 01/12 cannot already know a finish of 10/12. Cutting at the start
of the day the API is asked keeps every answer of one day identical (the
simulator stays deterministic) and never later than the pull.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from simulator.dossier import Record
from simulator.periods import parse_stamp, stamp

IN_PROGRESS = "Đang xử lý"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")  # the portal's stamps are local time
_RESULT_FIELDS = {"MaKetQua": None, "DuongDanTepTinKetQua": None, "KetQuaDuocSoHoa": 0}


def as_of(record: Record, moment: datetime) -> Record:
    """`record` as it stood at `moment`: a later finish or supplement has not happened."""
    cut = dict(record)
    finished = cut.get("NgayKetThucXuLy")
    if finished and parse_stamp(finished) > moment:
        cut.update(_RESULT_FIELDS, NgayKetThucXuLy=None, TrangThaiHoSo=IN_PROGRESS)
    supplied = cut.get("NgayNhanBoSung")
    if supplied and parse_stamp(supplied) > moment:
        cut["NgayNhanBoSung"] = None
    updated = cut.get("NgayCapNhat")
    if updated and parse_stamp(updated) > moment:
        # the last change the system saw: the receipt, or the last event before the cut
        cut["NgayCapNhat"] = stamp(moment - timedelta(minutes=1))
    return cut


def start_of_day(now: datetime) -> datetime:
    """The cut used by the API: midnight of the day of `now`, naive like the stamps."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
