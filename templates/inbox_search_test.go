package templates

import (
	"context"
	"strings"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/search"
)

// A search result's snippet marks the matches and escapes everything the customer wrote.
func TestSearchSnippetIsMarkedAndEscaped(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := i18n.WithLocalizer(context.Background(), b.For("da"))
	p := InboxPage{Filter: desk.Filter{View: desk.ViewAll, Query: "pakken", Sort: sortRelevance},
		Tickets:  []desk.Ticket{{ID: 7, Number: 1007, Subject: "Hvor er min pakke?", Status: desk.StatusOpen, Priority: desk.PriorityNormal}},
		Snippets: map[int64][]search.Segment{7: {{Text: "<script>alert(1)</script> Min "}, {Text: "pakke", Hit: true}, {Text: " & co"}}}}
	var out strings.Builder
	if err := TicketList(p).Render(ctx, &out); err != nil {
		t.Fatal(err)
	}
	html := out.String()
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt; Min <mark>pakke</mark> &amp; co"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Error("the snippet's text came through unescaped")
	}
	var filters strings.Builder
	if err := inboxFilters(p).Render(ctx, &filters); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(filters.String(), `value="relevance" selected`) || !strings.Contains(filters.String(), "Bedste match") {
		t.Errorf("a search offers to sort by best match:\n%s", filters.String())
	}
}
