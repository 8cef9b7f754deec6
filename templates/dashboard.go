package templates

import (
	"context"
	"strconv"
	"time"

	"coachdesk/internal/desk"
)

// DashboardPage is the team's coaching and service figures over a period.
type DashboardPage struct {
	Page
	Dash   desk.Dashboard
	Agents []desk.User
	Rules  []string
}

// trendCharts draws the weekly trend of each coaching figure.
func trendCharts(ctx context.Context, weeks []desk.Week) []Chart {
	charts := []Chart{
		{ID: "chart-score", Title: t(ctx, "dash.avg_score"), Better: "up"},
		{ID: "chart-findings", Title: t(ctx, "dash.findings_per_100"), Better: "down"},
		{ID: "chart-fixed", Title: t(ctx, "dash.fixed_per_100"), Better: "up"},
		{ID: "chart-overridden", Title: t(ctx, "dash.overridden_share"), Unit: " %", Better: "down"},
	}
	for _, w := range weeks {
		label := w.Start.Format("02.01")
		values := []float64{w.AvgScore, w.Per100(w.Findings), w.Per100(w.Fixed), 100 * w.Share(w.Overridden)}
		for i := range charts {
			charts[i].Points = append(charts[i].Points, ChartPoint{Label: label, Value: values[i]})
		}
	}
	return charts
}

func one(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func share(part, whole int) string { return percent(desk.Rate(part, whole)) }

// hours says a duration in hours and minutes, or "–" when there is none.
func hours(ctx context.Context, d time.Duration) string {
	if d <= 0 {
		return "–"
	}
	return tf(ctx, "dash.hours", map[string]any{"H": int(d.Hours()), "M": int(d.Minutes()) % 60})
}

// dashQuery is the dashboard's period and agent as a query string.
func dashQuery(q desk.DashboardQuery) string {
	v := "from=" + dateValue(q.From, 0) + "&to=" + dateValue(q.To, -1)
	if q.AgentID != 0 {
		v += "&agent=" + itoa(q.AgentID)
	}
	return v
}
