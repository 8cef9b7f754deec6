package sanitize

import (
	"strings"
	"testing"
)

func TestMessageHoldsBackRemoteImages(t *testing.T) {
	in := `<p>Se billedet af skaden:</p><img src="https://tracker.example/open.gif?id=7" alt="">` +
		`<img src="data:image/png;base64,iVBORw0KGgo=" alt="indlejret"><img src="//cdn.example/logo.png">` +
		`<img src="https://x.example/a.png" onerror="alert(1)">`
	out, held := Message(in, nil)
	if held != 3 {
		t.Errorf("held back %d images, want 3 (two https, one protocol-relative): %s", held, out)
	}
	for _, bad := range []string{` src="https://`, ` src="//`, "onerror", "alert"} {
		if strings.Contains(out, bad) {
			t.Errorf("output still has %q: %s", bad, out)
		}
	}
	for _, want := range []string{`data-remote-src="https://tracker.example/open.gif?id=7"`, `alt="indlejret"`, "Se billedet af skaden:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q: %s", want, out)
		}
	}
	if out, held := Message("<p>Ingen billeder, kun tekst &amp; æøå</p>", nil); held != 0 || out != "<p>Ingen billeder, kun tekst &amp; æøå</p>" {
		t.Errorf("text without images changed: %q (%d)", out, held)
	}
}

// A picture sent inside the mail shows from where its part is kept; an unknown part, a cid: link
// and a picture while no parts are known lose the address and keep their text.
func TestMessageShowsPicturesSentInTheMail(t *testing.T) {
	parts := map[string]string{"skade@kunde.dk": "/attachments/7?view=inline"}
	inline := func(id string) string { return parts[id] }
	in := `<p>Her er skaden:</p><img src="cid:skade@kunde.dk" alt="revnet skærm"><img src="CID:%3Cukendt@kunde.dk%3E" alt="ukendt">` +
		`<a href="cid:skade@kunde.dk">link</a><img src="https://tracker.example/p.gif">`
	out, held := Message(in, inline)
	for _, want := range []string{`<img src="/attachments/7?view=inline" alt="revnet skærm"/>`, `<img alt="ukendt"/>`, `>link</a>`, `data-remote-src="https://tracker.example/p.gif"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q: %s", want, out)
		}
	}
	if strings.Contains(out, "cid:") || strings.Contains(strings.ToLower(out), "cid:") || held != 1 {
		t.Errorf("a cid: address is left, or held %d (want 1): %s", held, out)
	}
	if out, _ := Message(`<img src="cid:skade@kunde.dk" alt="revnet skærm">`, nil); out != `<img alt="revnet skærm"/>` {
		t.Errorf("without parts: %s", out)
	}
}
