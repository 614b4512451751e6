"""Vendor dialects: the portal's dossiers as other provincial systems serve them.

Each dialect translates the same generated dossiers (same seed, same order, the
deliberate bad rows included), so figures computed from any of them agree with
the portal route's. One module per dialect; shared value translation in
translate.py, shared request handling in common.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.routing import Route

from simulator.dialects import egov, motcua_v2
from simulator.dialects.common import guarded
from simulator.dossier import Record
from simulator.faults import FaultPlan

DIALECTS = {motcua_v2.NAME: motcua_v2, egov.NAME: egov}


def dialect_routes(
    period_rows: Callable[[str, str, str], Sequence[Record]], token: str, plan: FaultPlan
) -> list[Route]:
    """Routes of every dialect over the app's cached `period_rows(kind, province, period)`."""

    def rows_for(province: str, period: str) -> Sequence[Record]:
        return period_rows("dossiers", province, period)

    return [
        Route(module.PATH, guarded(module.handler(rows_for, token, plan)))
        for module in DIALECTS.values()
    ]
