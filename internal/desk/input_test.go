package desk

import (
	"slices"
	"strings"
	"testing"
)

func newTicket() NewTicket {
	return NewTicket{Subject: "Pakken er ikke kommet", Body: "Hej, hvor er min pakke?", CustomerName: "Søren Ærø", CustomerEmail: "soren@example.dk"}
}

func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	e, ok := AsError(err)
	if !ok || e.Code != EINVALID || e.Field != field {
		t.Fatalf("got %v, want %s on %q", err, EINVALID, field)
	}
}

// A right-to-left override turns "Refund \u202egnp.exe" into "Refund exe.png" on screen.
func TestBidiControlsAndNULAreRemoved(t *testing.T) {
	n := newTicket()
	n.Subject = "Refund \u202egnp.exe"
	n.CustomerName = "Mal\u2066lory\u2069 \u200fØrsted\u200e\u061c"
	n.Body = "Vedhæftet\x00 kvittering\x00"
	n.Tags = []string{"re\u202dfund", "\u2067faktura"}
	if err := n.Normalize(); err != nil {
		t.Fatal(err)
	}
	if n.Subject != "Refund gnp.exe" {
		t.Errorf("subject %q", n.Subject)
	}
	if n.CustomerName != "Mallory Ørsted" {
		t.Errorf("customer name %q", n.CustomerName)
	}
	if n.Body != "Vedhæftet kvittering" {
		t.Errorf("body %q", n.Body)
	}
	if !slices.Equal(n.Tags, []string{"faktura", "refund"}) {
		t.Errorf("tags %q", n.Tags)
	}

	m := NewMessage{Body: "Tak\x00 for svaret 👍", UserID: 1}
	if err := m.Normalize(); err != nil {
		t.Fatal(err)
	}
	if m.Body != "Tak for svaret 👍" {
		t.Errorf("message body %q", m.Body)
	}

	r := SavedReplyInput{Title: "\u202bRetur\x00 af vare\u202c", Body: "Send\x00 pakken retur."}
	if err := r.Normalize(); err != nil {
		t.Fatal(err)
	}
	if r.Title != "Retur af vare" || r.Body != "Send pakken retur." {
		t.Errorf("saved reply %q / %q", r.Title, r.Body)
	}

	tags := []string{"\u202aretur"}
	c := Change{Tags: &tags}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(*c.Tags, []string{"retur"}) {
		t.Errorf("changed tags %q", *c.Tags)
	}
}

func TestOnlyInvisibleCountsAsEmpty(t *testing.T) {
	for _, blank := range []string{"\u200b", " \u200c\u200d ", "\u2060\ufeff", "\u202e\u2066\u200f", "\x00\t\u00a0"} {
		n := newTicket()
		n.Subject = blank
		wantInvalid(t, n.Normalize(), "subject")

		n = newTicket()
		n.CustomerName = blank
		wantInvalid(t, n.Normalize(), "customer.name")

		wantInvalid(t, ValidateName("name", blank), "name")

		r := SavedReplyInput{Title: blank, Body: "Tekst"}
		wantInvalid(t, r.Normalize(), "title")
	}
}

func TestVisibleTextKeepsItsLetters(t *testing.T) {
	family := "👨\u200d👩\u200d👧" // one emoji joined by ZWJ
	n := newTicket()
	n.Subject = "Blåbær, smørrebrød og crème brûlée " + family
	n.CustomerName = "Åsa Öberg-Hämäläinen 🙂"
	n.Tags = []string{"æble", "øl"}
	if err := n.Normalize(); err != nil {
		t.Fatal(err)
	}
	if n.Subject != "Blåbær, smørrebrød og crème brûlée "+family {
		t.Errorf("subject %q", n.Subject)
	}
	if n.CustomerName != "Åsa Öberg-Hämäläinen 🙂" {
		t.Errorf("customer name %q", n.CustomerName)
	}
	if !slices.Equal(n.Tags, []string{"æble", "øl"}) {
		t.Errorf("tags %q", n.Tags)
	}
	if got := CleanText(" " + family + " "); got != family {
		t.Errorf("CleanText(emoji) = %q", got)
	}
}

// A form shows every problem at once, each with the reason it was refused.
func TestNormalizeReportsEveryProblem(t *testing.T) {
	n := NewTicket{Subject: "  ", Body: "", CustomerName: "Ida", CustomerEmail: "ida@", Tags: []string{"ok", "ikke ok!"}}
	err := n.Normalize()
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("got %v, want a desk error", err)
	}
	var got []string
	for _, p := range append([]*Error{e}, e.Also...) {
		got = append(got, p.Field+"/"+p.Reason)
	}
	want := []string{"subject/required", "body/required", "customer.email/", "tags/"}
	if !slices.Equal(got, want) {
		t.Fatalf("problems %q, want %q", got, want)
	}

	long := SavedReplyInput{Title: strings.Repeat("å", MaxReplyName+1)}
	e, _ = AsError(long.Normalize())
	if e == nil || e.Field != "title" || e.Reason != ReasonTooLong || len(e.Also) != 1 || e.Also[0].Field != "body" || e.Also[0].Reason != ReasonRequired {
		t.Fatalf("saved reply problems: %+v", e)
	}
}
