//go:build !sqlite_fts5

package store

// Full-text search needs SQLite's FTS5, which go-sqlite3 compiles in only with a build tag.
// Build and test with: go build -tags sqlite_fts5 ./...   (or: go test -tags sqlite_fts5 ./...)
var _ = BUILD_WITH_TAGS_sqlite_fts5__RUN_go_build_or_go_test_WITH__tags_sqlite_fts5
