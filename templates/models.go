// Package templates holds the typed views. Handlers fill these view models; views never load data.
package templates

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/search"
)

// Page is what every signed-in page's layout needs.
type Page struct {
	Title  string
	User   desk.User
	CSRF   string
	Counts desk.Counts
	View   desk.View // the inbox view to highlight in the navigation
	Query  string
}

// FieldErrors maps a form field name to the message shown beside it.
type FieldErrors map[string]string

type InboxPage struct {
	Page
	Filter   desk.Filter
	Tickets  []desk.Ticket
	Next     string
	Agents   []desk.User
	Tags     []string
	Error    string
	Snippets map[int64][]search.Segment // a search's best matching passage per ticket id, matches marked
	LiveSeq  uint64                     // the inbox events' number when the list was read (live.Service.DeskSeq)
}

// navViews are the views the navigation lists, each with its count.
var navViews = []desk.View{desk.ViewMine, desk.ViewUnassigned, desk.ViewOpen, desk.ViewPending, desk.ViewSolved, desk.ViewAll}

// inboxSorts are the orders the inbox offers; a search can also be ordered by relevance.
func inboxSorts(f desk.Filter) []desk.Sort {
	sorts := []desk.Sort{desk.SortUpdated, desk.SortCreated, desk.SortPriority}
	if f.Query != "" {
		sorts = append(sorts, sortRelevance)
	}
	return sorts
}

const sortRelevance = desk.SortRelevance

type TicketPage struct {
	Page
	Ticket        desk.Ticket
	Thread        []desk.Message
	Events        []desk.Event
	Agents        []desk.User
	Others        []desk.Ticket // the customer's other tickets
	SavedReplies  []desk.SavedReply
	Composer      Composer
	PropertiesErr string
	OOB           bool // render the sidebar for an out-of-band htmx swap
	Mail          TicketMail
}

// Composer keeps what the agent typed when a send fails, so nothing is lost.
type Composer struct {
	Kind          desk.MessageKind
	Body          string
	Status        desk.Status
	Lang          string // the coach's language: the ticket's, or the agent's choice (da, nb, sv, en, auto)
	NoAcknowledge bool   // the customer has not written since the last reply: nothing to acknowledge
	DraftRev      int64  // revision of the restored draft; the page counts on from it
	SeenID        int64  // newest message on the page, for the server's collision check
	Marks         string // the "not helpful here" marks as JSON, kept across a refused send
	Gate          *Gate  // the server refused a reply with error-level findings and no reason
	Reason        string // the reason given for sending past an error, kept across any refusal
	Collision     string // who wrote while the agent was writing; set when the server refused for that
	Errors        FieldErrors
}

// Gate lists the errors that stopped a reply; the agent fixes them or gives a reason.
type Gate struct {
	Findings []coach.Finding
}

// CoachField is a textarea the coach reads as it is written: the composer's body, a saved reply's body.
type CoachField struct {
	Name          string
	Value         string
	Label         string
	Placeholder   string
	Rows          int
	Lang          string // da, nb, sv, en or auto
	NoAcknowledge bool
	Invalid       bool
	DescribedBy   string
	Skip          []string // rules that do not apply here, e.g. FragmentRules for a piece of a reply
}

// FragmentRules do not apply to a saved reply (the coach's list, named here for the editor's markup).
var FragmentRules = coach.FragmentRules

type NewTicketForm struct {
	Subject       string
	Body          string
	CustomerName  string
	CustomerEmail string
	Priority      desk.Priority
	Tags          string
	AssigneeID    int64
	Errors        FieldErrors
}

type NewTicketPage struct {
	Page
	Form   NewTicketForm
	Agents []desk.User
}

type SupportForm struct {
	Name    string
	Email   string
	Subject string
	Message string
	Errors  FieldErrors
}

type SignInForm struct {
	Email string
	Error string
	Next  string
	CSRF  string
}

