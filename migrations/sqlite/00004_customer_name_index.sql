-- +goose Up
-- Customer suggestions ("name LIKE 'x%' OR email LIKE 'x%' ORDER BY name") read every customer:
-- 55 ms at 600,000. LIKE is case-insensitive, so only a NOCASE index serves it; with this one and
-- the e-mail column's NOCASE unique index SQLite answers with two range scans (MULTI-INDEX OR),
-- 2-5 ms for a two- or three-letter prefix.
CREATE INDEX customers_name_nocase ON customers (name COLLATE NOCASE);

-- +goose Down
DROP INDEX customers_name_nocase;
