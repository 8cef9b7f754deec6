package store

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"coachdesk/internal/desk"
	"coachdesk/internal/testkit/pgtest"
)

// planCombo is one inbox request the UI or the API can make, and the query path it takes.
type planCombo struct {
	f    viewFilter
	path string // page, collect, window, window-page, ranked
}

func (c planCombo) String() string {
	f := c.f
	s := fmt.Sprintf("%s view=%s sort=%s", c.path, f.View, f.Sort)
	if f.Status != "" {
		s += " status=" + string(f.Status)
	}
	switch {
	case f.AssigneeID > 0:
		s += " assignee=N"
	case f.AssigneeID < 0:
		s += " assignee=none"
	}
	if f.Priority != "" {
		s += " priority=" + string(f.Priority)
	}
	if f.Tag != "" {
		s += fmt.Sprintf(" tag(common=%v)", f.tagCommon)
	}
	if f.CustomerID != 0 {
		s += " customer"
	}
	if len(f.numbers) > 0 {
		s += " #number"
	}
	return s
}

// planCombos lists every combination of view, status, assignee, priority, tag (common or rare),
// customer and sort, each down every query path a page can take.
func planCombos() []planCombo {
	var out []planCombo
	views := []desk.View{desk.ViewMine, desk.ViewUnassigned, desk.ViewOpen, desk.ViewPending, desk.ViewSolved, desk.ViewAll}
	statuses := append([]desk.Status{""}, desk.Statuses...)
	for _, v := range views {
		for _, st := range statuses {
			for _, a := range []int64{0, 2, -1} {
				for _, pr := range []desk.Priority{"", desk.PriorityUrgent} {
					for _, tag := range []string{"", "common", "rare"} {
						for _, cust := range []int64{0, 1} {
							for _, sort := range []desk.Sort{desk.SortUpdated, desk.SortCreated, desk.SortPriority} {
								if pr != "" && sort == desk.SortPriority {
									continue // ListTickets reads one priority's tickets in the updated order
								}
								f := viewFilter{Filter: desk.Filter{View: v, UserID: 2, Status: st, AssigneeID: a, Priority: pr,
									CustomerID: cust, Sort: sort, Limit: desk.DefaultPageSize}}
								if tag != "" {
									f.Tag, f.tagCommon = "levering", tag == "common"
								}
								for _, path := range []string{"page", "window", "window-page", "collect"} {
									out = append(out, planCombo{f, path})
								}
								if sort == desk.SortUpdated {
									out = append(out, planCombo{f, "ranked"})
								}
							}
						}
					}
				}
			}
		}
	}
	return out
}

func (c planCombo) query(db *gorm.DB) *gorm.DB {
	cur := &cursor{rank: 2, at: time.Now().UTC(), id: 500}
	switch c.path {
	case "collect":
		return collectQuery(db, c.f, cur, `"pakke"`)
	case "window":
		return windowQuery(db, c.f, cur, walkWindow)
	case "window-page":
		return windowPageQuery(db, c.f, cur, ticketRow{ID: 100, UpdatedAt: time.Now().UTC()}, `"pakke"`, 100, 500, 26)
	case "ranked":
		return rankedQuery(db, c.f, `"pakke"`, 0)
	}
	return pageQuery(db, c.f, cur)
}

// explain returns the EXPLAIN QUERY PLAN lines of the query a combination runs.
func explain(t *testing.T, db *gorm.DB, c planCombo) []string {
	t.Helper()
	var rows []ticketListRow
	stmt := c.query(db.Session(&gorm.Session{DryRun: true})).Find(&rows).Statement
	var plan []struct {
		ID, Parent, Notused int
		Detail              string
	}
	if err := db.Raw("EXPLAIN QUERY PLAN "+stmt.SQL.String(), stmt.Vars...).Scan(&plan).Error; err != nil {
		t.Fatalf("%s: %v\n%s", c, err, stmt.SQL.String())
	}
	lines := make([]string, len(plan))
	for i, p := range plan {
		lines[i] = p.Detail
	}
	return lines
}

// A full scan reads a whole table; a temp B-tree sorts everything the filters let through.
var (
	fullScan = regexp.MustCompile(`^SCAN (t|c|u|tt|g|tickets|customers|users|ticket_tags)$`)
	tempSort = regexp.MustCompile(`USE TEMP B-TREE FOR (ORDER BY|RIGHT PART OF ORDER BY|LAST TERM OF ORDER BY)`)
)

