package desk

import (
	"math"
	"time"
)

// Verdict is a lead's judgement of one finding.
type Verdict string

const (
	VerdictConfirmed     Verdict = "confirmed"      // the rule was right
	VerdictFalsePositive Verdict = "false_positive" // the rule was wrong
	VerdictException     Verdict = "exception"      // right in general, a legitimate exception here
	VerdictUnsure        Verdict = "unsure"
)

// Verdicts in the order the review page offers them (keys 1–4).
var Verdicts = []Verdict{VerdictConfirmed, VerdictFalsePositive, VerdictException, VerdictUnsure}

func (v Verdict) Valid() bool {
	for _, k := range Verdicts {
		if v == k {
			return true
		}
	}
	return false
}

// Dispute states: an agent disputes a confirmed finding; a lead upholds (the rule was wrong) or rejects it.
const (
	DisputeOpen     = "open"
	DisputeUpheld   = "upheld"
	DisputeRejected = "rejected"
)

// Review limits.
const (
	MaxReviewCount    = 10000 // queue counts stop here: the page says "10000+"
	ReviewPageSize    = 50    // replies per queue page unless a caller asks for another number
	MaxComment        = 4000
	MaxDisputeReason  = 1000
	DefaultSampleRate = 10 // per cent of replies without findings that join the queue, until an admin sets another (ReviewSettings)
	// DisputeWorkingDays is how long an agent has to dispute a confirmed finding, until an admin sets another.
	DisputeWorkingDays = 2
)

// ReviewFilter selects the review queue. Zero fields do not filter; [From, To) is half-open.
type ReviewFilter struct {
	AgentID    int64
	Rule       string
	Lang       string
	Severity   string
	From, To   time.Time
	Overridden bool   // sent despite an error
	NotHelpful bool   // with a finding the agent marked not helpful
	Disputed   bool   // with a dispute, open or decided
	Reviewed   string // "yes", "no" or "" for both
	SampleRate int    // share of replies without findings that join the queue, per cent; SampleConfigured for the settings' share
	Before     int64  // keyset: only replies with a smaller message id
	Limit      int
}

// QueueItem is one reply in the review queue.
type QueueItem struct {
	MessageID    int64     `json:"message_id"`
	TicketID     int64     `json:"ticket_id"`
	TicketNumber int64     `json:"ticket_number"`
	Subject      string    `json:"subject"`
	AgentID      int64     `json:"agent_id"`
	AgentName    string    `json:"agent_name"`
	Lang         string    `json:"lang"`
	Score        int       `json:"score"`
	Findings     int       `json:"findings"`
	Errors       int       `json:"errors"`
	Overridden   bool      `json:"overridden"`
	Reviewed     bool      `json:"reviewed"`
	Sampled      bool      `json:"sampled"` // from the random share without findings
	CreatedAt    time.Time `json:"created_at"`
}

// ReviewFinding is a stored finding with what the review made of it.
type ReviewFinding struct {
	CoachFinding
	Verdict   Verdict // "" before a verdict
	VerdictBy string
	Dispute   *Dispute
}

// Dispute is an agent's objection to a confirmed finding.
type Dispute struct {
	FindingID  int64
	MessageID  int64
	AgentID    int64
	Reason     string
	Status     string
	CreatedAt  time.Time
	ResolvedBy string
	ResolvedAt time.Time
}

// MissedFinding is a finding a lead added where the coach said nothing.
type MissedFinding struct {
	ID         int64
	MessageID  int64
	Rule       string
	Start, End int
	Text       string
	By         string
	CreatedAt  time.Time
}

// Comment is a lead's coaching note to the agent on one reply.
type Comment struct {
	ID           int64
	MessageID    int64
	TicketNumber int64
	AgentID      int64
	Author       string
	Body         string
	Quote        string
	CreatedAt    time.Time
	ReadAt       time.Time
	Answer       string
	AnsweredAt   time.Time
}

// ReviewLogEntry is one recorded review action.
type ReviewLogEntry struct {
	Actor     string
	Action    string
	Detail    string
	CreatedAt time.Time
}

// Review is everything a lead sees about one sent reply.
type Review struct {
	Item       QueueItem
	Reply      Message
	Answered   *Message // the customer message the reply answered, if any
	Coaching   Coaching
	Findings   []ReviewFinding
	Missed     []MissedFinding
	Comments   []Comment
	Log        []ReviewLogEntry
	ReviewedBy string
	ReviewedAt time.Time
}

// Precision is the measured precision of one rule in one language and pack version.
type Precision struct {
	Rule          string `json:"rule"`
	Lang          string `json:"lang"`
	PackVersion   string `json:"pack_version"`
	Confirmed     int    `json:"confirmed"`      // confirmed verdicts, less upheld disputes
	FalsePositive int    `json:"false_positive"` // false-positive verdicts and upheld disputes
	Exceptions    int    `json:"exceptions"`
	Unsure        int    `json:"unsure"`
	Missed        int    `json:"missed"`  // findings leads added on the random share
	Sampled       int    `json:"sampled"` // reviewed replies of the random share in this language
}

// MinVerdicts is how many verdicts a precision needs before it is shown.
const MinVerdicts = 30

