package web

import (
	"encoding/csv"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

// defaultPeriod is what the dashboard shows before a lead picks dates.
const defaultPeriod = 90 * 24 * time.Hour

// dashboardQuery reads agent, from and to (inclusive days); without dates, the last 90 days.
func dashboardQuery(c echo.Context) desk.DashboardQuery {
	q := desk.DashboardQuery{}
	q.AgentID, _ = strconv.ParseInt(c.QueryParam("agent"), 10, 64)
	today := time.Now().UTC().Truncate(24 * time.Hour)
	q.To = today.AddDate(0, 0, 1)
	if d, err := time.Parse("2006-01-02", c.QueryParam("to")); err == nil {
		q.To = d.AddDate(0, 0, 1)
	}
	q.From = q.To.Add(-defaultPeriod)
	if d, err := time.Parse("2006-01-02", c.QueryParam("from")); err == nil && d.Before(q.To) {
		q.From = d
	}
	return q
}

func (s *Server) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "dash.title"), "")
	if err != nil {
		return err
	}
	p := templates.DashboardPage{Page: page}
	if p.Dash, err = s.store.Dashboard(ctx, dashboardQuery(c)); err != nil {
		return err
	}
	p.Rules = withRetired(s.desk.Coach().RuleIDs(), p.Dash.Team.ByRule)
	if p.Agents, err = s.store.Agents(ctx); err != nil {
		return err
	}
	return render(c, http.StatusOK, templates.Dashboard(p))
}

// exportDashboard is the dashboard's per-agent figures as CSV, one row per agent and one for the team.
func (s *Server) exportDashboard(c echo.Context) error {
	d, err := s.store.Dashboard(c.Request().Context(), dashboardQuery(c))
	if err != nil {
		return err
	}
	rows := [][]string{{"agent_id", "agent", "replies", "avg_score", "findings", "fixed", "overridden", "with_warning",
		"first_responses", "first_response_p50_s", "first_response_p90_s", "solved", "first_contact", "reopened", "tickets", "handoffs"}}
	line := func(id int64, name string, f desk.CoachingFigures, sv desk.ServiceFigures) []string {
		return []string{itoa(id), name, strconv.Itoa(f.Replies), strconv.FormatFloat(f.AvgScore, 'f', 2, 64), strconv.Itoa(f.Findings),
			strconv.Itoa(f.Fixed), strconv.Itoa(f.Overridden), strconv.Itoa(f.WithWarning), strconv.Itoa(sv.FirstResponses),
			strconv.Itoa(int(sv.FirstResponseP50.Seconds())), strconv.Itoa(int(sv.FirstResponseP90.Seconds())), strconv.Itoa(sv.Solved),
			strconv.Itoa(sv.FirstContact), strconv.Itoa(sv.Reopened), strconv.Itoa(sv.Tickets), strconv.Itoa(sv.Handoffs)}
	}
	rows = append(rows, line(0, "team", d.Team, d.Service))
	for _, a := range d.Agents {
		rows = append(rows, line(a.AgentID, a.Name, a.CoachingFigures, a.Service))
	}
	return writeCSV(c, "dashboard.csv", rows)
}

// exportQueue is the review queue under the same filters as CSV (up to 200 rows per page, with before= to go on).
func (s *Server) exportQueue(c echo.Context) error {
	f := reviewFilter(c)
	f.Limit = 200
	items, err := s.store.ReviewQueue(c.Request().Context(), f)
	if err != nil {
		return err
	}
	rows := [][]string{{"message_id", "ticket", "agent", "lang", "sent_at", "score", "findings", "errors", "overridden", "reviewed", "sampled"}}
	for _, it := range items {
		rows = append(rows, []string{itoa(it.MessageID), itoa(it.TicketNumber), it.AgentName, it.Lang, it.CreatedAt.UTC().Format(time.RFC3339),
			strconv.Itoa(it.Score), strconv.Itoa(it.Findings), strconv.Itoa(it.Errors), strconv.FormatBool(it.Overridden),
			strconv.FormatBool(it.Reviewed), strconv.FormatBool(it.Sampled)})
	}
	return writeCSV(c, "queue.csv", rows)
}

// exportPrecision is the measured precision per rule, language and pack version as CSV.
func (s *Server) exportPrecision(c echo.Context) error {
	ps, err := s.store.Precision(c.Request().Context())
	if err != nil {
		return err
	}
	rows := [][]string{{"rule", "lang", "pack_version", "confirmed", "false_positive", "exceptions", "unsure", "precision", "wilson_lower", "missed", "sampled"}}
	for _, p := range ps {
		rows = append(rows, []string{p.Rule, p.Lang, p.PackVersion, strconv.Itoa(p.Confirmed), strconv.Itoa(p.FalsePositive),
			strconv.Itoa(p.Exceptions), strconv.Itoa(p.Unsure), strconv.FormatFloat(p.Value(), 'f', 4, 64),
			strconv.FormatFloat(p.Lower(), 'f', 4, 64), strconv.Itoa(p.Missed), strconv.Itoa(p.Sampled)})
	}
	return writeCSV(c, "precision.csv", rows)
}

func writeCSV(c echo.Context, name string, rows [][]string) error {
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	out := csv.NewWriter(w)
	if err := out.WriteAll(rows); err != nil {
		return err
	}
	out.Flush()
	return out.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The same figures as JSON, for a lead's own reports (a lead's or admin's token).

func (s *Server) apiDashboard(c echo.Context) error {
	d, err := s.store.Dashboard(c.Request().Context(), dashboardQuery(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (s *Server) apiQueue(c echo.Context) error {
	items, err := s.store.ReviewQueue(c.Request().Context(), reviewFilter(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"replies": items})
}

func (s *Server) apiPrecision(c echo.Context) error {
	ps, err := s.store.Precision(c.Request().Context())
	if err != nil {
		return err
	}
	type row struct {
		desk.Precision
		Measured    float64 `json:"precision"`
		WilsonLower float64 `json:"wilson_lower"`
		Shown       bool    `json:"shown"`
	}
	out := make([]row, len(ps))
	for i, p := range ps {
		out[i] = row{Precision: p, Measured: p.Value(), WilsonLower: p.Lower(), Shown: p.Shown()}
	}
	return c.JSON(http.StatusOK, map[string]any{"rules": out})
}

// withRetired is rules followed by the other rules that have counts, sorted: a custom rule an admin
// has since removed still shows the findings it made.
func withRetired(rules []string, counts map[string]int) []string {
	var gone []string
	for r := range counts {
		if !slices.Contains(rules, r) {
			gone = append(gone, r)
		}
	}
	slices.Sort(gone)
	return append(rules, gone...)
}
