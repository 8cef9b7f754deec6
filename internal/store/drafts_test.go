package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

func mustSave(t *testing.T, s *store.Store, d desk.Draft) (desk.Draft, bool) {
	t.Helper()
	got, applied, err := s.SaveDraft(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return got, applied
}

func mustDraft(t *testing.T, s *store.Store, ticketID, userID int64) desk.Draft {
	t.Helper()
	d, err := s.Draft(context.Background(), ticketID, userID)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDraftSaveAndRestore(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	anna := mustUser(t, s, "anna@coachdesk.test", desk.RoleAgent)
	tk := mustTicket(t, s, "Pakke", "Hvor er den?")

	if d := mustDraft(t, s, tk.ID, anna.ID); d.Rev != 0 || d.Body != "" {
		t.Fatalf("no draft yet, got %+v", d)
	}
	d, applied := mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Kind: desk.KindNote, Lang: "da", Body: "  Hej Jens\n", Rev: 1})
	if !applied || d.Body != "  Hej Jens\n" || d.Kind != desk.KindNote || d.Lang != "da" || d.Rev != 1 || d.UpdatedAt.IsZero() {
		t.Fatalf("first save: applied %v, %+v", applied, d)
	}
	mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "Hej Jens, tak", Rev: 3})
	for _, rev := range []int64{2, 3} {
		d, applied = mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "old", Rev: rev})
		if applied || d.Body != "Hej Jens, tak" || d.Rev != 3 {
			t.Fatalf("rev %d must not overwrite rev 3: applied %v, %+v", rev, applied, d)
		}
	}
	if d := mustDraft(t, s, tk.ID, anna.ID); d.Body != "Hej Jens, tak" || d.Kind != desk.KindReply || d.Rev != 3 {
		t.Fatalf("restored draft = %+v", d)
	}

	cases := []struct {
		d           desk.Draft
		code, field string
	}{
		{desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "x", Rev: 0}, desk.EINVALID, "rev"},
		{desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "x", Rev: 9, Kind: "email"}, desk.EINVALID, "kind"},
		{desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "x", Rev: 9, Lang: "de"}, desk.EINVALID, "lang"},
		{desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: strings.Repeat("x", desk.MaxBody+1), Rev: 9}, desk.ETOOLARGE, "body"},
		{desk.Draft{TicketID: tk.ID + 100, UserID: anna.ID, Body: "x", Rev: 9}, desk.ENOTFOUND, ""},
	}
	for _, c := range cases {
		_, _, err := s.SaveDraft(ctx, c.d)
		if e, ok := desk.AsError(err); !ok || e.Code != c.code || e.Field != c.field {
			t.Errorf("save %+v: err = %v, want %s %q", c.d.Rev, err, c.code, c.field)
		}
	}
	if d := mustDraft(t, s, tk.ID, anna.ID); d.Rev != 3 {
		t.Fatalf("refused saves changed the draft: %+v", d)
	}
}

func TestDraftConcurrentSavesKeepTheHighestRev(t *testing.T) {
	s := openStore(t)
	anna := mustUser(t, s, "anna@coachdesk.test", desk.RoleAgent)
	tk := mustTicket(t, s, "Pakke", "Hvor er den?")
	const writers, each = 20, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each writer sends its revisions g+1, g+21, … in a random order, as retries over a flaky network would.
			revs := make([]int64, each)
			for i := range revs {
				revs[i] = int64(g + 1 + i*writers)
			}
			r := rand.New(rand.NewPCG(uint64(g), 7))
			r.Shuffle(len(revs), func(i, j int) { revs[i], revs[j] = revs[j], revs[i] })
			for _, rev := range revs {
				_, _, err := s.SaveDraft(context.Background(), desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: fmt.Sprintf("text at rev %d", rev), Rev: rev})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	const top = writers * each
	if d := mustDraft(t, s, tk.ID, anna.ID); d.Rev != top || d.Body != fmt.Sprintf("text at rev %d", top) {
		t.Fatalf("after concurrent saves: %+v, want rev %d", d, top)
	}
}