// Verdicts counts the verdicts that decide precision.
func (p Precision) Verdicts() int { return p.Confirmed + p.FalsePositive }

// Value is confirmed ÷ (confirmed + false positives); 0 with no verdicts.
func (p Precision) Value() float64 {
	if p.Verdicts() == 0 {
		return 0
	}
	return float64(p.Confirmed) / float64(p.Verdicts())
}

// Lower is the 95 % Wilson lower bound of the precision.
func (p Precision) Lower() float64 { return WilsonLower(p.Confirmed, p.Verdicts()) }

// Shown reports whether there are enough verdicts to show the figure.
func (p Precision) Shown() bool { return p.Verdicts() >= MinVerdicts }

// WilsonLower is the lower bound of the 95 % Wilson score interval for k successes in n trials.
func WilsonLower(k, n int) float64 {
	if n == 0 {
		return 0
	}
	const z = 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	centre := p + z*z/(2*nf)
	margin := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return (centre - margin) / (1 + z*z/nf)
}

// GateSettings decide when an error-level rule may block sending.
type GateSettings struct {
	MinLower    float64 // the rule's Wilson lower bound must stay at least this
	MinVerdicts int     // once it has at least this many verdicts
}

// DefaultGate is the default: 0.90 over 50 verdicts, until an admin sets others (ReviewSettings).
var DefaultGate = GateSettings{MinLower: 0.90, MinVerdicts: 50}

// Blocks reports whether a rule with this measured precision may still block sending: while it
// has too few verdicts to judge, or while its lower bound holds.
func (g GateSettings) Blocks(p Precision) bool {
	return p.Verdicts() < g.MinVerdicts || p.Lower() >= g.MinLower
}

// DisputableFinding is a confirmed finding on an agent's own reply, with its dispute if there is one.
type DisputableFinding struct {
	FindingID    int64
	MessageID    int64
	TicketNumber int64
	Rule         string
	Text         string
	ConfirmedAt  time.Time
	Deadline     time.Time
	Dispute      string // "", or the dispute's status
}

// Open reports whether the finding can still be disputed at now.
func (d DisputableFinding) Open(now time.Time) bool { return d.Dispute == "" && !now.After(d.Deadline) }

// Dismissal is a word or phrase that leads often dismissed for one rule.
type Dismissal struct {
	Rule   string
	Lang   string
	Phrase string
	N      int
}

// AddWorkingDays moves t forward n weekdays: the dispute deadline.
func AddWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// DashboardQuery picks the period (half-open, UTC) and optionally one agent.
type DashboardQuery struct {
	AgentID int64     `json:"agent_id"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
}

// CoachingFigures are one agent's (or the team's) coaching over a period or one week of it.
type CoachingFigures struct {
	Replies     int            `json:"replies"`
	AvgScore    float64        `json:"avg_score"`
	Findings    int            `json:"findings"`     // findings on sent replies
	ByRule      map[string]int `json:"by_rule"`      // findings per rule
	Fixed       int            `json:"fixed"`        // findings shown while drafting that were gone when the reply went out
	Overridden  int            `json:"overridden"`   // sent despite an error
	WithWarning int            `json:"with_warning"` // sent with at least one warning
}

// Per100 is n per hundred sent replies.
func (f CoachingFigures) Per100(n int) float64 {
	if f.Replies == 0 {
		return 0
	}
	return float64(n) * 100 / float64(f.Replies)
}

// Share is n as a part of the sent replies (0–1).
func (f CoachingFigures) Share(n int) float64 {
	if f.Replies == 0 {
		return 0
	}
	return float64(n) / float64(f.Replies)
}

// ServiceFigures are what the guidance says decides the customer's experience, over a period.
type ServiceFigures struct {
	FirstResponses   int           `json:"first_responses"`
	FirstResponseP50 time.Duration `json:"first_response_p50_ns"`
	FirstResponseP90 time.Duration `json:"first_response_p90_ns"`
	Solved           int           `json:"solved"`        // tickets solved in the period
	FirstContact     int           `json:"first_contact"` // of those: solved after one agent reply, not reopened within 7 days
	Reopened         int           `json:"reopened"`      // of those: reopened after being solved
	Tickets          int           `json:"tickets"`       // tickets created in the period
	Handoffs         int           `json:"handoffs"`      // of those: passed through more than one assignee
}

// Rate is part of whole (0–1), 0 when whole is 0.
func Rate(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// Week is one week's coaching figures in a trend.
type Week struct {
	Start time.Time `json:"start"` // Monday
	CoachingFigures
}

// Dashboard is a period's figures for the team and each agent, with weekly trends.
type Dashboard struct {
	Query   DashboardQuery  `json:"query"`
	Team    CoachingFigures `json:"team"`
	Service ServiceFigures  `json:"service"`
	Weeks   []Week          `json:"weeks"`
	Agents  []AgentFigures  `json:"agents"`
}

// AgentFigures is one agent's row of the dashboard.
type AgentFigures struct {
	AgentID int64  `json:"agent_id"`
	Name    string `json:"name"`
	CoachingFigures
	Service ServiceFigures `json:"service"`
}
