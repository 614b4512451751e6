-- Issue 12: the official administrative units (warehouse/seeds/README.md).
-- A code can name two units: the GSO gave most new communes the code of one
-- of the communes they replaced (25747 was Phường Phú Cường of Bình Dương and
-- is Phường Thủ Dầu Một of TP.HCM since 01/07/2025), so a unit is a version:
-- (code, valid_from), with the name and province of that time.
DROP VIEW core.unit_crosswalk;
DROP TABLE core.admin_units;

CREATE TABLE core.admin_unit_versions (
    unit_code VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,           -- province | commune
    province_code VARCHAR NOT NULL,   -- the province of that time
    district_code VARCHAR,            -- legacy communes only (districts ended 01/07/2025)
    district_name VARCHAR,
    valid_from DATE NOT NULL,
    valid_to DATE,                    -- NULL: valid today
    successor_code VARCHAR,           -- the dataset's default successor of an ended unit
    PRIMARY KEY (unit_code, valid_from)
);

-- Old -> new as the dataset gives it; a commune split across several new ones
-- has one row per part, is_default marking the part the dataset maps it to.
CREATE TABLE core.admin_unit_links (
    level VARCHAR NOT NULL,
    old_code VARCHAR NOT NULL,
    new_code VARCHAR NOT NULL,
    is_default BOOLEAN NOT NULL,
    PRIMARY KEY (level, old_code, new_code)
);

-- One row per code (its latest version), for readers that only need a name.
CREATE VIEW core.admin_units AS
SELECT * FROM core.admin_unit_versions
QUALIFY row_number() OVER (PARTITION BY unit_code ORDER BY valid_from DESC) = 1;

-- Every unit version read on both boundaries. An ended unit goes to its
-- default successor; a current unit made of several old ones keeps its own
-- code on the old boundary (it cannot be split) and counts for the province
-- of the old unit whose code it kept, else of its first predecessor.
CREATE VIEW core.unit_crosswalk AS
WITH versions AS (
    SELECT
        *,
        valid_to IS NOT NULL AS ended,
        CASE WHEN valid_to IS NULL THEN unit_code ELSE successor_code END AS target_code
    FROM core.admin_unit_versions
),

legacy AS (SELECT * FROM versions WHERE ended),

current_units AS (SELECT * FROM versions WHERE NOT ended),

predecessors AS (
    SELECT
        l.new_code AS unit_code,
        l.level,
        list(DISTINCT l.old_code ORDER BY l.old_code) AS old_units,
        list(DISTINCT o.province_code ORDER BY o.province_code) AS old_provinces
    FROM core.admin_unit_links AS l
    INNER JOIN legacy AS o ON l.old_code = o.unit_code AND l.level = o.level
    GROUP BY l.new_code, l.level
),

parts AS (
    SELECT level, old_code, count(*) AS n_parts FROM core.admin_unit_links GROUP BY ALL
)

-- equality joins only, the version's kind decided after: DuckDB hashes them
SELECT
    v.unit_code,
    v.level,
    v.name,
    v.valid_from,
    v.valid_to,
    v.province_code,
    coalesce(n.unit_code, v.unit_code) AS new_unit_code,
    coalesce(n.province_code, v.province_code) AS new_province_code,
    CASE
        WHEN v.ended THEN v.unit_code
        WHEN len(p.old_units) = 1 THEN p.old_units[1]
        ELSE v.unit_code
    END AS old_unit_code,
    CASE
        WHEN v.ended THEN v.province_code
        ELSE coalesce(same.province_code, p.old_provinces[1], v.province_code)
    END AS old_province_code,
    v.ended AND coalesce(s.n_parts, 1) > 1 AS is_split,
    NOT v.ended AND coalesce(len(p.old_provinces), 1) > 1 AS spans_old_provinces
FROM versions AS v
LEFT JOIN current_units AS n ON v.target_code = n.unit_code AND v.level = n.level
LEFT JOIN predecessors AS p ON v.unit_code = p.unit_code AND v.level = p.level
LEFT JOIN legacy AS same ON v.unit_code = same.unit_code AND v.level = same.level
LEFT JOIN parts AS s ON v.unit_code = s.old_code AND v.level = s.level;

-- The ambiguity the dataset leaves: legacy communes split across several new
-- ones. Dossiers sent with such a code after 01/07/2025 go to the default part.
CREATE VIEW core.unit_splits AS
SELECT
    l.old_code,
    o.name AS old_name,
    o.province_code AS old_province_code,
    list(l.new_code ORDER BY l.new_code) AS new_codes,
    max(CASE WHEN l.is_default THEN l.new_code END) AS default_code
FROM core.admin_unit_links AS l
INNER JOIN core.admin_unit_versions AS o
    ON l.old_code = o.unit_code AND l.level = o.level AND o.valid_to IS NOT NULL
WHERE l.level = 'commune'
GROUP BY l.old_code, o.name, o.province_code
HAVING count(*) > 1;
