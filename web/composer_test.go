package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/testkit"
)

const blamingReply = "Jeg forstår godt, at det er frustrerende. Du har tastet adressen forkert. Jeg har rettet den, så pakken kommer i morgen."

// composerForm is what the composer posts for a reply, seen as newest message seenID.
func composerForm(body string, seenID int64) url.Values {
	return url.Values{"kind": {"reply"}, "body": {body}, "lang": {"da"}, "seen": {itoa(seenID)}}
}

func thread(t *testing.T, e *testkit.Env, ticketID int64) []desk.Message {
	t.Helper()
	th, err := e.Store.Thread(context.Background(), ticketID)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func TestSendGateRefusesAnErrorWithoutReason(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Forkert adresse", "Min pakke er ikke kommet, og jeg er virkelig træt af det.")
	c := e.SignIn("anna@coachdesk.test")
	path := "/tickets/" + itoa(tk.Number)
	c.Get(path)
	seen := thread(t, e, tk.ID)[0].ID

	// Without a reason: nothing is sent, the text and the gate come back.
	r := c.PostHTMX(path+"/messages", "conversation", composerForm(blamingReply, seen))
	if r.Status != http.StatusOK {
		t.Fatalf("htmx refusal: status %d", r.Status)
	}
	if n := len(thread(t, e, tk.ID)); n != 1 {
		t.Fatalf("a reply with an error and no reason was sent: %d messages", n)
	}
	if !strings.Contains(r.Body, html.EscapeString("Du har tastet adressen forkert.")) {
		t.Errorf("the refused text did not come back:\n%s", excerpt(r.Body))
	}
	if !strings.Contains(r.Body, `data-rule="blame"`) || !strings.Contains(r.Body, "send-gate") {
		t.Errorf("the gate does not name the blame finding:\n%s", excerpt(r.Body))
	}
	// Without htmx the page answers 422 with the same.
	if r := c.Post(path+"/messages", composerForm(blamingReply, seen)); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("plain refusal: status %d, want 422", r.Status)
	}

	// With a reason it is sent, and the override is stored with its findings.
	form := composerForm(blamingReply, seen)
	form.Set("override_reason", "Kunden bad selv om en direkte forklaring.")
	if r := c.Post(path+"/messages", form); r.Status != http.StatusSeeOther {
		t.Fatalf("send anyway: status %d: %s", r.Status, excerpt(r.Body))
	}
	th := thread(t, e, tk.ID)
	sent := th[len(th)-1]
	if sent.Coaching == nil || !sent.Coaching.Overridden || sent.Coaching.OverrideReason != "Kunden bad selv om en direkte forklaring." {
		t.Fatalf("stored coaching = %+v", sent.Coaching)
	}
	if !hasFinding(sent.Coaching, "blame", "Du har tastet adressen forkert") || sent.Coaching.PackVersion == "" {
		t.Errorf("stored findings = %+v", sent.Coaching)
	}
	page := c.Get(path).Body
	if !strings.Contains(page, `class="stored-finding sev-error" data-rule="blame"`) {
		t.Errorf("the sent reply does not show its stored finding:\n%s", excerpt(section(t, page, "m"+itoa(sent.ID))))
	}
}

func hasFinding(c *desk.Coaching, rule, text string) bool {
	for _, f := range c.Findings {
		if f.Rule == rule && strings.Contains(f.Text, strings.Fields(text)[0]) {
			return true
		}
	}
	return false
}

func TestSendGateLetsWarningsAndNotesThrough(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Levering", "Hvornår kommer min pakke?")
	c := e.SignIn("anna@coachdesk.test")
	path := "/tickets/" + itoa(tk.Number)
	c.Get(path)
	seen := thread(t, e, tk.ID)[0].ID

	warnOnly := "Jeg forstår godt, at du venter. Pakken er måske forsinket, så jeg sender en ny i dag, og den er hos dig i morgen."
	if r := c.Post(path+"/messages", composerForm(warnOnly, seen)); r.Status != http.StatusSeeOther {
		t.Fatalf("a reply with warnings only: status %d: %s", r.Status, excerpt(r.Body))
	}
	th := thread(t, e, tk.ID)
	if got := th[len(th)-1].Coaching; got == nil || got.Overridden || !hasFinding(got, "weak-word", "måske") {
		t.Errorf("warning reply coaching = %+v", got)
	}
	note := url.Values{"kind": {"note"}, "body": {"Du har tastet adressen forkert, siger lageret."}, "seen": {itoa(th[len(th)-1].ID)}}
	if r := c.Post(path+"/messages", note); r.Status != http.StatusSeeOther {
		t.Fatalf("a note with blame wording was gated: status %d", r.Status)
	}
	th = thread(t, e, tk.ID)
	if last := th[len(th)-1]; last.Kind != desk.KindNote || last.Coaching != nil {
		t.Errorf("note stored as %+v", last)
	}
}