type SavedRepliesPage struct {
	Page
	Replies []desk.SavedReply
	Coached map[int64]coach.Result // what the coach says about each saved reply
	Form    SavedReplyForm
	CanEdit bool
}

type SavedReplyForm struct {
	ID     int64
	Title  string
	Body   string
	Errors FieldErrors
}

// t translates a message id in the request's language.
func t(ctx context.Context, id string) string { return i18n.T(ctx, id) }

// RuleName is a built-in rule's name in the reader's language, a custom rule's id (admins name it).
func RuleName(ctx context.Context, id string) string {
	if coach.IsBuiltin(id) {
		return t(ctx, "coach.rule."+id)
	}
	return id
}

func tf(ctx context.Context, id string, data map[string]any) string { return i18n.T(ctx, id, data) }

// tn translates a message that shows a count, in the plural form the count takes.
func tn(ctx context.Context, id string, n int) string { return i18n.TN(ctx, id, n) }

func locale(ctx context.Context) string { return i18n.Locale(ctx) }

func number(n int64) string { return desk.FormatNumber(n) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ago says how long ago t was, briefly, the way an inbox does.
func ago(ctx context.Context, at time.Time) string {
	d := time.Since(at)
	switch {
	case d < time.Minute:
		return t(ctx, "time.now")
	case d < time.Hour:
		return agoIn(ctx, "time.minutes", int(d.Minutes()))
	case d < 24*time.Hour:
		return agoIn(ctx, "time.hours", int(d.Hours()))
	case d < 30*24*time.Hour:
		return agoIn(ctx, "time.days", int(d.Hours()/24))
	}
	return at.Format("2006-01-02")
}

// agoIn is one of ago's messages for n (under 60), translated once per language: an inbox page
// shows one per row.
func agoIn(ctx context.Context, id string, n int) string {
	return i18n.Memo(ctx, id+"\x00"+strconv.Itoa(n), func() string { return tf(ctx, id, map[string]any{"N": n}) })
}

func stamp(at time.Time) string { return at.Local().Format("2006-01-02 15:04") }

func initials(name string) string {
	var out []rune
	start := true
	for _, r := range name {
		if r == ' ' {
			start = true
			continue
		}
		if start && len(out) < 2 {
			out = append(out, r)
		}
		start = false
	}
	return string(out)
}

func count(c desk.Counts, v desk.View) string {
	if c == nil {
		return ""
	}
	return fmt.Sprint(c[v])
}

func csrfHeader(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token})
	return string(b)
}

// FilterQuery renders a filter back into the inbox's query string.
func FilterQuery(f desk.Filter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("view", string(f.View))
	set("status", string(f.Status))
	set("priority", string(f.Priority))
	set("tag", f.Tag)
	set("q", f.Query)
	if f.Sort != desk.SortUpdated {
		set("sort", string(f.Sort))
	}
	if f.AssigneeID != 0 {
		q.Set("assignee", itoa(f.AssigneeID))
	}
	if f.CustomerID != 0 {
		q.Set("customer", itoa(f.CustomerID))
	}
	return q
}

func nextURL(f desk.Filter, next string) string {
	q := FilterQuery(f)
	q.Set("after", next)
	return "/inbox?" + q.Encode()
}

func joinTags(tags []string) string { return strings.Join(tags, ", ") }

