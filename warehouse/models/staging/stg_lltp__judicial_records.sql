-- Grain: one landed count of judicial-record certificates (unit, month) of one
-- batch. Counts are whole numbers or NULL. No personal data; the key
-- parameters are bound to every staging model, so this one names them once.
CREATE TABLE staged AS
WITH renamed AS (
    SELECT
        _row AS row_number,
        _source AS source_ref,
        _defect AS parse_defect,
        nullif(trim(MaDonVi), '') AS unit_code,
        CASE WHEN regexp_full_match(trim(KyBaoCao), '\d{4}-(0[1-9]|1[0-2])')
            THEN trim(KyBaoCao) END AS report_period,
        try_cast(trim(SoPhieuDaCap) AS INTEGER) AS certificates_issued,
        try_cast(trim(SoPhieuQuaVNeID) AS INTEGER) AS certificates_vneid
    FROM landed
    WHERE octet_length($hmac_ipad::BLOB) + octet_length($hmac_opad::BLOB) > 0
)

SELECT
    *,
    'ly_lich_tu_phap' AS domain,
    coalesce(certificates_vneid BETWEEN 0 AND certificates_issued, false) AS counts_consistent,
    CASE WHEN unit_code IS NOT NULL AND report_period IS NOT NULL THEN row_number() OVER (
        PARTITION BY unit_code, report_period ORDER BY row_number DESC
    ) ELSE 1 END AS key_copy
FROM renamed
