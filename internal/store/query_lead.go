package store

import "coachdesk/internal/desk"

// leadColumn picks the one filter whose index a page walks (the table in plans.md): the filter
// with the fewest tickets per value first — a customer, then a status, then an assignee (with the
// open flag of the mine and unassigned views), then the open flag, then a priority — provided an
// index has that column before the page's sort order. "" walks the sort order's own index.
// Whatever else the filter asks is checked on each row the walk passes, so a page costs about
// page size / share of the walked rows that pass, never a sort of everything that matches.
func leadColumn(f viewFilter) string {
	status := f.Status != "" || f.View == desk.ViewPending || f.View == desk.ViewSolved
	assignee := f.AssigneeID != 0 || f.View == desk.ViewMine || f.View == desk.ViewUnassigned
	switch {
	case f.CustomerID != 0:
		return "customer" // one customer's tickets: few enough to sort in any order
	case status:
		return "status"
	case assignee:
		return "assignee"
	case f.View == desk.ViewOpen:
		return "is_open"
	case f.Priority != "" && f.Sort != desk.SortCreated:
		return "priority" // tickets_priority_updated serves both the updated and the priority order
	}
	return ""
}

// servingIndex is the table in plans.md: the index a page walks, by its leading filter and sort.
var servingIndex = map[string]map[desk.Sort]string{
	"customer": {desk.SortUpdated: "tickets_customer_updated", desk.SortCreated: "tickets_customer_updated", desk.SortPriority: "tickets_customer_updated"},
	"status":   {desk.SortUpdated: "tickets_status_updated", desk.SortCreated: "tickets_status_created", desk.SortPriority: "tickets_status_priority"},
	"assignee+open": {desk.SortUpdated: "tickets_assignee_updated", desk.SortCreated: "tickets_assignee_created",
		desk.SortPriority: "tickets_assignee_priority"},
	"assignee": {desk.SortUpdated: "tickets_assignee_all_updated", desk.SortCreated: "tickets_assignee_all_created",
		desk.SortPriority: "tickets_assignee_all_priority"},
	"is_open":  {desk.SortUpdated: "tickets_open_updated", desk.SortCreated: "tickets_open_created", desk.SortPriority: "tickets_open_priority"},
	"priority": {desk.SortUpdated: "tickets_priority_updated", desk.SortPriority: "tickets_priority_updated"},
	"":         {desk.SortUpdated: "tickets_updated", desk.SortCreated: "tickets_created", desk.SortPriority: "tickets_priority_updated"},
}

// wantIndex is the index a walk of the view takes.
func wantIndex(f viewFilter) string {
	lead := leadColumn(f)
	if lead == "assignee" && (f.View == desk.ViewMine || f.View == desk.ViewUnassigned || f.View == desk.ViewOpen) {
		lead = "assignee+open"
	}
	if priorityIndexed(f) {
		return servingIndex[lead][desk.SortPriority]
	}
	return servingIndex[lead][f.Sort]
}

// priorityIndexed reports whether a priority filter is one more equality of the walk: the lead's
// priority index has priority_rank right after the lead's columns, so with one priority it is in
// the updated order too, and the walk reads only that priority's tickets.
func priorityIndexed(f viewFilter) bool {
	switch leadColumn(f) {
	case "status", "assignee", "is_open":
		return f.Priority != "" && f.Sort != desk.SortCreated
	}
	return false
}

// walkedTickets names the tickets table for a walk, pinned to the index the table above gives, so
// the planner's guess cannot trade the walk for a sort (with statistics it skip-scanned an
// assignee index and sorted the window). A rare tag and #numbers start from their own few rows instead.
func walkedTickets(d dialect, f viewFilter) string {
	if (f.Tag != "" && !f.tagCommon) || len(f.numbers) > 0 {
		return "tickets t"
	}
	return d.indexedBy("tickets t", wantIndex(f))
}

// walkedJoins is ticketJoins for a walk.
func walkedJoins(d dialect, f viewFilter) string {
	return walkedTickets(d, f) + " JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id"
}
