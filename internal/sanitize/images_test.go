package sanitize

import (
	"strings"
	"testing"
)

func TestMessageHoldsBackRemoteImages(t *testing.T) {
	in := `<p>Se billedet af skaden:</p><img src="https://tracker.example/open.gif?id=7" alt="">` +
		`<img src="data:image/png;base64,iVBORw0KGgo=" alt="indlejret"><img src="//cdn.example/logo.png">` +
		`<img src="https://x.example/a.png" onerror="alert(1)">`
	out, held := Message(in)
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
	if out, held := Message("<p>Ingen billeder, kun tekst &amp; æøå</p>"); held != 0 || out != "<p>Ingen billeder, kun tekst &amp; æøå</p>" {
		t.Errorf("text without images changed: %q (%d)", out, held)
	}
}
