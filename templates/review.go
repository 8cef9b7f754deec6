package templates

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"time"

	"coachdesk/internal/desk"
)

// ReviewQueuePage is the lead's list of sent replies worth a look.
type ReviewQueuePage struct {
	Page
	Filter desk.ReviewFilter
	Items  []desk.QueueItem
	Total  int
	Counts map[string]int // replies per quick filter (overridden, not_helpful, disputed, unreviewed), within the other filters
	Agents []desk.User
	Rules  []string
	Next   string // the next page's link, or ""
	Share  int    // the random share the review settings give when the lead picked none
}

// ReviewPage is one sent reply under review.
type ReviewPage struct {
	Page
	Review desk.Review
	Rules  []string
	Errors FieldErrors
	Form   CommentForm
	Notice string
}

// CommentForm is what the lead typed into the review's two forms, kept when one is refused.
type CommentForm struct {
	Comment string
	Quote   string
	Rule    string // the missed-finding form's rule and passage
	Passage string
}

// PrecisionPage is how right each rule has been, by the leads' verdicts.
type PrecisionPage struct {
	Page
	Rows       []PrecisionRow
	Dismissals []desk.Dismissal
	Gate       desk.GateSettings   // the send gate's thresholds in force
	Settings   desk.ReviewSettings // as stored, with who changed them last
	Form       ReviewSettingsForm
	CanEdit    bool // an admin: the settings are a form, for leads a list
	Notice     string
}

// ReviewSettingsForm is what the admin typed into the settings form, kept when it is refused.
type ReviewSettingsForm struct {
	MinLower    string
	MinVerdicts string
	SampleShare string
	DisputeDays string
	Errors      FieldErrors
}

// SettingsForm fills the form with stored settings.
func SettingsForm(rs desk.ReviewSettings) ReviewSettingsForm {
	return ReviewSettingsForm{MinLower: strconv.FormatFloat(rs.MinLower, 'f', -1, 64), MinVerdicts: strconv.Itoa(rs.MinVerdicts),
		SampleShare: strconv.Itoa(rs.SampleShare), DisputeDays: strconv.Itoa(rs.DisputeDays)}
}

// PrecisionRow is one rule × language × pack version, with whether it may block sending.
type PrecisionRow struct {
	desk.Precision
	ErrorLevel bool // an error-level rule, which the send gate applies
	Blocks     bool // still blocks sending (proven, or too few verdicts to judge)
}

// MyCoachingPage is what one agent sees of their own coaching.
type MyCoachingPage struct {
	Page
	Comments    []desk.Comment
	Disputable  []desk.DisputableFinding
	Disputes    []desk.Dispute
	Errors      map[int64]string // a message beside the finding or comment it is about
	Notice      string
	Trends      desk.Dashboard // the agent's own figures over the last 90 days
	DisputeDays int            // working days to dispute, from the review settings
}

// QueueQuery renders a review filter back into the queue's query string.
func QueueQuery(f desk.ReviewFilter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.AgentID != 0 {
		q.Set("agent", itoa(f.AgentID))
	}
	set("rule", f.Rule)
	set("lang", f.Lang)
	set("severity", f.Severity)
	set("reviewed", f.Reviewed)
	if f.SampleRate != desk.SampleConfigured { // a share the lead picked; else the settings' share
		q.Set("share", strconv.Itoa(f.SampleRate))
	}
	if !f.From.IsZero() {
		q.Set("from", f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		q.Set("to", f.To.AddDate(0, 0, -1).Format("2006-01-02"))
	}
	for k, on := range map[string]bool{"overridden": f.Overridden, "not_helpful": f.NotHelpful, "disputed": f.Disputed} {
		if on {
			q.Set(k, "1")
		}
	}
	return q
}

// toggled is the queue link that switches one quick filter on or off.
func toggled(f desk.ReviewFilter, key string) string {
	q := QueueQuery(f)
	if q.Get(key) != "" {
		q.Del(key)
	} else {
		q.Set(key, "1")
	}
	if key == "unreviewed" {
		q.Del("unreviewed")
		if f.Reviewed == "no" {
			q.Del("reviewed")
		} else {
			q.Set("reviewed", "no")
		}
	}
	return "/coaching?" + q.Encode()
}

// Segment is a run of a reply's text, marked when a finding covers it.
type Segment struct {
	Text      string
	FindingID int64
	Rule      string
	Severity  string
	Missed    bool
}

// segments cuts body at the findings' spans; an overlapping finding keeps the mark of the first.
func segments(body string, findings []desk.ReviewFinding, missed []desk.MissedFinding) []Segment {
	type span struct {
		start, end int
		seg        Segment
	}
	var spans []span
	for _, f := range findings {
		spans = append(spans, span{f.Start, f.End, Segment{FindingID: f.ID, Rule: f.Rule, Severity: f.Severity}})
	}
	for _, m := range missed {
		spans = append(spans, span{m.Start, m.End, Segment{Rule: m.Rule, Missed: true}})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []Segment
	at := 0
	for _, s := range spans {
		if s.start < at || s.end > len(body) || s.start >= s.end {
			continue
		}
		if s.start > at {
			out = append(out, Segment{Text: body[at:s.start]})
		}
		s.seg.Text = body[s.start:s.end]
		out = append(out, s.seg)
		at = s.end
	}
	return append(out, Segment{Text: body[at:]})
}

func percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + " %" }

func ratio(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func findingAnchor(id int64) string { return "finding-" + itoa(id) }

// quickOn reports whether a quick filter of the queue is on.
func quickOn(f desk.ReviewFilter, key string) bool {
	if key == "unreviewed" {
		return f.Reviewed == "no"
	}
	return QueueQuery(f).Get(key) != ""
}

// dateValue is a date input's value; shift moves an exclusive end back to the day shown.
func dateValue(at time.Time, shift int) string {
	if at.IsZero() {
		return ""
	}
	return at.AddDate(0, 0, shift).Format("2006-01-02")
}

func packVersion(v string) string {
	if v == "" {
		return "–"
	}
	return v
}

// queueCount shows a capped count as "10000+".
func queueCount(n int) string {
	if n > desk.MaxReviewCount {
		return strconv.Itoa(desk.MaxReviewCount) + "+"
	}
	return strconv.Itoa(n)
}

// shareOptions are the random shares the queue offers, with the configured and the current one among them.
func shareOptions(p ReviewQueuePage) []int {
	opts := []int{0, 5, 10, 20, 50}
	for _, n := range []int{p.Share, p.Filter.SampleRate} {
		if n >= 0 && n <= 100 && !slices.Contains(opts, n) {
			opts = append(opts, n)
		}
	}
	slices.Sort(opts)
	return opts
}

// shareSelected reports whether share n is the one the queue shows.
func shareSelected(p ReviewQueuePage, n int) bool {
	if p.Filter.SampleRate == desk.SampleConfigured {
		return n == p.Share
	}
	return n == p.Filter.SampleRate
}
