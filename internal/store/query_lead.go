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
