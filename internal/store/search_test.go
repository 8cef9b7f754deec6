package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit/pgtest"
)

// Both search plans must return the same tickets in the same order, page after page, in every view.
func TestSearchPlansAgree(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.DB(t, filepath.Join(t.TempDir(), "search.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := time.Now().UTC().Add(-48 * time.Hour)
	words := []string{"pakke", "pakken", "pakkeshop", "faktura", "kaffemaskine", "refusion"}
	_, err = s.BulkLoad(ctx, BulkOptions{}, func(b *Bulk) error {
		c, err := b.AddCustomer(BulkCustomer{Name: "Jens", Email: "jens@example.dk", CreatedAt: base})
		if err != nil {
			return err
		}
		for i := 0; i < 600; i++ {
			at := base.Add(time.Duration(i) * time.Minute)
			tk := BulkTicket{Subject: "Sag om " + words[i%len(words)], Status: desk.Statuses[i%5], Priority: desk.Priorities[i%4],
				CustomerID: c, Channel: desk.ChannelWeb, Tags: []string{[]string{"levering", "faktura", "retur"}[i%3]}, CreatedAt: at, UpdatedAt: at.Add(time.Duration(i%17) * time.Hour),
				Messages: []BulkMessage{{Body: fmt.Sprintf("Ordre %d: %s og %s", 5000+i, words[(i/3)%len(words)], words[(i/7)%len(words)]), CreatedAt: at}}}
			if _, err := b.AddTicket(&tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tickets := func(f desk.Filter) []desk.Ticket {
		var out []desk.Ticket
		f.Limit = 7
		for {
			page, err := s.ListTickets(ctx, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			out = append(out, page.Tickets...)
			if page.Next == "" {
				return out
			}
			f.After = page.Next
		}
	}
	all := func(f desk.Filter) []int64 {
		var numbers []int64
		for _, tk := range tickets(f) {
			numbers = append(numbers, tk.Number)
		}
		return numbers
	}
	// One priority's tickets, sorted by update or by priority, are the view's of that priority in
	// the updated order, page after page (priorityIndexed walks the priority index for them).
	for _, v := range []desk.View{desk.ViewAll, desk.ViewOpen, desk.ViewSolved} {
		byPriority := map[desk.Priority][]int64{}
		for _, tk := range tickets(desk.Filter{View: v}) {
			byPriority[tk.Priority] = append(byPriority[tk.Priority], tk.Number)
		}
		for _, p := range desk.Priorities {
			for _, sort := range []desk.Sort{desk.SortUpdated, desk.SortPriority} {
				if got := all(desk.Filter{View: v, Priority: p, Sort: sort}); !slices.Equal(got, byPriority[p]) || len(got) == 0 {
					t.Errorf("view=%s priority=%s sort=%s: %v, want %v", v, p, sort, got, byPriority[p])
				}
			}
		}
	}
	defer func(limit, window int) { searchProbeLimit, walkWindow = limit, window }(searchProbeLimit, walkWindow)
	walkWindow = 13 // many windows per page, and pages that end inside a window
	for _, tag := range []string{"levering", "retur", "ukendt"} {
		for _, v := range []desk.View{desk.ViewAll, desk.ViewOpen} {
			f := desk.Filter{Tag: tag, View: v}
			tagProbeLimit = 1 << 30
			collected := all(f)
			tagProbeLimit = 1
			walked := all(f)
			tagProbeLimit = 2000
			if !slices.Equal(collected, walked) || (tag != "ukendt" && len(collected) == 0) {
				t.Errorf("tag=%s view=%s: collect found %v, walk found %v", tag, v, collected, walked)
			}
		}
	}
	for _, q := range []string{"pakke", "pak", "faktura kaffe", "5123", "Pakkeshop", "ordre refusion", "zzz", "p", "sag om"} {
		for _, v := range []desk.View{desk.ViewAll, desk.ViewOpen, desk.ViewSolved} {
			for _, sort := range []desk.Sort{desk.SortUpdated, desk.SortPriority} {
				f := desk.Filter{Query: q, View: v, Sort: sort}
				searchProbeLimit = 1 << 30
				collected := all(f)
				searchProbeLimit = 1
				walked := all(f)
				if !slices.Equal(collected, walked) {
					t.Errorf("q=%q view=%s sort=%s: collect found %v, walk found %v", q, v, sort, collected, walked)
				}
				if q == "pakke" && v == desk.ViewAll && len(collected) < 100 {
					t.Errorf("q=pakke found only %d tickets", len(collected))
				}
			}
		}
	}
}

// searchFixture is a desk with tickets in every language the stemmer knows.
type searchFixture struct {
	s   *Store
	ctx context.Context
	tk  map[string]desk.Ticket // by a short name
}

func newSearchFixture(t *testing.T) *searchFixture {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, pgtest.DB(t, filepath.Join(t.TempDir(), "words.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	fx := &searchFixture{s: s, ctx: ctx, tk: map[string]desk.Ticket{}}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { at = at.Add(time.Minute); return at })
	for _, n := range []struct{ name, lang, subject, body, email string }{
		{"da-levering", "da", "Spørgsmål om levering", "Hvornår kommer leveringen af min sofa?", "mette@example.dk"},
		{"da-pakker", "da", "Tre pakker", "Pakkerne står stadig hos GLS i Vejle.", "karen@example.dk"},
		{"da-paa", "da", "Kan jeg få pengene retur?", "Jeg har købt en kaffemaskine, og den gik i stykker på første dag. Den er ødelagt.", "søren@example.dk"},
		{"da-pa", "da", "Forkert kode", "Koden PA-12 virker ikke i påsken.", "lone@example.dk"},
		{"nb-pakke", "nb", "Hvor er pakken min", "Jeg har ventet på pakkene i to uker.", "ola@example.no"},
		{"sv-leverans", "sv", "Leveranser till Malmö", "Båda leveranserna är sena.", "astrid@example.se"},
		{"en-refund", "en", "Refunds", "I returned the packages last week and want a refund.", "ann@example.com"},
		{"phrase", "da", "Pakke ikke modtaget", "Min pakke er ikke modtaget endnu.", "bo@example.dk"},
		{"phrase-reversed", "da", "Modtaget ikke", "Pakken er modtaget, ikke den rigtige farve.", "pia@example.dk"},
	} {
		tk, err := s.CreateTicket(ctx, desk.NewTicket{Subject: n.subject, Body: n.body, CustomerName: "Kunde " + n.name,
			CustomerEmail: n.email, Language: n.lang, Tags: []string{"test-" + n.lang}})
		if err != nil {
			t.Fatal(err)
		}
		fx.tk[n.name] = tk
	}
	return fx
}

// found lists the names of the tickets a search finds, in page order.
func (fx *searchFixture) found(t *testing.T, f desk.Filter) []string {
	t.Helper()
	f.Limit = 50
	page, err := fx.s.ListTickets(fx.ctx, f)
	if err != nil {
		t.Fatalf("%q: %v", f.Query, err)
	}
	var names []string
	for _, tk := range page.Tickets {
		for name, x := range fx.tk {
			if x.ID == tk.ID {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

func TestSearchUnderstandsWordFormsAndSyntax(t *testing.T) {
	fx := newSearchFixture(t)
	cases := []struct {
		q    string
		want []string
	}{
		// Word forms, in each language, both ways.
		{"leveringen", []string{"da-levering"}},
		{"levering", []string{"da-levering"}},
		{"pakke", []string{"da-pakker", "nb-pakke", "phrase", "phrase-reversed"}}, // Norwegian "pakke" is "pakk", as "pakken"
		{"pakkerne", []string{"da-pakker", "phrase", "phrase-reversed"}},
		{"pakkene", []string{"da-pakker", "nb-pakke", "phrase", "phrase-reversed"}},
		{"leveransen", []string{"sv-leverans"}},
		{"package", []string{"en-refund"}},
		{"refunded", []string{"en-refund"}},
		// æøå are letters: "på" is a word, not "pa", not the start of "påsken".
		{"på", []string{"da-paa", "nb-pakke"}},
		{"pa", []string{"da-pa"}},
		{"ødelagt", []string{"da-paa"}},
		{"købt", []string{"da-paa"}},
		{"kø*", []string{"da-paa"}},
		{"på*", []string{"da-pa", "da-paa", "nb-pakke"}},
		{"malmö", []string{"sv-leverans"}},
		// Phrases match the words exactly and in order.
		{`"ikke modtaget"`, []string{"phrase"}},
		{`"pakkerne står"`, []string{"da-pakker"}},
		{`"pakker står"`, nil},
		// Exclusion, with and without other words.
		{"pakke -modtaget", []string{"da-pakker", "nb-pakke"}},
		{`pakke -"ikke modtaget"`, []string{"da-pakker", "nb-pakke", "phrase-reversed"}},
		// Field filters.
		{"from:karen@example.dk", []string{"da-pakker"}},
		{"from:KAREN@example.dk pakke", []string{"da-pakker"}},
		{"from:nobody@example.dk", nil},
		{"from:søren", []string{"da-paa"}},
		{"tag:test-sv", []string{"sv-leverans"}},
		{"tag:test-da pakke", []string{"da-pakker", "phrase", "phrase-reversed"}},
		{"#1003", []string{"da-paa"}},
		{"#1003 #1004", []string{"da-pa", "da-paa"}},
		// The customer and the number are in the document too; a tag is found with tag:.
		{"mette", []string{"da-levering"}},
		{"test-sv", nil},
		{"1006", []string{"sv-leverans"}},
		// Anything else is text.
		{`"unclosed`, nil},
		{`AND OR NOT * ( ) " : ^ {}`, nil},
		{"- -- tag: from: #", nil},
	}
	for _, c := range cases {
		if got := fx.found(t, desk.Filter{Query: c.q}); !slices.Equal(got, c.want) {
			t.Errorf("search %q found %v, want %v", c.q, got, c.want)
		}
	}
	// Only exclusions: every ticket but those.
	if got := fx.found(t, desk.Filter{Query: "-pakke -levering -leverans"}); !slices.Equal(got, []string{"da-pa", "da-paa", "en-refund"}) {
		t.Errorf("search -pakke -levering -leverans found %v", got)
	}
}

// A ticket whose subject and three messages match is one result, and so is its snippet.
func TestSearchListsATicketOnce(t *testing.T) {
	fx := newSearchFixture(t)
	agent, err := fx.s.CreateUser(fx.ctx, desk.User{Name: "Anna", Email: "anna@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	tk := fx.tk["da-levering"]
	for _, body := range []string{"Leveringen er sendt i dag.", "Din levering er på vej.", "Leveringer tager to dage."} {
		if _, err := fx.s.AddMessage(fx.ctx, tk.Number, desk.NewMessage{Kind: desk.KindReply, Body: body, UserID: agent.ID}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []desk.Sort{desk.SortUpdated, SortRelevance} {
		for _, limit := range []int{1 << 30, 1} { // collect and walk
			searchProbeLimit = limit
			if got := fx.found(t, desk.Filter{Query: "levering", Sort: sort}); !slices.Equal(got, []string{"da-levering"}) {
				t.Errorf("sort %s, probe %d: found %v, want the ticket once", sort, limit, got)
			}
		}
	}
	searchProbeLimit = 5000
}

// The document follows every write: a new message, new tags, a new language.
func TestSearchDocumentFollowsWrites(t *testing.T) {
	fx := newSearchFixture(t)
	tk := fx.tk["en-refund"]
	if got := fx.found(t, desk.Filter{Query: "kvittering"}); got != nil {
		t.Fatalf("found %v before the message", got)
	}
	if _, err := fx.s.AddMessage(fx.ctx, tk.Number, desk.NewMessage{Kind: desk.KindReply, Body: "Her er kvitteringen."}); err != nil {
		t.Fatal(err)
	}
	if got := fx.found(t, desk.Filter{Query: "kvittering"}); !slices.Equal(got, []string{"en-refund"}) {
		t.Errorf("after a message: found %v", got)
	}
	tags := []string{"reklamation"}
	if _, err := fx.s.UpdateTicket(fx.ctx, tk.Number, 0, desk.Change{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	// With words to match, tag: also asks the document's tags column.
	if got := fx.found(t, desk.Filter{Query: "tag:reklamation kvittering"}); !slices.Equal(got, []string{"en-refund"}) {
		t.Errorf("after new tags: found %v", got)
	}
	// PostgreSQL's document holds no tags (tag: is checked on the tickets there).
	if !fx.s.d.pg {
		var n int64
		if err := fx.s.r.Raw(`SELECT COUNT(*) FROM ticket_search WHERE ticket_search MATCH '{tags} : "test" + "en"'`).Scan(&n).Error; err != nil || n != 0 {
			t.Errorf("the old tag is still in the document (%d, %v)", n, err)
		}
	}
	// In Danish, "kvitteringen" is stemmed to what "kvitteringer" is; in English it was not.
	if got := fx.found(t, desk.Filter{Query: "kvitteringer"}); got != nil {
		t.Fatalf("an English ticket matched a Danish word form: %v", got)
	}
	da := "da"
	if _, err := fx.s.UpdateTicket(fx.ctx, tk.Number, 0, desk.Change{Language: &da}); err != nil {
		t.Fatal(err)
	}
	if got := fx.found(t, desk.Filter{Query: "kvitteringer"}); !slices.Equal(got, []string{"en-refund"}) {
		t.Errorf("after the language changed: found %v", got)
	}
}

func TestSearchSnippets(t *testing.T) {
	fx := newSearchFixture(t)
	if _, err := fx.s.AddMessage(fx.ctx, fx.tk["da-paa"].Number, desk.NewMessage{Kind: desk.KindReply,
		Body: "<b>Vi</b> sender en ny kaffemaskine <script>x</script> på fredag, og den gamle kan du få hentet."}); err != nil {
		t.Fatal(err)
	}
	page, err := fx.s.ListTickets(fx.ctx, desk.Filter{Query: "kaffemaskinen få"})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("found %v, %v", page.Tickets, err)
	}
	snippets, err := fx.s.Snippets(fx.ctx, "kaffemaskinen få", page.Tickets)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var marked []string
	for _, seg := range snippets[page.Tickets[0].ID] {
		text.WriteString(seg.Text)
		if seg.Hit {
			marked = append(marked, seg.Text)
		}
	}
	// The best message is the one with both words; the plain text is returned, for the page to escape.
	if !slices.Equal(marked, []string{"kaffemaskine", "få"}) || !strings.Contains(text.String(), "<b>Vi</b>") {
		t.Errorf("snippet %q marks %q", text.String(), marked)
	}
}

// Relevance ranks only the newest rankWindow matches, best first.
func TestSearchRankingIsBounded(t *testing.T) {
	fx := newSearchFixture(t)
	defer func(n int) { rankWindow = n }(rankWindow)
	// "pakke" matches da-pakker, phrase and phrase-reversed (created in that order); phrase has it in the subject.
	rankWindow = 2
	got := fx.found(t, desk.Filter{Query: "pakke", Sort: SortRelevance})
	if !slices.Equal(got, []string{"phrase", "phrase-reversed"}) {
		t.Errorf("ranked %v, want only the two newest matches", got)
	}
	page, err := fx.s.ListTickets(fx.ctx, desk.Filter{Query: "pakke", Sort: SortRelevance, Limit: 1})
	if err != nil || len(page.Tickets) != 1 || page.Tickets[0].ID != fx.tk["phrase"].ID || page.Next == "" {
		t.Fatalf("best match first: %v %v", page, err)
	}
	next, err := fx.s.ListTickets(fx.ctx, desk.Filter{Query: "pakke", Sort: SortRelevance, Limit: 1, After: page.Next})
	if err != nil || len(next.Tickets) != 1 || next.Tickets[0].ID != fx.tk["phrase-reversed"].ID || next.Next != "" {
		t.Fatalf("second page: %v %v", next, err)
	}
}

// Migration 00008's builder makes the same documents the writes do.
func TestSearchDocumentsBuildForAnExistingDatabase(t *testing.T) {
	pgtest.SQLiteOnly(t, "migration 00008 builds the FTS5 document of an existing SQLite database; PostgreSQL's schema starts with its document")
	fx := newSearchFixture(t)
	before := fx.found(t, desk.Filter{Query: "pakkerne"})
	if err := fx.s.w.Exec("DELETE FROM ticket_search").Error; err != nil {
		t.Fatal(err)
	}
	if got := fx.found(t, desk.Filter{Query: "pakkerne"}); got != nil {
		t.Fatalf("found %v without documents", got)
	}
	sqlDB, _ := fx.s.w.DB()
	tx, err := sqlDB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	n, err := buildSearchDocuments(fx.ctx, tx)
	if err != nil || n != int64(len(fx.tk)) {
		t.Fatalf("built %d documents: %v", n, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := fx.found(t, desk.Filter{Query: "pakkerne"}); !slices.Equal(got, before) || len(got) == 0 {
		t.Errorf("after the rebuild found %v, before %v", got, before)
	}
}
