package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/testkit"
)

// sseEvent is one event off an event stream.
type sseEvent struct{ id, name, data string }

// openStream opens the event stream at path as c, with lastID as Last-Event-ID when it is set; the
// channel closes when the stream ends.
func openStream(t *testing.T, ctx context.Context, c *testkit.Client, path, lastID string) <-chan sseEvent {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+path, nil)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		t.Fatalf("events at %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 64)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		var ev sseEvent
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				ev.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			case line == "" && ev.name != "":
				out <- ev
				ev = sseEvent{}
			}
		}
	}()
	return out
}

func nextInbox(t *testing.T, events <-chan sseEvent) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-events:
		if !ok {
			t.Fatal("the inbox stream ended before an event")
		}
		if ev.name != "inbox" || ev.id == "" || ev.data != fmt.Sprintf(`{"seq":%s}`, ev.id) {
			t.Fatalf("inbox event %+v: want event inbox, an id, and only that number as data", ev)
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no inbox event")
	}
	return sseEvent{}
}

func quietInbox(t *testing.T, events <-chan sseEvent) {
	t.Helper()
	select {
	case ev := <-events:
		t.Fatalf("unexpected inbox event %+v", ev)
	case <-time.After(100 * time.Millisecond):
	}
}

var eventsURL = regexp.MustCompile(`id="ticket-list"[^>]*data-events-url="([^"]+)"`)

// inboxStreamURL is the stream the inbox page at path listens to.
func inboxStreamURL(t *testing.T, c *testkit.Client, path string) string {
	t.Helper()
	m := eventsURL.FindStringSubmatch(c.Get(path).Body)
	if m == nil {
		t.Fatalf("%s names no event stream on its list", path)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// refetchList asks for the list as the live inbox does: the page's own URL, aimed at #ticket-list.
func refetchList(t *testing.T, c *testkit.Client, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.Base+path, nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "ticket-list")
	r := c.Do(req)
	if r.Status != http.StatusOK {
		t.Fatalf("refetch %s: %d", path, r.Status)
	}
	return r.Body
}

// An open inbox hears of every new ticket and change in the lists (by mail, the form, the API, a
// change), and its refetch shows it; the events name no ticket, and the stream ends with the app.
func TestInboxHearsTicketsArrive(t *testing.T) {
	e := testkit.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := e.App.Mail.SaveMailbox(ctx, 0, mailboxInput("support@butik.dk")); err != nil {
		t.Fatal(err)
	}
	anna := e.SignIn("anna@coachdesk.test")
	const inbox = "/inbox?view=unassigned"
	stream := inboxStreamURL(t, anna, inbox)
	events := openStream(t, ctx, anna, stream, "")
	quietInbox(t, events) // nothing changed since the page was drawn

	raw := "From: Maja Holm <maja@kunde.dk>\r\nTo: support@butik.dk\r\nSubject: Pakken kom aldrig frem\r\nMessage-ID: <live-1@kunde.dk>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nHej, min pakke er ikke kommet endnu. Hvad sker der?\r\n"
	got, err := e.App.Mail.Receive(ctx, 1, "test", []byte(raw))
	if err != nil || got.Number == 0 {
		t.Fatalf("receive: %+v %v", got, err)
	}
	first := nextInbox(t, events)
	if strings.Contains(first.data, "Pakken") || strings.Contains(first.data, "maja") {
		t.Errorf("the event tells what only the list may show: %s", first.data)
	}
	list := refetchList(t, anna, inbox)
	if !strings.Contains(list, "Pakken kom aldrig frem") {
		t.Errorf("the refetched list lacks the mailed ticket:\n%s", excerpt(list))
	}
	for _, id := range []string{`id="count-unassigned"`, `id="view-count"`} {
		if !strings.Contains(list, id) || !strings.Contains(list, `hx-swap-oob="true"`) {
			t.Errorf("the refetched list does not bring the counts along (%s)", id)
		}
	}

	// The public form, the API and a change in the lists are heard too.
	form := e.Client()
	form.Get("/support")
	if r := form.Post("/support", url.Values{"name": {"Ole"}, "email": {"ole@example.dk"}, "subject": {"Faktura"}, "message": {"Hej, jeg har fået en faktura to gange. Kan I se på det?"}}); r.Status >= 400 {
		t.Fatalf("support form: %d", r.Status)
	}
	nextInbox(t, events)
	api := e.API("mikkel@coachdesk.test")
	r := api.Do(http.MethodPost, "/api/v1/tickets", map[string]any{"subject": "Byttet vare",
		"customer": map[string]any{"name": "Jens", "email": "jens@example.dk"}, "body": "Hej, jeg vil gerne bytte en vare."})
	if r.Status != http.StatusCreated {
		t.Fatalf("api create: %d %s", r.Status, r.Body)
	}
	nextInbox(t, events)
	if r := api.Do(http.MethodPatch, fmt.Sprintf("/api/v1/tickets/%d", got.Number), map[string]any{"priority": "high"}); r.Status != http.StatusOK {
		t.Fatalf("api change: %d %s", r.Status, r.Body)
	}
	last := nextInbox(t, events)

	// A page that reconnects with the last id it heard is up to date; one with an older id hears at once.
	again := openStream(t, ctx, anna, stream, last.id)
	quietInbox(t, again)
	behind := openStream(t, ctx, anna, stream, first.id)
	if ev := nextInbox(t, behind); ev.id != last.id {
		t.Errorf("a page behind heard %+v, want the latest id %s", ev, last.id)
	}
	// The page's own number, from before the mail, is behind too.
	nextInbox(t, openStream(t, ctx, anna, stream, ""))

	// Closing the helpdesk (a shutdown) ends the streams.
	e.Desk.Close()
	select {
	case _, ok := <-events:
		for ok {
			_, ok = <-events
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the inbox stream outlived the helpdesk")
	}
}

func TestInboxEventsNeedASignedInAgent(t *testing.T) {
	e := testkit.New(t)
	if r := e.Client().Get("/inbox/events"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/signin") {
		t.Errorf("anonymous /inbox/events: %d to %q, want the sign-in page", r.Status, r.Location())
	}
}