func TestNotHelpfulMarksAreStored(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Spørgsmål", "Jeg er ked af, at min ordre er forsinket.")
	c := e.SignIn("anna@coachdesk.test")
	path := "/tickets/" + itoa(tk.Number)
	c.Get(path)
	body := "Jeg forstår godt, at det er irriterende.\r\nDin ordre er måske afsendt i dag."
	// The page linted the text with LF line breaks, so its offsets are one byte before the server's.
	at := strings.Index(strings.ReplaceAll(body, "\r\n", "\n"), "måske")
	marks, _ := json.Marshal([]map[string]any{{"rule": "weak-word", "start": at, "end": at + len("måske"), "text": "måske", "reason": "Vi ved det ikke endnu."}})
	form := composerForm(body, thread(t, e, tk.ID)[0].ID)
	form.Set("coach_marks", string(marks))
	if r := c.Post(path+"/messages", form); r.Status != http.StatusSeeOther {
		t.Fatalf("status %d: %s", r.Status, excerpt(r.Body))
	}
	th := thread(t, e, tk.ID)
	got := th[len(th)-1].Coaching
	var marked []desk.CoachFinding
	for _, f := range got.Findings {
		if f.NotHelpful {
			marked = append(marked, f)
		}
	}
	if len(marked) != 1 || marked[0].Text != "måske" || marked[0].NotHelpfulReason != "Vi ved det ikke endnu." {
		t.Errorf("not-helpful marks stored: %+v (all: %+v)", marked, got.Findings)
	}
}

func TestCollisionWarnsOnceBeforeSending(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Refusion", "Jeg vil gerne have mine penge tilbage.")
	anna := e.SignIn("anna@coachdesk.test")
	path := "/tickets/" + itoa(tk.Number)
	anna.Get(path)
	seen := thread(t, e, tk.ID)[0].ID

	// The customer writes again while Anna types (through the API, as an e-mail gateway would).
	mikkel := e.Integration("mikkel@coachdesk.test", "mail gateway")
	if r := mikkel.Do(http.MethodPost, "/api/v1/tickets/"+itoa(tk.Number)+"/messages", map[string]any{"from": "customer", "body": "Hallo? Er der nogen?"}); r.Status != http.StatusCreated {
		t.Fatalf("customer message via API: %d %s", r.Status, r.Body)
	}
	reply := "Jeg forstår godt, at du venter på svar. Jeg har sendt pengene i dag."
	form := composerForm(reply, seen)
	form.Set("override_reason", "Aftalt i telefonen")
	r := anna.PostHTMX(path+"/messages", "conversation", form)
	if n := len(thread(t, e, tk.ID)); n != 2 {
		t.Fatalf("sent over a message Anna had not seen: %d messages", n)
	}
	if !strings.Contains(r.Body, "collision-warning") || !strings.Contains(r.Body, "Jens Hansen") {
		t.Errorf("no collision warning naming the customer:\n%s", excerpt(section(t, r.Body, "composer")))
	}
	if !strings.Contains(r.Body, html.EscapeString(reply)) || !strings.Contains(r.Body, `value="Aftalt i telefonen"`) {
		t.Errorf("the reply text or the reason was lost on the collision warning")
	}
	// The answer carries the new newest message; sending again goes through.
	newest := thread(t, e, tk.ID)[1].ID
	if r := anna.Post(path+"/messages", composerForm(reply, newest)); r.Status != http.StatusSeeOther {
		t.Fatalf("second send: status %d: %s", r.Status, excerpt(r.Body))
	}
	// Anna's own messages never count as a collision.
	if r := anna.Post(path+"/messages", composerForm("Jeg forstår godt, at du venter. Pengene er sendt.", newest)); r.Status != http.StatusSeeOther {
		t.Errorf("own earlier reply counted as a collision: status %d", r.Status)
	}
}

