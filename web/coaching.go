package web

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"coachdesk/internal/coach"
	"coachdesk/internal/coaching"
	"coachdesk/internal/desk"
)

// notHelpfulMark is a finding the agent marked "not helpful here" in the composer, as the page saw it.
type notHelpfulMark struct {
	Rule   string `json:"rule"`
	Start  int    `json:"start"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// parseMarks reads the composer's marks; marks are feedback, so unreadable ones are dropped, not refused.
func parseMarks(raw string) []notHelpfulMark {
	var marks []notHelpfulMark
	if raw == "" || json.Unmarshal([]byte(raw), &marks) != nil {
		return nil
	}
	for i := range marks {
		marks[i].Reason = clip(strings.TrimSpace(marks[i].Reason), desk.MaxOverrideReason)
	}
	return marks
}

// coachReply lints a reply as it will be stored and records the result with the agent's marks and reason.
// The page linted the text as typed; the server's text may be trimmed, so marks match by rule and text,
// the nearest start winning.
func (s *Server) coachReply(body, lang string, noAcknowledge bool, marks []notHelpfulMark, reason string) (*desk.Coaching, []coach.Finding) {
	res := s.coach.Lint(body, coach.Options{Lang: lang, NoAcknowledge: noAcknowledge})
	rec := coaching.Record(res)
	var errs []coach.Finding
	for i, f := range res.Findings {
		if m := nearestMark(marks, f); m >= 0 {
			rec.Findings[i].NotHelpful, rec.Findings[i].NotHelpfulReason = true, marks[m].Reason
			marks = append(marks[:m], marks[m+1:]...)
		}
		if f.Severity == coach.SevError {
			errs = append(errs, f)
		}
	}
	if len(errs) > 0 && reason != "" {
		rec.Overridden, rec.OverrideReason = true, reason
	}
	return rec, errs
}

func nearestMark(marks []notHelpfulMark, f coach.Finding) int {
	best := -1
	for i, m := range marks {
		if m.Rule != f.Rule || m.Text != f.Text {
			continue
		}
		if best < 0 || abs(m.Start-f.Start) < abs(marks[best].Start-f.Start) {
			best = i
		}
	}
	return best
}

// answersCustomer reports whether the newest public message is the customer's: only then is there
// a feeling to acknowledge (a follow-up after the agent's own reply, or a first outbound mail, has none).
func answersCustomer(thread []desk.Message) bool {
	for i := len(thread) - 1; i >= 0; i-- {
		if thread[i].Kind == desk.KindReply {
			return !thread[i].FromAgent
		}
	}
	return false
}

// lastMessageID is the newest message on a thread; the composer sends it back for the collision check.
func lastMessageID(thread []desk.Message) int64 {
	if len(thread) == 0 {
		return 0
	}
	return thread[len(thread)-1].ID
}

// wroteMeanwhile names who wrote a public message after seen, other than the agent.
func wroteMeanwhile(thread []desk.Message, seen, agentID int64) string {
	name := ""
	for _, m := range thread {
		if m.ID > seen && m.Kind == desk.KindReply && (!m.FromAgent || m.AuthorID != agentID) {
			name = m.AuthorName
		}
	}
	return name
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// clip cuts s to at most n bytes without splitting a character.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ticketLanguage is the language given, or the one the customer wrote in, so the coach reads replies in it.
func (s *Server) ticketLanguage(given, subject, body string) string {
	if given != "" {
		return given
	}
	return s.coach.DetectLanguage(subject + "\n" + body)
}
