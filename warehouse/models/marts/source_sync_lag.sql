-- Grain: (plan, dataset, period). Sync lag of the partner's records: arrival
-- in plan06 (ops.batches.finished_at of the batch that brought the record's
-- current version, written in this machine's time zone) minus its last update
-- at the source (NgayCapNhat, the portal's local time, Asia/Ho_Chi_Minh), in
-- hours; median and 90th percentile; and how many of the period's records
-- arrived after the period closed (its last day, 24:00 local time).
-- A batch's arrival in local time is computed once per batch, not per record:
-- the two time-zone conversions on every record were half of this mart at 10 M.
WITH arrivals AS (
    SELECT
        batch_id,
        dataset,
        timezone('Asia/Ho_Chi_Minh', timezone(current_setting('TimeZone'), finished_at))
            AS arrived_at
    FROM ops.batches
),

records AS (
    SELECT
        d.plan_id,
        b.dataset,
        d.period,
        d.batch_id,
        d.source_updated_at,
        b.arrived_at,
        strptime(d.period || '-01', '%Y-%m-%d') + INTERVAL 1 MONTH AS period_end
    FROM core.dossiers AS d
    INNER JOIN arrivals AS b ON d.batch_id = b.batch_id
    WHERE d.plan_id = $plan_id AND d.source_updated_at IS NOT NULL
)

SELECT
    plan_id,
    dataset,
    period,
    count(*) AS records,
    round(median(epoch(arrived_at - source_updated_at)) / 3600, 2) AS lag_median_hours,
    round(quantile_cont(epoch(arrived_at - source_updated_at), 0.9) / 3600, 2) AS lag_p90_hours,
    count_if(arrived_at >= period_end) AS arrived_after_close,
    round(arrived_after_close / count(*), 4) AS arrived_after_close_share,
    list_sort(list(DISTINCT batch_id)) AS batch_ids
FROM records
GROUP BY plan_id, dataset, period
