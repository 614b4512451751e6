-- Grain: (plan, unit, domain, period). Land-campaign progress (Plan 515):
-- parcels reviewed in the period by group, owners authenticated against the
-- population DB, certificates scanned, parcels entered in the land DB; cum_
-- columns add every period up to this one (a parcel counts in the period of
-- its latest update). Every unit has a row in every period of the plan.
WITH parcels AS (
    SELECT * FROM core.land_parcels WHERE plan_id = $plan_id
),

spine AS (
    SELECT DISTINCT u.unit_code, u.domain, p.period
    FROM parcels AS u CROSS JOIN (SELECT DISTINCT period FROM parcels) AS p
),

counted AS (
    SELECT
        s.unit_code,
        s.domain,
        s.period,
        count(x.parcel_id) AS parcels,
        coalesce(count_if(x.data_group = 1), 0) AS parcels_usable,
        coalesce(count_if(x.data_group = 2), 0) AS parcels_to_correct,
        coalesce(count_if(x.data_group = 3), 0) AS parcels_to_rebuild,
        coalesce(count_if(x.owner_authenticated), 0) AS owners_authenticated,
        coalesce(count_if(x.certificate_scanned), 0) AS certificates_scanned,
        coalesce(count_if(x.entered_in_land_db), 0) AS parcels_entered
    FROM spine AS s
    LEFT JOIN parcels AS x USING (unit_code, domain, period)
    GROUP BY ALL
)

SELECT
    $plan_id AS plan_id,
    *,
    sum(parcels) OVER w AS cum_parcels,
    sum(parcels_usable) OVER w AS cum_parcels_usable,
    sum(owners_authenticated) OVER w AS cum_owners_authenticated,
    sum(certificates_scanned) OVER w AS cum_certificates_scanned,
    sum(parcels_entered) OVER w AS cum_parcels_entered
FROM counted
WINDOW w AS (PARTITION BY unit_code, domain ORDER BY period)