func TestSendClearsTheDraft(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	anna := mustUser(t, s, "anna@coachdesk.test", desk.RoleAgent)
	bo := mustUser(t, s, "bo@coachdesk.test", desk.RoleAgent)
	tk := mustTicket(t, s, "Pakke", "Hvor er den?")
	mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "Hej Jens, pakken er sendt.", Rev: 5})
	mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: bo.ID, Body: "Bo's own draft", Rev: 2})

	if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Hej Jens, pakken er sendt.", UserID: anna.ID, DraftRev: 5}); err != nil {
		t.Fatal(err)
	}
	if d := mustDraft(t, s, tk.ID, anna.ID); d.Body != "" || d.Rev != 5 {
		t.Fatalf("after sending: %+v, want empty at rev 5", d)
	}
	// Saves that were in flight when the reply went out carry the sent text: they must not bring it back.
	for _, rev := range []int64{4, 5} {
		if d, applied := mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "Hej Jens, pakken er sendt.", Rev: rev}); applied || d.Body != "" {
			t.Fatalf("late save at rev %d resurrected the draft: %+v", rev, d)
		}
	}
	if d, applied := mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "PS:", Rev: 6}); !applied || d.Body != "PS:" {
		t.Fatalf("typing after sending must be kept: %+v", d)
	}
	if d := mustDraft(t, s, tk.ID, bo.ID); d.Body != "Bo's own draft" {
		t.Fatalf("another agent's draft was touched: %+v", d)
	}

	// The send covered a revision whose save never arrived: the tombstone takes that revision.
	if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Kind: desk.KindNote, Body: "PS: ring til GLS", UserID: anna.ID, DraftRev: 9}); err != nil {
		t.Fatal(err)
	}
	if d, applied := mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "PS: ring til GLS", Rev: 9}); applied || d.Body != "" || d.Rev != 9 {
		t.Fatalf("the save of the sent revision landed after the send: %+v", d)
	}
	// A send without a revision (the API) still empties the draft, and a customer's message leaves it.
	mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "igen", Rev: 10})
	if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Tak!"}); err != nil {
		t.Fatal(err)
	}
	if d := mustDraft(t, s, tk.ID, anna.ID); d.Body != "igen" {
		t.Fatalf("a customer's message cleared the agent's draft: %+v", d)
	}
	if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Velbekomme.", UserID: anna.ID}); err != nil {
		t.Fatal(err)
	}
	if d := mustDraft(t, s, tk.ID, anna.ID); d.Body != "" || d.Rev != 10 {
		t.Fatalf("after a send without a revision: %+v", d)
	}
	// A send that covered less than is stored still empties it and keeps the higher revision.
	mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: anna.ID, Body: "mere", Rev: 12})
	if _, err := s.AddMessage(ctx, tk.Number, desk.NewMessage{Body: "Mere.", UserID: anna.ID, DraftRev: 11}); err != nil {
		t.Fatal(err)
	}
	if d := mustDraft(t, s, tk.ID, anna.ID); d.Body != "" || d.Rev != 12 {
		t.Fatalf("after a send of an older revision: %+v", d)
	}
}

func TestCollisionCheck(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	anna := mustUser(t, s, "anna@coachdesk.test", desk.RoleAgent)
	bo := mustUser(t, s, "bo@coachdesk.test", desk.RoleAgent)
	tk := mustTicket(t, s, "Pakke", "Hvor er den?")
	send := func(m desk.NewMessage) (desk.Message, error) { return s.AddMessage(ctx, tk.Number, m) }
	must := func(m desk.Message, err error) desk.Message {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	thread := func() []desk.Message {
		t.Helper()
		th, err := s.Thread(ctx, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	first := thread()[0]

	seen := must(send(desk.NewMessage{Body: "Vi kigger på det.", UserID: anna.ID, SeenID: first.ID})).ID
	must(send(desk.NewMessage{Body: "Og husk gavepapir.", UserID: anna.ID, SeenID: first.ID})) // own reply after seen
	must(send(desk.NewMessage{Kind: desk.KindNote, Body: "Ring til GLS", UserID: bo.ID}))
	must(send(desk.NewMessage{Body: "Tilføjelse.", UserID: anna.ID, SeenID: seen})) // a note by another agent is no collision

	refused := func(who string, m desk.NewMessage) {
		t.Helper()
		before := thread()
		mustSave(t, s, desk.Draft{TicketID: tk.ID, UserID: m.UserID, Body: "unsent", Rev: 100 + int64(len(before))})
		m.DraftRev = 1000
		m.Coaching = &desk.Coaching{Lang: "da", Score: 80, Findings: []desk.CoachFinding{{Rule: "weak-word", Severity: "warning", Start: 0, End: 1}}}
		_, err := send(m)
		e, ok := desk.AsError(err)
		if !ok || e.Code != desk.ECONFLICT || e.Field != "seen" || e.Message != who+" wrote while you were writing; read it, then send again." {
			t.Fatalf("err = %v, want a conflict naming %s", err, who)
		}
		after := thread()
		if len(after) != len(before) {
			t.Fatalf("a refused send wrote a message")
		}
		if d := mustDraft(t, s, tk.ID, m.UserID); d.Body != "unsent" {
			t.Fatalf("a refused send cleared the draft: %+v", d)
		}
		if replies, _ := s.CoachedReplies(ctx, desk.CoachingQuery{}); len(replies) != 0 {
			t.Fatalf("a refused send stored coaching")
		}
	}

	customer := must(send(desk.NewMessage{Body: "Er der nyt?"})).ID
	refused("Jens Hansen", desk.NewMessage{Body: "Vi kigger stadig.", UserID: anna.ID, SeenID: seen})
	must(send(desk.NewMessage{Body: "Ja, den er sendt.", UserID: anna.ID, SeenID: customer}))

	boReply := must(send(desk.NewMessage{Body: "Jeg har rykket GLS.", UserID: bo.ID})).ID
	refused("bo", desk.NewMessage{Body: "Jeg rykker GLS.", UserID: anna.ID, SeenID: customer})
	// The newest of several is named.
	must(send(desk.NewMessage{Body: "Tak!"}))
	refused("Jens Hansen", desk.NewMessage{Body: "Jeg rykker GLS.", UserID: anna.ID, SeenID: customer})
	refused("Jens Hansen", desk.NewMessage{Kind: desk.KindNote, Body: "Hmm", UserID: anna.ID, SeenID: boReply})
	must(send(desk.NewMessage{Body: "Selv tak.", UserID: anna.ID})) // SeenID 0 skips the check
}
