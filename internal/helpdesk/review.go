package helpdesk

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
)

// Reviews: every verdict, dispute and comment goes through here, so the send gate hears of it.

// gateRefresh is how long the gate trusts its copy of the review settings and the measured precision.
const gateRefresh = time.Minute

// gate remembers which error-level rules have proven unreliable in which language: their findings
// are shown as warnings and stop no send until their precision recovers. Its thresholds are the
// admin's review settings, read again with the precision.
type gate struct {
	mu        sync.Mutex
	settings  desk.ReviewSettings
	loaded    time.Time
	reloading bool            // one lint reloads; the others keep reading the copy they have
	gen       int             // bumped by every verdict and settings change: a reload begun before is stale
	demoted   map[string]bool // rule + "/" + lang
}

// SaveReviewSettings stores an admin's thresholds; the gate applies them from the next lint on.
// Other instances on the database follow within gateRefresh.
// Errors: every setting out of range at once (desk.Problems): min_lower, min_verdicts, sample_share, dispute_days.
func (s *Service) SaveReviewSettings(ctx context.Context, rs desk.ReviewSettings, admin desk.User) error {
	if err := s.store.SaveReviewSettings(ctx, rs, admin.ID); err != nil {
		return err
	}
	s.forgetGate()
	return nil
}

// ReviewSettings are the thresholds the gate works with now (at most gateRefresh old).
func (s *Service) ReviewSettings() desk.ReviewSettings {
	s.gate.mu.Lock()
	defer s.gate.mu.Unlock()
	s.refreshGate()
	return s.gate.settings
}

// GateSettings are the send gate's thresholds in force.
func (s *Service) GateSettings() desk.GateSettings { return s.ReviewSettings().Gate() }

// Demoted reports whether rule no longer blocks sending in lang. Lints run on every pause in
// typing, so the database is asked at most once a minute, and never under the lock.
func (s *Service) Demoted(rule, lang string) bool {
	s.gate.mu.Lock()
	defer s.gate.mu.Unlock()
	s.refreshGate()
	return s.gate.demoted[rule+"/"+lang]
}

// refreshGate reloads the settings and the demoted rules when the copy is stale; the caller holds
// the lock, which is let go while the database is read.
func (s *Service) refreshGate() {
	if time.Since(s.gate.loaded) <= gateRefresh || s.gate.reloading {
		return
	}
	s.gate.reloading = true
	settings, gen := s.gate.settings, s.gate.gen
	s.gate.mu.Unlock()
	settings, demoted := s.loadGate(settings)
	s.gate.mu.Lock()
	s.gate.reloading = false
	if s.gate.gen == gen { // a verdict or new settings came meanwhile: the next lint reloads
		s.gate.settings, s.gate.demoted, s.gate.loaded = settings, demoted, time.Now()
	}
}

// loadGate reads the review settings (keeping last's when they cannot be read), sums the verdicts
// of every pack version per rule and language and names the rules the settings do not let block.
func (s *Service) loadGate(last desk.ReviewSettings) (desk.ReviewSettings, map[string]bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	settings, err := s.store.ReviewSettings(ctx)
	if err != nil {
		slog.Warn("send gate: review settings unavailable; the last ones stay", "err", err)
		settings = last
	}
	rows, err := s.store.Precision(ctx)
	if err != nil {
		slog.Warn("send gate: precision unavailable; every error-level rule blocks", "err", err)
		return settings, nil
	}
	sums := map[string]desk.Precision{}
	for _, r := range rows {
		k := r.Rule + "/" + r.Lang
		p := sums[k]
		p.Confirmed += r.Confirmed
		p.FalsePositive += r.FalsePositive
		sums[k] = p
	}
	gate := settings.Gate()
	demoted := map[string]bool{}
	for k, p := range sums {
		if !gate.Blocks(p) {
			demoted[k] = true
		}
	}
	return settings, demoted
}

func (s *Service) forgetGate() {
	s.gate.mu.Lock()
	s.gate.loaded = time.Time{}
	s.gate.gen++
	s.gate.mu.Unlock()
}

// demote turns the error-level findings of unproven rules into warnings.
func (s *Service) demote(res *coach.Result) {
	for i, f := range res.Findings {
		if f.Severity == coach.SevError && s.Demoted(f.Rule, res.Lang) {
			res.Findings[i].Severity, res.Findings[i].Demoted = coach.SevWarning, true
		}
	}
}

// SetVerdict records a lead's verdict on a finding.
func (s *Service) SetVerdict(ctx context.Context, findingID int64, lead desk.User, v desk.Verdict) error {
	defer s.forgetGate()
	return s.store.SetVerdict(ctx, findingID, lead.ID, v)
}

// ResolveDispute upholds or rejects an agent's dispute; an upheld one counts as a false positive.
func (s *Service) ResolveDispute(ctx context.Context, findingID int64, lead desk.User, upheld bool) error {
	defer s.forgetGate()
	return s.store.ResolveDispute(ctx, findingID, lead.ID, upheld)
}

// AddMissed records a finding the coach should have made; rule must be one of the coach's, built-in or custom.
func (s *Service) AddMissed(ctx context.Context, messageID int64, lead desk.User, rule string, start, end int) error {
	if !slices.Contains(s.Coach().RuleIDs(), rule) {
		return desk.Errorf(desk.EINVALID, "rule", "Unknown rule %q.", rule)
	}
	return s.store.AddMissed(ctx, messageID, lead.ID, rule, start, end)
}

// ErrorLevel reports whether rule is error-level in lang's pack, the kind the send gate applies.
func (s *Service) ErrorLevel(rule, lang string) bool {
	return s.Coach().Severity(lang, rule) == coach.SevError
}
