-- +goose Up
-- The coach's packs as data: every published version of a language's pack (the YAML of
-- internal/coach/packs), who published it, when and why; the newest per language is in use.
CREATE TABLE coach_pack_versions (
    id          INTEGER  PRIMARY KEY,
    lang        TEXT     NOT NULL CHECK (lang IN ('da', 'nb', 'sv', 'en')),
    version     INTEGER  NOT NULL,
    body        TEXT     NOT NULL,
    pack_version TEXT    NOT NULL DEFAULT '', -- what stored findings of this version say
    author_id   INTEGER  REFERENCES users (id),
    author_name TEXT     NOT NULL DEFAULT '',
    reason      TEXT     NOT NULL CHECK (reason <> ''),
    restored_from INTEGER, -- the version a restore copied
    created_at  DATETIME NOT NULL,
    UNIQUE (lang, version)
);

-- One draft per language, shared by the admins; it starts as a copy of the version in use.
CREATE TABLE coach_pack_drafts (
    lang         TEXT     PRIMARY KEY CHECK (lang IN ('da', 'nb', 'sv', 'en')),
    body         TEXT     NOT NULL,
    base_version INTEGER  NOT NULL DEFAULT 0, -- the published version it was started from (0: the embedded pack)
    updated_by   INTEGER  REFERENCES users (id),
    updated_at   DATETIME NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE coach_pack_drafts;
DROP TABLE coach_pack_versions;