// describeEvent turns an audit row into a sentence in the reader's language.
func describeEvent(ctx context.Context, e desk.Event) string {
	who := e.ActorName
	if who == "" {
		who = t(ctx, "audit.system")
	}
	value := func(v string) string {
		switch {
		case v == "":
			return t(ctx, "audit.empty")
		case e.Field == "status":
			return t(ctx, "status."+v)
		case e.Field == "priority":
			return t(ctx, "priority."+v)
		case e.Field == "language":
			return t(ctx, "coach.lang."+v)
		}
		return v
	}
	switch e.Field {
	case "created":
		return tf(ctx, "audit.created", map[string]any{"Who": who, "Channel": t(ctx, "channel."+e.NewValue)})
	case "first_response":
		return tf(ctx, "audit.first_response", map[string]any{"Who": who})
	case "via_token":
		return tf(ctx, "audit.via_token", map[string]any{"Who": who, "Token": e.NewValue})
	}
	return tf(ctx, "audit.changed", map[string]any{"Who": who, "Field": t(ctx, "field."+e.Field), "Old": value(e.OldValue), "New": value(e.NewValue)})
}

// hue picks one of eight avatar colours from a name, so a person keeps their colour everywhere.
func hue(name string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return "hue-" + strconv.Itoa(int(h%8))
}

func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// isoTime is the machine-readable form for <time datetime>.
func isoTime(at time.Time) string { return at.Format(time.RFC3339) }

// viewCount is the number shown for the current view, or "" when the counts are unknown.
func viewCount(c desk.Counts, v desk.View) int64 {
	if c == nil {
		return -1
	}
	return c[v]
}

// otherTickets are the customer's tickets besides the one on screen.
func otherTickets(all []desk.Ticket, current int64) []desk.Ticket {
	var out []desk.Ticket
	for _, o := range all {
		if o.ID != current {
			out = append(out, o)
		}
	}
	return out
}

// composerKind is the kind the composer opens with; anything but a note is a reply.
func composerKind(k desk.MessageKind) string {
	if k == desk.KindNote {
		return string(desk.KindNote)
	}
	return string(desk.KindReply)
}

func composerPlaceholder(ctx context.Context, k desk.MessageKind) string {
	if k == desk.KindNote {
		return t(ctx, "composer.note_placeholder")
	}
	return t(ctx, "composer.placeholder")
}

func composerSubmit(ctx context.Context, k desk.MessageKind) string {
	if k == desk.KindNote {
		return t(ctx, "composer.add_note")
	}
	return t(ctx, "composer.send")
}

func replyHint(ctx context.Context, c desk.Customer) string {
	return tf(ctx, "composer.reply_hint", map[string]any{"Name": c.Name, "Email": c.Email})
}

// thousands writes a count with a thin separator every three digits, without the ticket '#'.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// narrowed reports whether the list shows less than its whole view, so the view's count would mislead.
func narrowed(f desk.Filter) bool {
	return f.Query != "" || f.Status != "" || f.Priority != "" || f.Tag != "" || f.AssigneeID != 0 || f.CustomerID != 0
}

func customerLabel(c desk.Customer) string {
	if c.Organisation != "" {
		return c.Name + " · " + c.Organisation
	}
	return c.Name
}

// coachingSummary is the one line a sent reply's coaching folds into: score and counts by severity.
func coachingSummary(ctx context.Context, c *desk.Coaching) string {
	counts := map[string]int{}
	for _, f := range c.Findings {
		counts[f.Severity]++
	}
	return tf(ctx, "coaching.summary", map[string]any{"Score": c.Score,
		"Errors":      tn(ctx, "coaching.errors", counts["error"]),
		"Warnings":    tn(ctx, "coaching.warnings", counts["warning"]),
		"Suggestions": tn(ctx, "coaching.suggestions", counts["suggestion"])})
}

// scoreClass colours a coach score: good from 80, fair from 50.
func scoreClass(score int) string {
	switch {
	case score >= 80:
		return "score-good"
	case score >= 50:
		return "score-fair"
	}
	return "score-poor"
}

// notHelpfulNote says a finding was marked not helpful, with the agent's reason when there is one.
func notHelpfulNote(ctx context.Context, f desk.CoachFinding) string {
	if f.NotHelpfulReason == "" {
		return t(ctx, "coaching.not_helpful")
	}
	return t(ctx, "coaching.not_helpful") + ": " + f.NotHelpfulReason
}
