package helpdesk_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/live"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit/pgtest"
)

// A reply that puts the fault on the customer: the blame rule is error-level, so the gate stops it.
const blaming = "Jeg kan godt forstå, at du er ærgerlig over det. Du har skrevet et forkert postnummer på ordren. Jeg har sendt pakken igen i dag."

// fixture is a helpdesk over a real SQLite file with one agent, one customer ticket and an open page on it.
type fixture struct {
	ctx    context.Context
	st     *store.Store
	hd     *helpdesk.Service
	agent  desk.User
	ticket desk.Ticket
	page   *live.Subscription
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, pgtest.DB(t, filepath.Join(t.TempDir(), "helpdesk.db")))
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub()
	hd := helpdesk.New(st, hub, coach.Default())
	t.Cleanup(func() { hd.Close(); st.Close() })
	agent, err := st.CreateUser(ctx, desk.User{Name: "Sofie Agent", Email: "sofie@coachdesk.test", Role: desk.RoleAgent, PasswordHash: "x", Locale: "da"})
	if err != nil {
		t.Fatal(err)
	}
	tk, err := hd.CreateTicket(ctx, desk.NewTicket{Subject: "Pakken er ikke kommet", Body: "Hej, min pakke er stadig ikke kommet, og jeg har ventet i en uge. Hvad sker der?",
		CustomerName: "Karen Holm", CustomerEmail: "karen@example.dk", Channel: desk.ChannelEmail})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ctx: ctx, st: st, hd: hd, agent: agent, ticket: tk}
	f.page = hub.Subscribe(tk.ID, live.Viewer{UserID: 999, Name: "a colleague's page"})
	t.Cleanup(f.page.Close)
	if e := f.next(t); e.Type != live.TypePresence {
		t.Fatalf("first event on a new page is %q, want presence", e.Type)
	}
	return f
}

// next is the page's next event; it fails the test if none comes.
func (f *fixture) next(t *testing.T) live.Event {
	t.Helper()
	select {
	case e := <-f.page.Events():
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event reached the open page")
		return live.Event{}
	}
}

// quiet fails the test if the page hears anything more.
func (f *fixture) quiet(t *testing.T) {
	t.Helper()
	select {
	case e := <-f.page.Events():
		t.Fatalf("unexpected event %+v", e)
	case <-time.After(100 * time.Millisecond):
	}
}