func TestAPIRepliesPassTheGate(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Faktura", "Min faktura er forkert, og det irriterer mig.")
	api := e.API("anna@coachdesk.test")
	path := "/api/v1/tickets/" + itoa(tk.Number) + "/messages"
	r := api.Do(http.MethodPost, path, map[string]any{"body": blamingReply})
	if r.Status != http.StatusUnprocessableEntity || r.Err(t).Error.Field != "override_reason" {
		t.Fatalf("API reply with blame and no reason: %d %s", r.Status, r.Body)
	}
	if r := api.Do(http.MethodPost, path, map[string]any{"body": blamingReply, "override_reason": "Aftalt med kunden."}); r.Status != http.StatusCreated {
		t.Fatalf("with a reason: %d %s", r.Status, r.Body)
	}
	if r := api.Do(http.MethodPost, path, map[string]any{"body": "Hej", "from": "robot"}); r.Status != http.StatusUnprocessableEntity || r.Err(t).Error.Field != "from" {
		t.Errorf("unknown author: %d %s", r.Status, r.Body)
	}
}

type draftAnswer struct {
	Body  string `json:"body"`
	Rev   int64  `json:"rev"`
	Saved bool   `json:"saved"`
}

func saveDraft(t *testing.T, api *testkit.APIClient, number int64, body string, rev int64) draftAnswer {
	t.Helper()
	r := api.Do(http.MethodPut, "/api/v1/tickets/"+itoa(number)+"/draft", map[string]any{"body": body, "kind": "reply", "lang": "da", "rev": rev})
	if r.Status != http.StatusOK {
		t.Fatalf("save draft rev %d: %d %s", rev, r.Status, r.Body)
	}
	var a draftAnswer
	r.JSON(t, &a)
	return a
}

func TestDraftOlderSaveNeverWins(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Kladde", "Hvor er min pakke?")
	api := e.API("anna@coachdesk.test")
	if a := saveDraft(t, api, tk.Number, "Jeg forstår godt", 2000); !a.Saved {
		t.Fatalf("first save not applied: %+v", a)
	}
	if a := saveDraft(t, api, tk.Number, "Jeg", 1000); a.Saved || a.Body != "Jeg forstår godt" || a.Rev != 2000 {
		t.Errorf("an older save answered %+v; want it ignored with the newer draft", a)
	}

	// Many saves at once, in any order: the highest revision's text is what stays.
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rev := int64(3000 + (i*17)%40)
			r := api.Do(http.MethodPut, "/api/v1/tickets/"+itoa(tk.Number)+"/draft", map[string]any{"body": fmt.Sprintf("tekst %d", rev), "rev": rev})
			if r.Status != http.StatusOK {
				t.Errorf("concurrent save: %d %s", r.Status, r.Body)
			}
		}()
	}
	wg.Wait()
	var got draftAnswer
	api.Do(http.MethodGet, "/api/v1/tickets/"+itoa(tk.Number)+"/draft", nil).JSON(t, &got)
	if got.Rev != 3039 || got.Body != "tekst 3039" {
		t.Errorf("after concurrent saves the draft is %+v, want rev 3039", got)
	}

	// The page restores it, and another agent's page does not see it.
	if page := e.SignIn("anna@coachdesk.test").Get("/tickets/" + itoa(tk.Number)).Body; !strings.Contains(page, "tekst 3039") || !strings.Contains(page, `data-draft-rev="3039"`) {
		t.Errorf("the ticket page did not restore the draft:\n%s", excerpt(section(t, page, "composer")))
	}
	if page := e.SignIn("mikkel@coachdesk.test").Get("/tickets/" + itoa(tk.Number)).Body; strings.Contains(page, "tekst 3039") {
		t.Errorf("Mikkel sees Anna's draft")
	}
}

