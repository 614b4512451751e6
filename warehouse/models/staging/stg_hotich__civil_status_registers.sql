-- Grain: one landed civil-status register (sổ hộ tịch) of one batch.
-- Counts are whole numbers or NULL; dates as in stg_land__land_parcels.
-- No personal data here; the key parameters are bound to every staging model,
-- so this one names them once and ignores them.
CREATE TABLE staged AS
WITH renamed AS (
    SELECT
        _row AS row_number,
        _source AS source_ref,
        _defect AS parse_defect,
        nullif(trim(nfc_normalize(MaSo)), '') AS register_code,
        nullif(trim(MaDonVi), '') AS unit_code,
        nullif(trim(nfc_normalize(LoaiSo)), '') AS register_type,
        try_cast(trim(NamDangKy) AS INTEGER) AS register_year,
        try_cast(trim(SoBanGhi) AS INTEGER) AS entries,
        try_cast(trim(SoBanGhiDaSoHoa) AS INTEGER) AS entries_digitised,
        coalesce(
            try_strptime(CASE WHEN regexp_full_match(NgayCapNhat, '\d{14}') THEN NgayCapNhat END,
                '%Y%m%d%H%M%S'),
            try_strptime(CASE WHEN regexp_full_match(NgayCapNhat, '\d{4}-\d{2}-\d{2}')
                THEN NgayCapNhat END, '%Y-%m-%d')
        ) AS source_updated_at
    FROM landed
    WHERE octet_length($hmac_ipad::BLOB) + octet_length($hmac_opad::BLOB) > 0
)

SELECT
    *,
    'ho_tich' AS domain,
    strftime(source_updated_at, '%Y-%m') AS updated_period,
    coalesce(entries_digitised BETWEEN 0 AND entries, false) AS counts_consistent,
    CASE WHEN register_code IS NOT NULL THEN row_number() OVER (
        PARTITION BY register_code ORDER BY source_updated_at DESC NULLS LAST, row_number
    ) ELSE 1 END AS key_copy
FROM renamed
