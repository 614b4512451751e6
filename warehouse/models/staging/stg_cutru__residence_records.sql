-- Grain: one landed residence record (household or person) of one batch.
-- Flags are '1'/'0' only, anything else NULL; dates as in stg_land__land_parcels.
-- The person's ID becomes a keyed HMAC-SHA256 pseudonym here and nowhere else.
CREATE TABLE staged AS
WITH renamed AS (
    SELECT
        _row AS row_number,
        _source AS source_ref,
        _defect AS parse_defect,
        nullif(trim(nfc_normalize(MaHoSoCuTru)), '') AS record_id,
        nullif(trim(LoaiHoSo), '') AS record_type,
        nullif(trim(MaDonVi), '') AS unit_code,
        regexp_replace(nfc_normalize(coalesce(SoDinhDanh, '')), '[\s\pZ]', '', 'g') AS person_id,
        CASE trim(DaSoHoa) WHEN '1' THEN true WHEN '0' THEN false END AS digitised,
        CASE trim(DaLamSach) WHEN '1' THEN true WHEN '0' THEN false END AS cleansed,
        CASE trim(DaXacThuc) WHEN '1' THEN true WHEN '0' THEN false END AS authenticated,
        coalesce(
            try_strptime(CASE WHEN regexp_full_match(NgayCapNhat, '\d{14}') THEN NgayCapNhat END,
                '%Y%m%d%H%M%S'),
            try_strptime(CASE WHEN regexp_full_match(NgayCapNhat, '\d{4}-\d{2}-\d{2}')
                THEN NgayCapNhat END, '%Y-%m-%d')
        ) AS source_updated_at
    FROM landed
)

SELECT
    * EXCLUDE (person_id),
    'cu_tru' AS domain,
    strftime(source_updated_at, '%Y-%m') AS updated_period,
    CASE WHEN person_id <> '' THEN
        sha256($hmac_opad::BLOB || unhex(sha256($hmac_ipad::BLOB || encode(person_id))))
    END AS person_pseudonym,
    regexp_full_match(person_id, '\d{12}') OR person_id = '' AS person_id_ok,
    CASE WHEN record_id IS NOT NULL THEN row_number() OVER (
        PARTITION BY record_id ORDER BY source_updated_at DESC NULLS LAST, row_number
    ) ELSE 1 END AS key_copy
FROM renamed