func TestSendClearsTheDraft(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Kladde", "Hvor er min pakke?")
	api := e.API("anna@coachdesk.test")
	c := e.SignIn("anna@coachdesk.test")
	path := "/tickets/" + itoa(tk.Number)
	c.Get(path)
	reply := "Jeg forstår godt, at du venter. Pakken er sendt i dag."
	saveDraft(t, api, tk.Number, reply, 5000)
	form := composerForm(reply, thread(t, e, tk.ID)[0].ID)
	form.Set("draft_rev", "5001")
	if r := c.Post(path+"/messages", form); r.Status != http.StatusSeeOther {
		t.Fatalf("send: %d %s", r.Status, excerpt(r.Body))
	}
	// A save still in flight from before the send must not bring the sent text back.
	if a := saveDraft(t, api, tk.Number, reply, 5001); a.Saved || a.Body != "" {
		t.Errorf("a late save resurrected the draft: %+v", a)
	}
	if page := c.Get(path).Body; strings.Contains(between(t, page, "composer", "properties"), "Pakken er sendt i dag.</textarea>") {
		t.Errorf("the sent reply is still in the composer")
	}
	if a := saveDraft(t, api, tk.Number, "Ny tekst", 6000); !a.Saved {
		t.Errorf("typing after the send was not saved: %+v", a)
	}
}

func TestDraftBadInput(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Kladde", "Hvor er min pakke?")
	api := e.API("anna@coachdesk.test")
	path := "/api/v1/tickets/" + itoa(tk.Number) + "/draft"
	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"no revision", map[string]any{"body": "x"}, http.StatusUnprocessableEntity, "rev"},
		{"unknown kind", map[string]any{"body": "x", "rev": 1, "kind": "memo"}, http.StatusUnprocessableEntity, "kind"},
		{"unknown language", map[string]any{"body": "x", "rev": 1, "lang": "de"}, http.StatusUnprocessableEntity, "lang"},
		{"text over the limit", map[string]any{"body": strings.Repeat("ord ", 20_000), "rev": 1}, http.StatusRequestEntityTooLarge, "body"},
		{"revision as text", `{"body": "x", "rev": "ny"}`, http.StatusBadRequest, "rev"},
	}
	for _, c := range cases {
		r := api.Do(http.MethodPut, path, c.body)
		if r.Status != c.status || r.Err(t).Error.Field != c.field {
			t.Errorf("%s: %d %s, want %d naming %q", c.name, r.Status, r.Body, c.status, c.field)
		}
	}
	if r := api.Do(http.MethodPut, "/api/v1/tickets/999999/draft", map[string]any{"body": "x", "rev": 1}); r.Status != http.StatusNotFound {
		t.Errorf("draft on a missing ticket: %d", r.Status)
	}
}

func TestLintRateLimit(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	limited := 0
	for range 120 {
		r := api.Do(http.MethodPost, "/api/v1/lint", map[string]any{"text": "Hej"})
		if r.Status == http.StatusTooManyRequests {
			if r.Err(t).Error.Code != "too_many" {
				t.Fatalf("429 without its code: %s", r.Body)
			}
			limited++
		}
	}
	if limited == 0 {
		t.Fatalf("120 lint calls at once were all answered; the typing budget did not brake")
	}
	// Another agent's budget is their own.
	if r := e.API("mikkel@coachdesk.test").Do(http.MethodPost, "/api/v1/lint", map[string]any{"text": "Hej"}); r.Status != http.StatusOK {
		t.Errorf("Mikkel was limited by Anna's calls: %d", r.Status)
	}
}

// sseEvent is one server-sent event as read off the wire.
func openEvents(t *testing.T, ctx context.Context, c *testkit.Client, number int64) <-chan sseEvent {
	t.Helper()
	return openStream(t, ctx, c, "/tickets/"+itoa(number)+"/events", "")
}

func next(t *testing.T, events <-chan sseEvent, name string) sseEvent {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatalf("stream ended before a %q event", name)
			}
			if ev.name == name {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %q event", name)
		}
	}
}

// viewers are the names a presence event lists (the reader is never among them).
func viewers(t *testing.T, ev sseEvent) []string {
	t.Helper()
	var p struct {
		Viewers []struct{ Name string } `json:"viewers"`
	}
	if err := json.Unmarshal([]byte(ev.data), &p); err != nil {
		t.Fatalf("presence %q: %v", ev.data, err)
	}
	var names []string
	for _, v := range p.Viewers {
		names = append(names, v.Name)
	}
	return names
}