func (f *fixture) thread(t *testing.T) []desk.Message {
	t.Helper()
	th, err := f.st.Thread(f.ctx, f.ticket.ID)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func (f *fixture) reply(body, reason string) helpdesk.Outgoing {
	return helpdesk.Outgoing{Number: f.ticket.Number, Agent: f.agent, Body: body, Lang: "da", OverrideReason: reason}
}

func TestCreateTicketTakesTheCustomersLanguage(t *testing.T) {
	f := newFixture(t)
	if f.ticket.Language != "da" {
		t.Fatalf("language %q, want da (detected from the customer's Danish)", f.ticket.Language)
	}
	en, err := f.hd.CreateTicket(f.ctx, desk.NewTicket{Subject: "Where is my parcel", Body: "Hello, my parcel has still not arrived and I have waited a week. What is going on?",
		CustomerName: "Tom Grey", CustomerEmail: "tom@example.com", Channel: desk.ChannelEmail})
	if err != nil || en.Language != "en" {
		t.Fatalf("English ticket: language %q, err %v", en.Language, err)
	}
}

func TestGateRefusesAndWritesNothing(t *testing.T) {
	f := newFixture(t)
	before := len(f.thread(t))
	_, err := f.hd.Send(f.ctx, f.reply(blaming, ""))
	var refused *helpdesk.Refused
	if !errors.As(err, &refused) {
		t.Fatalf("Send = %v, want *helpdesk.Refused", err)
	}
	if len(refused.Findings) == 0 || refused.Findings[0].Rule != "blame" {
		t.Fatalf("refused findings %+v, want the blame finding", refused.Findings)
	}
	if e, ok := desk.AsError(err); !ok || e.Code != desk.EINVALID || e.Field != "override_reason" {
		t.Fatalf("refusal as a desk error: %+v", e)
	}
	if got := len(f.thread(t)); got != before {
		t.Fatalf("thread has %d messages after a refused send, want %d", got, before)
	}
	f.quiet(t)
}

func TestReasonSendsAndStoresTheCoaching(t *testing.T) {
	f := newFixture(t)
	o := f.reply(blaming, "  Aftalt med kunden i telefonen.  ")
	o.Marks = []helpdesk.Mark{{Rule: "blame", Start: 0, Text: "Du har skrevet et forkert postnummer", Reason: "Kunden spurgte selv"}}
	sent, err := f.hd.Send(f.ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	c := sent.Coaching
	if c == nil || !c.Overridden || c.OverrideReason != "Aftalt med kunden i telefonen." || c.PackVersion == "" {
		t.Fatalf("stored coaching %+v, want overridden with the trimmed reason and a pack version", c)
	}
	var blame *desk.CoachFinding
	for i := range c.Findings {
		if c.Findings[i].Rule == "blame" {
			blame = &c.Findings[i]
		}
	}
	if blame == nil {
		t.Fatalf("no blame finding stored: %+v", c.Findings)
	}
	// The mark's text is not the finding's exact text, so it does not attach: marks match rule and text.
	if blame.NotHelpful {
		t.Fatalf("a mark on other text was attached to %+v", blame)
	}
	e := f.next(t)
	if e.Type != live.TypeMessage || e.MessageID != sent.ID || e.ActorID != f.agent.ID {
		t.Fatalf("event %+v, want the message %d by the agent", e, sent.ID)
	}
	f.quiet(t)
}

func TestMarksAttachToTheirFinding(t *testing.T) {
	f := newFixture(t)
	probe := f.hd.Lint(blaming, coach.Options{Lang: "da"})
	var text string
	for _, fd := range probe.Findings {
		if fd.Rule == "blame" {
			text = fd.Text
		}
	}
	o := f.reply(blaming, "Kunden bad om det ligeud.")
	o.Marks = []helpdesk.Mark{{Rule: "blame", Start: 3, Text: text, Reason: "  Det var sandt  "}}
	sent, err := f.hd.Send(f.ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range sent.Coaching.Findings {
		if fd.Rule == "blame" && (!fd.NotHelpful || fd.NotHelpfulReason != "Det var sandt") {
			t.Fatalf("blame finding %+v, want marked not helpful with the trimmed reason", fd)
		}
	}
}

func TestNoteIsNeverCoached(t *testing.T) {
	f := newFixture(t)
	sent, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: f.ticket.Number, Agent: f.agent, Kind: desk.KindNote, Body: blaming})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Kind != desk.KindNote || sent.Coaching != nil {
		t.Fatalf("note %+v has coaching %+v", sent, sent.Coaching)
	}
	if e := f.next(t); e.Type != live.TypeMessage || e.Kind != string(desk.KindNote) {
		t.Fatalf("event %+v, want the note", e)
	}
}

func TestCollisionIsRefusedOnce(t *testing.T) {
	f := newFixture(t)
	seen := f.thread(t)[0].ID
	if _, err := f.hd.AddCustomerMessage(f.ctx, f.ticket.Number, "Jeg har stadig ikke hørt noget.", false); err != nil {
		t.Fatal(err)
	}
	f.next(t)
	o := f.reply("Hej Karen. Jeg kan godt forstå, at det er irriterende at vente. Pakken er sendt i dag, og du får den i morgen.", "")
	o.SeenID = seen
	_, err := f.hd.Send(f.ctx, o)
	var collision *helpdesk.Collision
	if !errors.As(err, &collision) || collision.Author != "Karen Holm" {
		t.Fatalf("Send after the customer wrote = %v, want a collision naming Karen Holm", err)
	}
	if e, ok := desk.AsError(err); !ok || e.Code != desk.ECONFLICT || e.Field != "seen" {
		t.Fatalf("collision as a desk error: %+v", e)
	}
	f.quiet(t)
	th := f.thread(t)
	o.SeenID = th[len(th)-1].ID
	if _, err := f.hd.Send(f.ctx, o); err != nil {
		t.Fatalf("second send, having seen the new message: %v", err)
	}
	if got := len(f.thread(t)); got != len(th)+1 {
		t.Fatalf("thread has %d messages, want %d", got, len(th)+1)
	}
}

// Every write announces one event, after its commit: the page that hears it finds the change in the store.
func TestEveryWriteAnnouncesOnceAfterCommit(t *testing.T) {
	f := newFixture(t)
	cust, err := f.hd.AddCustomerMessage(f.ctx, f.ticket.Number, "Jeg venter stadig.", false)
	if err != nil {
		t.Fatal(err)
	}
	if e := f.next(t); e.Type != live.TypeMessage || e.MessageID != cust.ID || e.ActorID != 0 {
		t.Fatalf("customer's message: event %+v", e)
	}
	f.quiet(t)

	pending := desk.StatusPending
	if _, err := f.hd.ChangeTicket(f.ctx, f.ticket.Number, f.agent, desk.Change{Status: &pending}); err != nil {
		t.Fatal(err)
	}
	e := f.next(t)
	if e.Type != live.TypeTicket || e.ActorName != f.agent.Name {
		t.Fatalf("change: event %+v", e)
	}
	if tk, _ := f.st.Ticket(f.ctx, f.ticket.Number); tk.Status != desk.StatusPending {
		t.Fatalf("the page heard the change before it was stored: status %q", tk.Status)
	}
	f.quiet(t)

	// Failed writes announce nothing.
	bad := desk.Status("later")
	if _, err := f.hd.ChangeTicket(f.ctx, f.ticket.Number, f.agent, desk.Change{Status: &bad}); desk.ErrorCode(err) != desk.EINVALID {
		t.Fatalf("bad status: %v", err)
	}
	if _, err := f.hd.Send(f.ctx, f.reply("", "")); desk.ErrorCode(err) != desk.EINVALID {
		t.Fatalf("empty reply: %v", err)
	}
	if _, err := f.hd.Send(f.ctx, helpdesk.Outgoing{Number: 424242, Agent: f.agent, Body: "Hej"}); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("unknown ticket: %v", err)
	}
	closed := desk.StatusClosed
	if _, err := f.hd.ChangeTicket(f.ctx, f.ticket.Number, f.agent, desk.Change{Status: &closed}); err != nil {
		t.Fatal(err)
	}
	f.next(t)
	if _, err := f.hd.AddCustomerMessage(f.ctx, f.ticket.Number, "Hallo?", false); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Fatalf("message on a closed ticket: %v", err)
	}
	f.quiet(t)
}

