package sanitize

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RemoteSrc holds a remote image's address until the agent asks to load it.
const RemoteSrc = "data-remote-src"

// Message is customer HTML made safe, with remote images held back: loading one tells the sender
// that the mail was read, and when, so it waits for the agent's click (as mail clients do).
// It returns how many images were held back.
func Message(s string) (string, int) {
	clean := HTML(s)
	if !strings.Contains(clean, "<img") {
		return clean, 0
	}
	nodes, err := html.ParseFragment(strings.NewReader(clean), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return clean, 0
	}
	held := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "img" {
			for i, a := range n.Attr {
				if a.Key == "src" && isRemote(a.Val) {
					n.Attr[i].Key = RemoteSrc
					held++
				}
			}
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

func isRemote(src string) bool {
	s := strings.ToLower(strings.TrimSpace(src))
	return strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "https:") || strings.HasPrefix(s, "//")
}