func TestLiveTicketEvents(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Live", "Er der nogen?")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	anna := e.SignIn("anna@coachdesk.test")
	events := openEvents(t, ctx, anna, tk.Number)
	if names := viewers(t, next(t, events, "presence")); len(names) != 0 {
		t.Errorf("Anna alone on the ticket sees viewers %v", names)
	}

	mikkel := e.SignIn("mikkel@coachdesk.test")
	mctx, mcancel := context.WithCancel(ctx)
	openEvents(t, mctx, mikkel, tk.Number)
	if names := viewers(t, next(t, events, "presence")); len(names) != 1 || names[0] != "Mikkel Agent" {
		t.Errorf("Mikkel opened the ticket, presence says %v", names)
	}

	mikkel.Get("/tickets/" + itoa(tk.Number))
	if r := mikkel.Post("/tickets/"+itoa(tk.Number)+"/messages", composerForm("Jeg forstår godt, at du venter. Jeg ser på det nu.", thread(t, e, tk.ID)[0].ID)); r.Status != http.StatusSeeOther {
		t.Fatalf("Mikkel's reply: %d", r.Status)
	}
	var msg struct {
		ActorName string `json:"actor_name"`
		MessageID int64  `json:"message_id"`
		Kind      string `json:"kind"`
	}
	if err := json.Unmarshal([]byte(next(t, events, "message").data), &msg); err != nil || msg.ActorName != "Mikkel Agent" || msg.Kind != "reply" || msg.MessageID == 0 {
		t.Errorf("message event = %+v (%v)", msg, err)
	}
	// The thread endpoint shows the new reply to Anna's page.
	if th := anna.Get("/tickets/" + itoa(tk.Number) + "/thread").Body; !strings.Contains(th, "Jeg ser på det nu.") || !strings.Contains(th, `id="properties"`) {
		t.Errorf("thread refetch lacks the reply or the sidebar:\n%s", excerpt(th))
	}
	if r := mikkel.Post("/tickets/"+itoa(tk.Number)+"/properties", url.Values{"priority": {"high"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("priority change: %d", r.Status)
	}
	next(t, events, "ticket")

	mcancel()
	if names := viewers(t, next(t, events, "presence")); len(names) != 0 {
		t.Errorf("Mikkel left, presence still lists %v", names)
	}
}

func TestTicketLanguageIsDetected(t *testing.T) {
	e := testkit.New(t)
	api := e.API("anna@coachdesk.test")
	r := api.Do(http.MethodPost, "/api/v1/tickets", map[string]any{"subject": "Where is my order?",
		"customer": map[string]any{"name": "Jane Doe", "email": "jane@example.com"},
		"body":     "Hi, I ordered a jacket two weeks ago and it still has not arrived. What is going on with it?"})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var tk struct {
		Number   int64  `json:"id"`
		Language string `json:"language"`
	}
	r.JSON(t, &tk)
	if tk.Language != "en" {
		t.Errorf("an English ticket got language %q", tk.Language)
	}
	// The composer coaches in the ticket's language.
	page := e.SignIn("anna@coachdesk.test").Get("/tickets/" + itoa(tk.Number)).Body
	if !strings.Contains(section(t, page, "composer"), `data-lang="en"`) {
		t.Errorf("the composer does not coach in English:\n%s", excerpt(section(t, page, "composer")))
	}
}

func TestSavedRepliesAreCoached(t *testing.T) {
	e := testkit.New(t)
	lead := e.SignIn("lead@coachdesk.test")
	lead.Get("/saved-replies")
	// Warnings are shown beside the saved reply; an error-level finding keeps it out (hardening_test.go).
	if r := lead.Post("/saved-replies", url.Values{"title": {"Genstart"}, "body": {"Måske hjælper det at genstarte routeren."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save: %d", r.Status)
	}
	page := lead.Get("/saved-replies").Body
	for _, rule := range []string{"weak-word"} {
		if !strings.Contains(page, `data-rule="`+rule+`"`) {
			t.Errorf("the saved reply's %s finding is not shown", rule)
		}
	}
	// A saved reply is a piece of a reply: it needs no greeting or length of its own.
	for _, rule := range []string{"greeting", "short-reply", "acknowledge"} {
		if strings.Contains(section(t, page, "saved-title"), `data-rule="`+rule+`"`) {
			t.Errorf("a saved reply is coached for %s", rule)
		}
	}
	if !strings.Contains(page, `data-skip-rules="greeting short-reply"`) {
		t.Errorf("the saved reply editor coaches for rules that do not apply to it")
	}
}

func TestLiveRoutesNeedASignedInAgent(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Live", "Hej")
	anon := e.Client()
	for _, path := range []string{"/tickets/" + itoa(tk.Number) + "/events", "/tickets/" + itoa(tk.Number) + "/thread"} {
		if r := anon.Get(path); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/signin") {
			t.Errorf("anonymous GET %s: %d to %q, want the sign-in page", path, r.Status, r.Location())
		}
	}
	if r := anon.PostNoCSRF("/api/v1/tickets/"+itoa(tk.Number)+"/draft", nil); r.Status == http.StatusOK {
		t.Errorf("anonymous draft save answered 200")
	}
	anna := e.SignIn("anna@coachdesk.test")
	if r := anna.Get("/tickets/999999/events"); r.Status != http.StatusNotFound {
		t.Errorf("events of a missing ticket: %d", r.Status)
	}
	// A session without the CSRF token cannot save a draft.
	req, _ := http.NewRequest(http.MethodPut, e.URL+"/api/v1/tickets/"+itoa(tk.Number)+"/draft", strings.NewReader(`{"body":"x","rev":1}`))
	req.Header.Set("Content-Type", "application/json")
	if r := anna.Do(req); r.Status != http.StatusForbidden {
		t.Errorf("draft save without CSRF: %d", r.Status)
	}
}

func TestAgentSetsTheTicketLanguage(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Hej", "Hej, min pakke er ikke kommet.")
	c := e.SignIn("anna@coachdesk.test")
	path := "/tickets/" + itoa(tk.Number)
	c.Get(path)
	if r := c.Post(path+"/properties", url.Values{"language": {"sv"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("set language: %d", r.Status)
	}
	page := c.Get(path).Body
	if !strings.Contains(section(t, page, "composer"), `data-lang="sv"`) || !strings.Contains(page, "Swedish") {
		t.Errorf("the composer does not coach in the ticket's new language:\n%s", excerpt(section(t, page, "composer")))
	}
	if r := c.Post(path+"/properties", url.Values{"language": {"de"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Choose Danish, Norwegian, Swedish or English.") {
		t.Errorf("unknown language: %d", r.Status)
	}
	api := e.API("anna@coachdesk.test")
	if r := api.Do(http.MethodPatch, "/api/v1/tickets/"+itoa(tk.Number), map[string]any{"language": "xx"}); r.Status != http.StatusUnprocessableEntity || r.Err(t).Error.Field != "language" {
		t.Errorf("API with an unknown language: %d %s", r.Status, r.Body)
	}
}

// The composer says what a refused text lacks in its own words, beside the text, and keeps the text:
// an empty reply or note, and a reply over the message limit (the page says the same before sending).
func TestComposerSaysWhatTheTextLacks(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Pakken", "Hvor er min pakke?")
	c := e.SignIn("anna@coachdesk.test") // reads English
	path := "/tickets/" + itoa(tk.Number)
	c.Get(path)
	seen := thread(t, e, tk.ID)[0].ID
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := bundle.For("en")

	r := c.PostHTMX(path+"/messages", "conversation", composerForm("  \r\n ", seen))
	mustContain(t, "an empty reply", r.Body, `id="err-body"`, html.EscapeString(en.T("composer.body_missing")), `data-send-state="refused"`)
	note := composerForm(" ", seen)
	note.Set("kind", "note")
	r = c.PostHTMX(path+"/messages", "conversation", note)
	mustContain(t, "an empty note", r.Body, html.EscapeString(en.T("composer.note_missing")))

	long := strings.Repeat("Pakken er sendt. ", (desk.MaxBody+4096)/17) + "SLUTMÆRKE"
	kb := (len(long) + 1023) >> 10
	want := html.EscapeString(en.T("composer.body_too_long", map[string]any{"Size": kb, "Max": desk.MaxBody >> 10}))
	r = c.PostHTMX(path+"/messages", "conversation", composerForm(long, seen))
	mustContain(t, "an over-long reply (htmx)", r.Body, want, "SLUTMÆRKE</textarea>")
	r = c.Post(path+"/messages", composerForm(long, seen))
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("an over-long reply without htmx: status %d, want 413", r.Status)
	}
	mustContain(t, "an over-long reply (page)", r.Body, want, "SLUTMÆRKE</textarea>")
	if n := len(thread(t, e, tk.ID)); n != 1 {
		t.Fatalf("a refused text was stored: %d messages", n)
	}
}
