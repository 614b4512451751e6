-- Grain: (plan, unit, domain, period). Civil-status registers and their
-- entries digitised (count and share, as provinces report them); cum_ columns
-- add every period up to this one (a register counts in the period of its
-- latest update). Every unit has a row in every period of the plan. Its
-- completion class (hoàn thành / cơ bản hoàn thành / chưa hoàn thành) is the
-- highest core.completion_classes cut-off its cumulative share reaches.
WITH registers AS (
    SELECT * FROM core.civil_status_registers WHERE plan_id = $plan_id
),

spine AS (
    SELECT DISTINCT u.unit_code, u.domain, p.period
    FROM registers AS u CROSS JOIN (SELECT DISTINCT period FROM registers) AS p
),

-- count_if of a unit's empty period (the LEFT JOIN's NULL row) is NULL in DuckDB: 0
counted AS (
    SELECT
        s.unit_code,
        s.domain,
        s.period,
        count(x.register_code) AS registers,
        coalesce(count_if(x.entries_digitised = x.entries), 0) AS registers_digitised,
        coalesce(sum(x.entries), 0) AS entries,
        coalesce(sum(x.entries_digitised), 0) AS entries_digitised
    FROM spine AS s
    LEFT JOIN registers AS x USING (unit_code, domain, period)
    GROUP BY ALL
),

cumulated AS (
    SELECT
        $plan_id AS plan_id,
        *,
        sum(registers) OVER w AS cum_registers,
        sum(registers_digitised) OVER w AS cum_registers_digitised,
        sum(entries) OVER w AS cum_entries,
        sum(entries_digitised) OVER w AS cum_entries_digitised
    FROM counted
    WINDOW w AS (PARTITION BY unit_code, domain ORDER BY period)
)

SELECT
    c.*,
    arg_max(k.class_id, k.min_share) AS completion_class,
    arg_max(k.label_vi, k.min_share) AS completion_vi
FROM cumulated AS c
LEFT JOIN core.completion_classes AS k
    ON c.cum_entries_digitised / nullif(c.cum_entries, 0) >= k.min_share
GROUP BY ALL
