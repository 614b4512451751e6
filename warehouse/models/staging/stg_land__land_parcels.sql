-- Grain: one landed land-parcel row of one batch (duplicates kept; validation
-- flags them). Flags are '1'/'0' only: anything else is NULL, not a guess.
-- Dates: the API's yyyyMMddHHmmss, or ISO yyyy-mm-dd from a file drop (the
-- file source converts its pinned format). The owner's ID becomes a keyed
-- HMAC-SHA256 pseudonym here and nowhere else.
CREATE TABLE staged AS
WITH renamed AS (
    SELECT
        _row AS row_number,
        _source AS source_ref,
        _defect AS parse_defect,
        nullif(trim(nfc_normalize(MaThuaDat)), '') AS parcel_id,
        nullif(trim(MaDonVi), '') AS unit_code,
        try_cast(trim(NhomDuLieu) AS SMALLINT) AS data_group,
        regexp_replace(nfc_normalize(coalesce(SoDinhDanhChuSuDung, '')), '[\s\pZ]', '', 'g')
            AS owner_id,
        CASE trim(ChuSuDungDaXacThuc) WHEN '1' THEN true WHEN '0' THEN false END
            AS owner_authenticated,
        CASE trim(GiayChungNhanDaQuet) WHEN '1' THEN true WHEN '0' THEN false END
            AS certificate_scanned,
        CASE trim(DaNhapCSDLDatDai) WHEN '1' THEN true WHEN '0' THEN false END
            AS entered_in_land_db,
        coalesce(
            try_strptime(CASE WHEN regexp_full_match(NgayCapNhat, '\d{14}') THEN NgayCapNhat END,
                '%Y%m%d%H%M%S'),
            try_strptime(CASE WHEN regexp_full_match(NgayCapNhat, '\d{4}-\d{2}-\d{2}')
                THEN NgayCapNhat END, '%Y-%m-%d')
        ) AS source_updated_at
    FROM landed
)

SELECT
    * EXCLUDE (owner_id),
    'dat_dai' AS domain,
    strftime(source_updated_at, '%Y-%m') AS updated_period,
    CASE WHEN owner_id <> '' THEN
        sha256($hmac_opad::BLOB || unhex(sha256($hmac_ipad::BLOB || encode(owner_id))))
    END AS owner_pseudonym,
    regexp_full_match(owner_id, '\d{12}') OR owner_id = '' AS owner_id_ok,
    CASE WHEN parcel_id IS NOT NULL THEN row_number() OVER (
        PARTITION BY parcel_id ORDER BY source_updated_at DESC NULLS LAST, row_number
    ) ELSE 1 END AS key_copy
FROM renamed