func TestDraftsKeepTheNewestRevision(t *testing.T) {
	f := newFixture(t)
	if _, saved, err := f.hd.SaveDraft(f.ctx, f.ticket.Number, f.agent.ID, helpdesk.DraftInput{Body: "Hej Karen", Rev: 5}); err != nil || !saved {
		t.Fatalf("first save: saved %v, err %v", saved, err)
	}
	d, saved, err := f.hd.SaveDraft(f.ctx, f.ticket.Number, f.agent.ID, helpdesk.DraftInput{Body: "Hej", Rev: 3})
	if err != nil || saved || d.Body != "Hej Karen" {
		t.Fatalf("older save: %+v saved %v err %v, want the newer draft back", d, saved, err)
	}
	for _, in := range []helpdesk.DraftInput{{Body: "x", Rev: 6, Lang: "tlh"}, {Body: "x", Rev: 0}, {Body: "x", Rev: desk.MaxDraftRev + 1}, {Body: "x", Rev: 7, Kind: "memo"}} {
		if _, _, err := f.hd.SaveDraft(f.ctx, f.ticket.Number, f.agent.ID, in); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("SaveDraft(%+v) = %v, want invalid", in, err)
		}
	}
	if got, err := f.hd.Draft(f.ctx, f.ticket.Number, f.agent.ID); err != nil || got.Body != "Hej Karen" || got.Rev != 5 {
		t.Fatalf("Draft = %+v, %v", got, err)
	}
	f.quiet(t) // drafts are private
}

func TestSwappedCoachReadsTheNextLint(t *testing.T) {
	f := newFixture(t)
	if !hasRule(f.hd.Lint(blaming, coach.Options{Lang: "da"}), "blame") {
		t.Fatal("the default coach does not find the blame; the test text needs fixing")
	}
	packs, err := coach.DefaultPacks()
	if err != nil {
		t.Fatal(err)
	}
	off := false
	for _, p := range packs {
		p.Rules["blame"].Enabled = &off
	}
	lenient, err := coach.New(packs...)
	if err != nil {
		t.Fatal(err)
	}
	f.hd.SetCoach(lenient)
	if hasRule(f.hd.Lint(blaming, coach.Options{Lang: "da"}), "blame") {
		t.Fatal("the next lint after SetCoach still used the old coach")
	}
	// The gate reads the same coach: with blame off, the reply goes out without a reason.
	if _, err := f.hd.Send(f.ctx, f.reply(blaming, "")); err != nil {
		t.Fatalf("send with the swapped coach: %v", err)
	}
}

func TestSavedRepliesAreCoachedAsPieces(t *testing.T) {
	f := newFixture(t)
	res := f.hd.LintSavedReply("Du får pengene tilbage.", "da")
	for _, fd := range res.Findings {
		if fd.Rule == "greeting" || fd.Rule == "short-reply" {
			t.Fatalf("a saved reply got a %s finding", fd.Rule)
		}
	}
	if full := f.hd.Lint("Du får pengene tilbage.", coach.Options{Lang: "da", NoAcknowledge: true}); !hasRule(full, "short-reply") && !hasRule(full, "greeting") {
		t.Fatal("the same text as a whole reply has neither greeting nor length findings; the test proves nothing")
	}
}

func hasRule(res coach.Result, rule string) bool {
	for _, f := range res.Findings {
		if f.Rule == rule {
			return true
		}
	}
	return false
}
