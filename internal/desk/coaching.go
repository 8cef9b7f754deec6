package desk

import "time"

// Coaching is what the coach said about a sent reply, kept for team leads to review.
type Coaching struct {
	MessageID      int64
	TicketID       int64
	AgentID        int64
	Lang           string
	PackVersion    string
	Score          int
	Overridden     bool   // sent with an error-level finding through "Send anyway"
	OverrideReason string // the agent's reason; required when Overridden
	Findings       []CoachFinding
	CreatedAt      time.Time
}

// CoachFinding is one stored finding: the span is in bytes of the reply as sent.
type CoachFinding struct {
	ID               int64
	Rule             string
	Severity         string // error, warning or suggestion
	Start, End       int
	Text             string
	NotHelpful       bool   // the agent marked it "not helpful here"
	NotHelpfulReason string // optional
	MatchPattern     string // why it fired: the pack pattern and list entry the coach reported
	MatchEntry       string
}

// Errors counts the error-level findings; one or more closes the send gate.
func (c *Coaching) Errors() int {
	n := 0
	for _, f := range c.Findings {
		if f.Severity == "error" {
			n++
		}
	}
	return n
}

// Draft is the composer's unsent text for one ticket and agent; Rev orders saves from any device.
type Draft struct {
	TicketID  int64
	UserID    int64
	Kind      MessageKind
	Lang      string
	Body      string
	Rev       int64 // chosen by the client, increasing; a save with a lower Rev than the stored one is ignored
	UpdatedAt time.Time
	// Seen is the most findings per rule the coach showed on this draft at any save: what the
	// reply that goes out no longer has was fixed before sending.
	Seen map[string]int
}

// MaxDraftRev bounds a draft's revision: the page counts in JavaScript numbers, exact up to 2^53.
const MaxDraftRev = 1<<53 - 1

// MaxOverrideReason caps the reason given for sending past an error.
const MaxOverrideReason = 500

// CoachingQuery selects stored coaching for a team lead. Zero fields do not filter; [From, To) is half-open.
type CoachingQuery struct {
	AgentID  int64
	Rule     string
	From, To time.Time
	Limit    int // replies to list: 50 by default, at most 200
}

// RuleCount is how often a rule fired in a range, and how often agents marked it not helpful.
type RuleCount struct {
	Rule       string
	Findings   int
	NotHelpful int
}

// AgentCount sums one agent's coached replies in a range.
type AgentCount struct {
	AgentID    int64
	Name       string
	Replies    int
	Overridden int
	AvgScore   float64
}
