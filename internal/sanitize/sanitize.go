// Package sanitize makes customer-written HTML safe to show inside the app.
package sanitize

import "github.com/microcosm-cc/bluemonday"

// policy allows the formatting e-mail clients produce and nothing that runs or tracks.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.AllowImages()
	p.AllowURLSchemes("http", "https", "mailto", "cid") // cid: a picture in the mail itself; Message rewrites it
	return p
}()

// HTML returns customer HTML with scripts, handlers, styles and unknown tags removed.
func HTML(s string) string { return policy.Sanitize(s) }