// boundedSort reports the query paths whose sort is bounded by construction (plans.md says why).
func boundedSort(c planCombo) bool {
	switch {
	case c.path == "collect", c.path == "ranked": // at most searchProbeLimit / rankWindow matches
		return true
	case c.f.Tag != "" && !c.f.tagCommon: // a tag on fewer than tagProbeLimit tickets
		return true
	case c.f.CustomerID != 0: // one customer's tickets
		return true
	}
	return false
}

// ticketsLine is the plan's step that reads tickets.
func ticketsLine(lines []string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, "SEARCH t ") || strings.HasPrefix(l, "SCAN t ") || l == "SCAN t" {
			return l
		}
	}
	return ""
}

func checkPlans(t *testing.T, db *gorm.DB) {
	bad := 0
	for _, c := range planCombos() {
		lines := explain(t, db, c)
		if want, walk := wantIndex(c.f), ticketsLine(lines); (c.path == "page" || c.path == "window") && c.f.Tag == "" && !strings.Contains(walk, " "+want+" ") {
			bad++
			if bad <= 40 {
				t.Errorf("%s: walks %q, plans.md says %s", c, walk, want)
			}
		}
		for _, l := range lines {
			if fullScan.MatchString(l) || (tempSort.MatchString(l) && !boundedSort(c)) {
				bad++
				if bad <= 40 {
					t.Errorf("%s: %s\n\t%s", c, l, strings.Join(lines, "\n\t"))
				}
			}
		}
	}
	if bad > 40 {
		t.Errorf("… and %d more", bad-40)
	}
}

// Every view × filter × sort walks an index in its order (or sorts a set bounded by construction),
// with the statistics of a million-ticket desk and with none at all (a new, small desk).
func TestInboxPlansUseIndexes(t *testing.T) {
	pgtest.SQLiteOnly(t, "EXPLAIN QUERY PLAN and sqlite_stat1 are SQLite's; PostgreSQL plans with its own statistics")
	ctx := context.Background()
	s, err := Open(ctx, pgtest.DB(t, filepath.Join(t.TempDir(), "plans.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := s.w.WithContext(ctx)
	t.Run("no statistics", func(t *testing.T) { checkPlans(t, db) })
	t.Run("a million tickets", func(t *testing.T) {
		if err := db.Exec("ANALYZE sqlite_schema").Error; err != nil {
			t.Fatal(err)
		}
		for _, st := range millionStats {
			if err := db.Exec("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", st[0], st[1], st[2]).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Exec("ANALYZE sqlite_schema").Error; err != nil {
			t.Fatal(err)
		}
		checkPlans(t, db)
	})
}

// millionStats is sqlite_stat1 of the benchmark's million-ticket database (ANALYZE after migration 00008).
var millionStats = [][3]string{
	{"customers", "customers_name_nocase", "600956 201"},
	{"customers", "sqlite_autoindex_customers_1", "600956 1"},
	{"messages", "messages_ticket", "5148851 6 1"},
	{"tags", "sqlite_autoindex_tags_1", "12 1"},
	{"ticket_tags", "ticket_tags", "1124797 93734 1"},
	{"ticket_tags", "ticket_tags_ticket", "1124797 2"},
	{"tickets", "sqlite_autoindex_tickets_1", "1000035 1"},
	{"tickets", "tickets_assignee_all_created", "1000035 100004 1 1"},
	{"tickets", "tickets_assignee_all_priority", "1000035 100004 25001 1 1"},
	{"tickets", "tickets_assignee_all_updated", "1000035 100004 1 1"},
	{"tickets", "tickets_assignee_created", "1000035 100004 52634 1 1"},
	{"tickets", "tickets_assignee_priority", "1000035 100004 52634 13159 1 1"},
	{"tickets", "tickets_assignee_updated", "1000035 100004 52634 1 1"},
	{"tickets", "tickets_created", "1000035 1 1"},
	{"tickets", "tickets_customer_updated", "1000035 2 1 1"},
	{"tickets", "tickets_open_created", "1000035 500018 1 1"},
	{"tickets", "tickets_open_priority", "1000035 500018 125005 1 1"},
	{"tickets", "tickets_open_updated", "1000035 500018 1 1"},
	{"tickets", "tickets_priority_updated", "1000035 250009 1 1"},
	{"tickets", "tickets_status_created", "1000035 200007 1 1"},
	{"tickets", "tickets_status_priority", "1000035 200007 50002 1 1"},
	{"tickets", "tickets_status_updated", "1000035 200007 1 1"},
	{"tickets", "tickets_updated", "1000035 1 1"},
	{"users", "sqlite_autoindex_users_1", "10 1"},
}
