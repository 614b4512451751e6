-- Grain: one landed 766 sub-indicator value (unit, month, indicator) of one
-- batch: numerator and denominator as whole numbers, or NULL when unreadable.
-- No personal data; the key parameters are bound to every staging model, so
-- this one names them once.
CREATE TABLE staged AS
WITH renamed AS (
    SELECT
        _row AS row_number,
        _source AS source_ref,
        _defect AS parse_defect,
        nullif(trim(MaDonVi), '') AS unit_code,
        CASE WHEN regexp_full_match(trim(KyBaoCao), '\d{4}-(0[1-9]|1[0-2])')
            THEN trim(KyBaoCao) END AS report_period,
        nullif(lower(trim(MaChiSo)), '') AS indicator_id,
        try_cast(trim(TuSo) AS INTEGER) AS numerator,
        try_cast(trim(MauSo) AS INTEGER) AS denominator
    FROM landed
    WHERE octet_length($hmac_ipad::BLOB) + octet_length($hmac_opad::BLOB) > 0
)

SELECT
    *,
    'all' AS domain,
    coalesce(numerator BETWEEN 0 AND denominator, false) AS counts_consistent,
    CASE
        WHEN unit_code IS NOT NULL AND report_period IS NOT NULL AND indicator_id IS NOT NULL
            THEN row_number() OVER (
                PARTITION BY unit_code, report_period, indicator_id ORDER BY row_number DESC
            )
        ELSE 1
    END AS key_copy
FROM renamed
