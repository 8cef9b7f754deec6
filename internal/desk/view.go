package desk

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// View is one of the inbox's saved views.
type View string

const (
	ViewMine       View = "mine"
	ViewUnassigned View = "unassigned"
	ViewOpen       View = "open"
	ViewPending    View = "pending"
	ViewSolved     View = "solved"
	ViewAll        View = "all"
)

var Views = []View{ViewMine, ViewUnassigned, ViewOpen, ViewPending, ViewSolved, ViewAll}

func (v View) Valid() bool { return slices.Contains(Views, v) }

type Sort string

const (
	SortUpdated  Sort = "updated"
	SortCreated  Sort = "created"
	SortPriority Sort = "priority"
	// SortRelevance ranks a search's newest matches by how well they match (see store.SortRelevance).
	SortRelevance Sort = "relevance"
)

func (s Sort) Valid() bool {
	return s == SortUpdated || s == SortCreated || s == SortPriority || s == SortRelevance
}

const (
	DefaultPageSize = 25
	MaxPageSize     = 100
	MaxQuery        = 200
)

// Filter selects a page of tickets: a view narrowed by filters, sorted, after a keyset cursor.
type Filter struct {
	View       View
	UserID     int64 // who "mine" means
	Status     Status
	AssigneeID int64 // -1 = unassigned, 0 = any
	Priority   Priority
	Tag        string
	CustomerID int64
	Query      string // full-text search over subjects and messages
	Sort       Sort
	After      string // opaque cursor from the previous page
	Limit      int
}

// Normalize fills defaults and reports the first filter value that makes no sense.
func (f *Filter) Normalize() error {
	f.Query = strings.TrimSpace(f.Query)
	f.Tag = strings.ToLower(CleanText(f.Tag))
	if f.View == "" {
		f.View = ViewAll
	}
	if f.Sort == "" {
		f.Sort = SortUpdated
	}
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	switch {
	case !f.View.Valid():
		return Errorf(EINVALID, "view", "Unknown view %q.", f.View)
	case !f.Sort.Valid():
		return Errorf(EINVALID, "sort", "Unknown sort %q: use updated, created, priority or relevance.", f.Sort)
	case f.Status != "" && !f.Status.Valid():
		return Errorf(EINVALID, "status", "Unknown status %q.", f.Status)
	case f.Priority != "" && !f.Priority.Valid():
		return Errorf(EINVALID, "priority", "Unknown priority %q.", f.Priority)
	case f.Limit > MaxPageSize:
		return Errorf(EINVALID, "limit", "Page size is at most %d.", MaxPageSize)
	case utf8.RuneCountInString(f.Query) > MaxQuery:
		return Errorf(EINVALID, "q", "Search is longer than %d characters.", MaxQuery)
	}
	return nil
}

// Page is one page of tickets and the cursor to the next, empty on the last page.
type Page struct {
	Tickets []Ticket
	Next    string
}

// Counts are the inbox views' live counts.
type Counts map[View]int64
