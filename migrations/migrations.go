// Package migrations embeds the versioned SQL schema, one folder per dialect.
package migrations

import "embed"

//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
