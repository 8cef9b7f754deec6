// Package static embeds the CSS, JavaScript and images the pages load.
package static

import "embed"

//go:embed *.css *.js *.svg
var FS embed.FS
