package helpdesk

import (
	"context"
	"strings"
	"unicode/utf8"

	"coachdesk/internal/coach"
	"coachdesk/internal/coaching"
	"coachdesk/internal/desk"
)

// Outgoing is an agent's reply or note as the composer or the API sends it, with the coach's context.
type Outgoing struct {
	Number         int64 // the ticket's number
	Agent          desk.User
	Kind           desk.MessageKind // reply (the default) or note
	Body           string
	SetStatus      desk.Status // optional, as "send and mark pending"
	Lang           string      // the language the coach reads the reply in: "", auto, da, nb, sv or en
	Marks          []Mark      // findings the agent marked "not helpful here"
	OverrideReason string      // why the reply goes out despite an error-level finding
	DraftRev       int64       // the draft revision this send clears
	SeenID         int64       // the newest message the agent had seen; 0 skips the collision check
}

// Mark is a finding the agent marked "not helpful here" in the composer, as the page saw it.
type Mark struct {
	Rule   string `json:"rule"`
	Start  int    `json:"start"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

// Refused is a reply the send gate stopped: Findings are the error-level ones it needs fixed or excused.
// It unwraps to an EINVALID desk error naming override_reason.
type Refused struct{ Findings []coach.Finding }

func (r *Refused) Error() string { return r.Unwrap().Error() }

func (r *Refused) Unwrap() error {
	return desk.Errorf(desk.EINVALID, "override_reason", "The reply has an error-level finding (%s): fix it, or give override_reason to send it anyway.", r.Findings[0].Rule)
}

// Collision is a reply refused once because someone else wrote on the ticket after SeenID.
// Author names who; sending again (with the new SeenID) goes through. It unwraps to ECONFLICT naming seen.
type Collision struct {
	Author string
	err    error
}

func (c *Collision) Error() string { return c.err.Error() }
func (c *Collision) Unwrap() error { return c.err }

// Send coaches a reply, closes the gate on an unexcused error-level finding, stores the reply with its
// coaching (findings, score, marks and reason) and tells the ticket's open pages. Notes are not coached.
// Errors: *Refused (nothing written); *Collision; EINVALID naming kind, body, status, lang or
// override_reason; ETOOLARGE naming body or override_reason; ENOTFOUND; ECONFLICT naming ticket (closed).
func (s *Service) Send(ctx context.Context, o Outgoing) (desk.Message, error) {
	m := desk.NewMessage{Kind: o.Kind, Body: o.Body, UserID: o.Agent.ID, SetStatus: o.SetStatus, DraftRev: o.DraftRev, SeenID: o.SeenID}
	if m.Kind == desk.KindNote {
		m.SeenID = 0 // a note to colleagues cannot collide with what the customer was told
	}
	if err := s.coachReply(ctx, o, &m); err != nil {
		return desk.Message{}, err
	}
	sent, err := s.store.AddMessage(ctx, o.Number, m)
	if e, ok := desk.AsError(err); ok && e.Code == desk.ECONFLICT && e.Field == "seen" {
		return desk.Message{}, s.collision(ctx, o, err)
	}
	if err != nil {
		return desk.Message{}, err
	}
	s.announceMessage(sent, o.Agent.ID)
	return sent, nil
}

// coachReply lints a reply as it will be stored and sets its coaching record on m, or refuses it.
// Input the domain refuses anyway (an empty body, a note) is left for the store to name.
func (s *Service) coachReply(ctx context.Context, o Outgoing, m *desk.NewMessage) error {
	probe := *m
	if probe.Normalize() != nil || probe.Kind != desk.KindReply {
		return nil
	}
	reason := strings.TrimSpace(o.OverrideReason)
	switch {
	case !coach.ValidLang(o.Lang):
		return desk.Errorf(desk.EINVALID, "lang", "Unknown language %q: use da, nb, sv, en or auto.", o.Lang)
	case len(reason) > desk.MaxOverrideReason:
		return desk.Errorf(desk.ETOOLARGE, "override_reason", "Keep the reason under %d characters.", desk.MaxOverrideReason)
	}
	t, err := s.store.Ticket(ctx, o.Number)
	if err != nil {
		return err
	}
	answersCustomer, err := s.store.LastReplyFromCustomer(ctx, t.ID)
	if err != nil {
		return err
	}
	res := s.Lint(probe.Body, coach.Options{Lang: o.Lang, NoAcknowledge: !answersCustomer, Locale: o.Agent.Locale})
	rec := coaching.Record(res)
	marks := cleanMarks(o.Marks)
	var blocking []coach.Finding
	for i, f := range res.Findings {
		if k := nearestMark(marks, f); k >= 0 {
			rec.Findings[i].NotHelpful, rec.Findings[i].NotHelpfulReason = true, marks[k].Reason
			marks = append(marks[:k], marks[k+1:]...)
		}
		if f.Severity == coach.SevError {
			blocking = append(blocking, f)
		}
	}
	if len(blocking) > 0 {
		if reason == "" {
			return &Refused{Findings: blocking}
		}
		rec.Overridden, rec.OverrideReason = true, reason
	}
	m.Coaching = rec
	return nil
}

// collision names who wrote a public message after the one the agent had seen.
func (s *Service) collision(ctx context.Context, o Outgoing, err error) error {
	t, terr := s.store.Ticket(ctx, o.Number)
	if terr != nil {
		return terr
	}
	thread, terr := s.store.Thread(ctx, t.ID)
	if terr != nil {
		return terr
	}
	c := &Collision{err: err}
	for _, m := range thread {
		if m.ID > o.SeenID && m.Kind == desk.KindReply && (!m.FromAgent || m.AuthorID != o.Agent.ID) {
			c.Author = m.AuthorName
		}
	}
	return c
}

// AnswersCustomer reports whether the newest public message is the customer's (a send asks
// store.LastReplyFromCustomer instead): only then is there a feeling to acknowledge (a follow-up
// after the agent's own reply, or a first outbound mail, has none).
func AnswersCustomer(thread []desk.Message) bool {
	for i := len(thread) - 1; i >= 0; i-- {
		if thread[i].Kind == desk.KindReply {
			return !thread[i].FromAgent
		}
	}
	return false
}

// cleanMarks trims and caps the agents' reasons; marks are feedback, so their text is never refused.
func cleanMarks(in []Mark) []Mark {
	out := make([]Mark, len(in))
	for i, m := range in {
		m.Reason = clip(strings.TrimSpace(m.Reason), desk.MaxOverrideReason)
		out[i] = m
	}
	return out
}

// nearestMark matches a mark by rule and text, the nearest start winning: the page linted the text
// as typed, the server lints it trimmed, so offsets may have moved.
func nearestMark(marks []Mark, f coach.Finding) int {
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
