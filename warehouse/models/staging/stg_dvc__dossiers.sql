-- Grain: one landed dossier row of one batch (duplicates kept; validation
-- flags them). Renames the portal's field names, casts text to types with a
-- pinned date format, NFC-normalises text, and replaces the citizen ID with a
-- keyed HMAC-SHA256 pseudonym ($hmac_ipad/$hmac_opad are the padded key):
-- the raw ID never leaves this query.
CREATE TABLE staged AS
-- `landed` is the batch's landing file, as tasks/load/stage.py presents it.
-- Timestamps are exactly 14 digits yyyyMMddHHmmss: anything else is NULL, not a guess.
WITH stamped AS (
    SELECT
        *,
        try_strptime(CASE WHEN regexp_full_match(NgayNopHoSo, '\d{14}') THEN NgayNopHoSo END,
            '%Y%m%d%H%M%S') AS submitted_at,
        try_strptime(CASE WHEN regexp_full_match(NgayTiepNhan, '\d{14}') THEN NgayTiepNhan END,
            '%Y%m%d%H%M%S') AS received_at,
        try_strptime(CASE WHEN regexp_full_match(NgayHenTra, '\d{14}') THEN NgayHenTra END,
            '%Y%m%d%H%M%S') AS due_at,
        try_strptime(
            CASE WHEN regexp_full_match(NgayKetThucXuLy, '\d{14}') THEN NgayKetThucXuLy END,
            '%Y%m%d%H%M%S') AS finished_at,
        try_strptime(CASE WHEN regexp_full_match(NgayCapNhat, '\d{14}') THEN NgayCapNhat END,
            '%Y%m%d%H%M%S') AS source_updated_at,
        try_strptime(
            CASE WHEN regexp_full_match(NgayYeuCauBoSung, '\d{14}') THEN NgayYeuCauBoSung END,
            '%Y%m%d%H%M%S') AS supplement_requested_at,
        try_strptime(
            CASE WHEN regexp_full_match(NgayNhanBoSung, '\d{14}') THEN NgayNhanBoSung END,
            '%Y%m%d%H%M%S') AS supplement_received_at
    FROM landed
),

renamed AS (
    SELECT
        _row AS row_number,
        _source AS source_ref,  -- file:line of a file drop, NULL from an API
        _defect AS parse_defect,
        nullif(trim(nfc_normalize(MaHoSo)), '') AS dossier_code,
        nullif(trim(MaTTHC), '') AS procedure_code,
        nullif(trim(MaDonVi), '') AS unit_code,
        nullif(trim(nfc_normalize(LinhVuc)), '') AS domain,
        -- only a missing channel means in person; unreadable text stays NULL
        -- so validation quarantines it instead of counting it as 1
        CASE
            WHEN nullif(trim(KenhThucHien), '') IS NULL THEN 1
            ELSE try_cast(trim(KenhThucHien) AS SMALLINT)
        END AS channel,
        nullif(trim(MucDoDVC), '') AS service_level,
        submitted_at,
        received_at,
        due_at,
        finished_at,
        nullif(trim(nfc_normalize(TrangThaiHoSo)), '') AS status,
        -- \pZ: no-break and thin spaces too, so every spelling of one ID
        -- gets one pseudonym
        regexp_replace(nfc_normalize(coalesce(SoGiayToChuHoSo, '')), '[\s\pZ]', '', 'g')
            AS applicant_id,
        try_cast(ThanhPhanHoSo AS JSON) AS components,
        nullif(trim(MaKetQua), '') IS NOT NULL AS has_result_code,
        nullif(trim(DuongDanTepTinKetQua), '') IS NOT NULL AS has_e_result,
        coalesce(KetQuaDuocSoHoa = '1', false) AS result_digitised,
        coalesce(DongBoDVCQG = '1', false) AS synced_to_portal,
        source_updated_at,
        -- a missing count means no request; unreadable text stays NULL (quarantined)
        CASE
            WHEN nullif(trim(SoLanBoSung), '') IS NULL THEN 0
            ELSE try_cast(trim(SoLanBoSung) AS SMALLINT)
        END AS supplement_requests,
        supplement_requested_at,
        supplement_received_at
    FROM stamped
)

SELECT
    * EXCLUDE (applicant_id, components),
    strftime(received_at, '%Y-%m') AS received_period,
    coalesce(json_array_length(components), 0)::INTEGER AS n_components,
    coalesce(len(json_extract(components, '$[*].DuocSoHoa')
        .list_filter(x -> x::VARCHAR = '1')), 0)::INTEGER AS n_components_digitised,
    coalesce(len(json_extract(components, '$[*].DuocLayTuKhoDMQG')
        .list_filter(x -> x::VARCHAR = '1')), 0)::INTEGER AS n_components_reused,
    CASE
        WHEN applicant_id = '' THEN NULL
        WHEN regexp_full_match(applicant_id, '\d{12}') THEN 'cccd12'
        WHEN regexp_full_match(applicant_id, '\d{9}') THEN 'cmnd9'
        ELSE 'invalid'
    END AS applicant_id_format,
    CASE WHEN applicant_id <> '' THEN
        sha256($hmac_opad::BLOB || unhex(sha256($hmac_ipad::BLOB || encode(applicant_id))))
    END AS applicant_pseudonym,
    CASE WHEN dossier_code IS NOT NULL THEN row_number() OVER (
        PARTITION BY dossier_code ORDER BY source_updated_at DESC NULLS LAST, row_number
    ) ELSE 1 END AS key_copy
FROM renamed
