package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// bulkFixture loads n generated tickets and returns what the counts and a search must say afterwards.
type bulkFixture struct {
	counts map[desk.Status]map[int64]int64 // status → assignee (0 = none) → tickets
	common map[int64]bool                  // numbers of tickets mentioning "stregkode"
	rare   int64                           // the one ticket mentioning "zebrafink"
}

func (f *bulkFixture) add(number int64, st desk.Status, assignee int64) {
	if f.counts[st] == nil {
		f.counts[st] = map[int64]int64{}
	}
	f.counts[st][assignee]++
}

func bulkLoad(t *testing.T, s *store.Store, mode store.BulkMode, n int, agents []int64, f *bulkFixture) {
	t.Helper()
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Duration(n) * time.Minute)
	stats, err := s.BulkLoad(ctx, store.BulkOptions{Mode: mode, BatchSize: 1000, Optimize: true}, func(b *store.Bulk) error {
		var customers []int64
		for i := 0; i < n; i++ {
			at := base.Add(time.Duration(i) * time.Minute)
			if i%3 == 0 {
				id, err := b.AddCustomer(store.BulkCustomer{Name: fmt.Sprintf("Kunde %d", i), Email: fmt.Sprintf("kunde%d@example.dk", i), CreatedAt: at})
				if err != nil {
					return err
				}
				customers = append(customers, id)
			}
			st := desk.Statuses[i%len(desk.Statuses)]
			assignee := agents[i%len(agents)]
			if i%7 == 0 {
				assignee = 0
			}
			body := fmt.Sprintf("Ordre %d er ikke kommet frem.", 7000000+i)
			if i%4 == 0 {
				body += " Stregkoden på labelen kan ikke læses."
			}
			if i == n/2 {
				body += " Min zebrafink har spist kvitteringen."
			}
			tk := store.BulkTicket{Subject: fmt.Sprintf("Sag %d om levering", i), Status: st, Priority: desk.PriorityNormal,
				AssigneeID: assignee, CustomerID: customers[len(customers)-1], Channel: desk.ChannelEmail, CreatedAt: at, UpdatedAt: at.Add(time.Second),
				Tags: []string{"bulk", fmt.Sprintf("gruppe%d", i%5), "Bulk"}, // "Bulk" is "bulk" again: one tag
				Messages: []store.BulkMessage{{Body: body, CreatedAt: at},
					{AuthorUserID: agents[0], Body: "Hej, jeg har fundet pakken og sender den i dag.", CreatedAt: at.Add(time.Second)}},
				Events: []store.BulkEvent{{Field: "created", NewValue: "email", CreatedAt: at}}}
			number, err := b.AddTicket(&tk)
			if err != nil {
				return err
			}
			f.add(number, st, assignee)
			if i%4 == 0 {
				f.common[number] = true
			}
			if i == n/2 {
				f.rare = number
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("bulk load: %v", err)
	}
	if stats.Tickets != int64(n) || stats.Messages != int64(2*n) || stats.Events != int64(n) {
		t.Fatalf("bulk stats %+v, want %d tickets, %d messages, %d events", stats, n, 2*n, n)
	}
}

func wantCounts(f *bulkFixture, user int64) desk.Counts {
	c := desk.Counts{}
	for st, byAssignee := range f.counts {
		for a, n := range byAssignee {
			c[desk.ViewAll] += n
			switch {
			case st.IsOpen():
				c[desk.ViewOpen] += n
				if a == 0 {
					c[desk.ViewUnassigned] += n
				}
				if a == user {
					c[desk.ViewMine] += n
				}
			case st == desk.StatusPending:
				c[desk.ViewPending] += n
			case st == desk.StatusSolved:
				c[desk.ViewSolved] += n
			}
		}
	}
	return c
}

// searchAll pages through every ticket a search finds.
func searchAll(t *testing.T, s *store.Store, q string) map[int64]bool {
	t.Helper()
	found := map[int64]bool{}
	f := desk.Filter{Query: q, Limit: desk.MaxPageSize}
	for {
		page, err := s.ListTickets(context.Background(), f)
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		for _, tk := range page.Tickets {
			if found[tk.Number] {
				t.Fatalf("search %q: ticket %d on two pages", q, tk.Number)
			}
			found[tk.Number] = true
		}
		if page.Next == "" {
			return found
		}
		f.After = page.Next
	}
}

func TestBulkLoadKeepsCountsAndSearchExact(t *testing.T) {
	for _, mode := range []struct {
		name string
		mode store.BulkMode
	}{{"triggers", store.BulkTriggers}, {"deferred", store.BulkDeferred}} {
		t.Run(mode.name, func(t *testing.T) {
			ctx := context.Background()
			s := openStore(t)
			anna := mustUser(t, s, "anna@example.dk", desk.RoleAgent)
			mikkel := mustUser(t, s, "mikkel@example.dk", desk.RoleAgent)
			f := &bulkFixture{counts: map[desk.Status]map[int64]int64{}, common: map[int64]bool{}}

			// A ticket from before the load must stay counted and searchable.
			before := mustTicket(t, s, "Stregkode mangler", "Hej, stregkoden mangler på pakken.")
			f.add(before.Number, before.Status, 0)
			f.common[before.Number] = true

			const n = 5000
			bulkLoad(t, s, mode.mode, n, []int64{anna.ID, mikkel.ID}, f)

			got, err := s.Counts(ctx, anna.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := wantCounts(f, anna.ID)
			for _, v := range desk.Views {
				if got[v] != want[v] {
					t.Errorf("count %s = %d, want %d", v, got[v], want[v])
				}
			}
			if rare := searchAll(t, s, "zebrafink"); len(rare) != 1 || !rare[f.rare] {
				t.Errorf("search zebrafink found %v, want only ticket %d", rare, f.rare)
			}
			common := searchAll(t, s, "stregkoden")
			if len(common) != len(f.common) {
				t.Errorf("search stregkoden found %d tickets, want %d", len(common), len(f.common))
			}
			for number := range f.common {
				if !common[number] {
					t.Errorf("search stregkoden misses ticket %d", number)
					break
				}
			}
			if subj := searchAll(t, s, fmt.Sprintf("sag %d", n-1)); len(subj) == 0 {
				t.Errorf("subject search found nothing")
			}
			page, err := s.ListTickets(ctx, desk.Filter{Tag: "gruppe3", Limit: 100})
			if err != nil || len(page.Tickets) != 100 || len(page.Tickets[0].Tags) != 2 || page.Tickets[0].Tags[0] != "bulk" {
				t.Errorf("tag filter after bulk: %d tickets, err %v", len(page.Tickets), err)
			}

			// The triggers work again after the load: a new ticket is counted and found.
			after := mustTicket(t, s, "Zebrafink igen", "Ny sag efter indlæsningen.")
			got, _ = s.Counts(ctx, anna.ID)
			if got[desk.ViewAll] != want[desk.ViewAll]+1 || got[desk.ViewUnassigned] != want[desk.ViewUnassigned]+1 {
				t.Errorf("counts after a new ticket: all %d unassigned %d, want %d and %d", got[desk.ViewAll], got[desk.ViewUnassigned],
					want[desk.ViewAll]+1, want[desk.ViewUnassigned]+1)
			}
			if rare := searchAll(t, s, "zebrafink"); len(rare) != 2 || !rare[after.Number] {
				t.Errorf("search after a new ticket found %v", rare)
			}
			if after.Number != int64(1001+n+1) {
				t.Errorf("next ticket number %d, want %d", after.Number, 1001+n+1)
			}
		})
	}
}

func TestBulkLoadRollsBackOnError(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, mode := range []store.BulkMode{store.BulkTriggers, store.BulkDeferred} {
		_, err := s.BulkLoad(ctx, store.BulkOptions{Mode: mode}, func(b *store.Bulk) error {
			_, err := b.AddTicket(&store.BulkTicket{Subject: "x", Status: desk.StatusNew, Priority: desk.PriorityLow, CustomerID: 999,
				Channel: desk.ChannelWeb, CreatedAt: time.Now(), UpdatedAt: time.Now()})
			return err
		})
		if err == nil {
			t.Fatalf("mode %d: a ticket for a missing customer was accepted", mode)
		}
	}
	// Nothing was left behind, and the triggers still fire.
	c, err := s.Counts(ctx, 0)
	if err != nil || c[desk.ViewAll] != 0 {
		t.Fatalf("counts after failed loads: %v, %v", c, err)
	}
	mustTicket(t, s, "Efter fejl", "Virker det stadig?")
	if c, _ := s.Counts(ctx, 0); c[desk.ViewAll] != 1 {
		t.Fatalf("count after a ticket following failed loads: %d", c[desk.ViewAll])
	}
	if found := searchAll(t, s, "fejl"); len(found) != 1 {
		t.Fatalf("search after failed loads found %d", len(found))
	}
}
