package sanitize

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RemoteSrc holds a remote image's address until the agent asks to load it.
const RemoteSrc = "data-remote-src"

// Message is customer HTML made safe, with remote images held back: loading one tells the sender
// that the mail was read, and when, so it waits for the agent's click (as mail clients do).
// A picture sent inside the mail (src="cid:…") is shown from where inline says its part is kept;
// one it does not know (nil knows none) loses its src and keeps its alt text.
// It returns how many images were held back.
func Message(s string, inline func(contentID string) string) (string, int) {
	clean := HTML(s)
	if !strings.Contains(clean, "<img") && !strings.Contains(clean, "cid:") {
		return clean, 0
	}
	nodes, err := html.ParseFragment(strings.NewReader(clean), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return clean, 0
	}
	held := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			kept := n.Attr[:0]
			for _, a := range n.Attr {
				if id, ok := contentID(a.Val); ok {
					a.Val = "" // a cid: link, or a part inline does not know, goes
					if inline != nil && n.Data == "img" && a.Key == "src" {
						a.Val = inline(id)
					}
					if a.Val == "" {
						continue
					}
				} else if n.Data == "img" && a.Key == "src" && isRemote(a.Val) {
					a.Key = RemoteSrc
					held++
				}
				kept = append(kept, a)
			}
			n.Attr = kept
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	var out bytes.Buffer
	for _, n := range nodes {
		walk(n)
		if err := html.Render(&out, n); err != nil {
			return clean, 0
		}
	}
	return out.String(), held
}

// contentID is the part a cid: address names ("cid:logo@shop" is part <logo@shop>).
func contentID(v string) (string, bool) {
	s := strings.TrimSpace(v)
	if len(s) < 4 || !strings.EqualFold(s[:4], "cid:") {
		return "", false
	}
	id, err := url.PathUnescape(s[4:])
	if err != nil {
		id = s[4:]
	}
	return strings.Trim(id, "<> "), true
}

func isRemote(src string) bool {
	s := strings.ToLower(strings.TrimSpace(src))
	return strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "https:") || strings.HasPrefix(s, "//")
}
