-- Grain: one combination of plan, period, domain, batch, units and Decision 766
-- flags of int_dossiers_flagged, with how many dossiers have it (`dossiers`).
-- The dossier marts count by summing `dossiers`: ten million flagged dossiers
-- become a few thousand combinations, so the dossier grain is never written
-- (at 10 M rows its temporary table was 7 s of a publish, and the two marts
-- reading it 6 s more; this table takes under 4 s).
SELECT
    *,
    count(*) AS dossiers
FROM int_dossiers_flagged
GROUP BY ALL
