// Package rules keeps the coach's packs as data: the published versions per language in the
// database, the admins' drafts, publishing and restoring, and the backtest of a draft on past
// replies. The coach in use is built from the newest published version of each language (the
// embedded pack where there is none) and handed to the helpdesk; a publish swaps it at once, and
// Watch makes other instances on the same database follow within a poll.
package rules

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/store"
)

// Version is one published version of a pack.
type Version = store.PackVersion

// Current is the pack in use for one language: Version 0 is the embedded default.
type Current struct {
	Lang    string
	Version int
	Pack    *coach.Pack
	Info    store.PackVersion
}

// Draft is the admins' working copy of a language's pack; Base is the published version it started
// from, Saved whether it differs from a fresh copy (it has been stored).
type Draft struct {
	Lang      string
	Pack      *coach.Pack
	Base      int
	Saved     bool
	UpdatedAt time.Time
}

// Service is the packs' one owner in a process.
type Service struct {
	st   *store.Store
	desk *helpdesk.Service

	mu      sync.Mutex
	latest  int64 // the newest version id loaded
	current map[string]Current
	runs    map[string]*Backtest // the newest backtest per language
}

// New serves the packs of st to h; call Load before serving.
func New(st *store.Store, h *helpdesk.Service) *Service {
	s := &Service{st: st, desk: h, current: map[string]Current{}, runs: map[string]*Backtest{}}
	for _, p := range mustDefaults() {
		s.current[p.Lang] = Current{Lang: p.Lang, Pack: p}
	}
	return s
}

func mustDefaults() []*coach.Pack {
	ps, err := coach.DefaultPacks()
	if err != nil {
		panic("rules: embedded packs are broken: " + err.Error()) // caught by every test run
	}
	return ps
}

// Load reads the newest published version of every language, builds a coach of them and makes it
// the helpdesk's. A version that no longer parses is logged and the embedded pack is used.
func (s *Service) Load(ctx context.Context) error {
	c, cur, latest, err := load(ctx, s.st)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.current, s.latest = cur, latest
	s.mu.Unlock()
	s.desk.SetCoach(c)
	return nil
}

// CoachFrom is the coach of the newest published packs in st (the embedded ones where none is), as
// the server uses it: for commands that lint with a database (coachdesk lint --db).
func CoachFrom(ctx context.Context, st *store.Store) (*coach.Coach, error) {
	c, _, _, err := load(ctx, st)
	return c, err
}

func load(ctx context.Context, st *store.Store) (*coach.Coach, map[string]Current, int64, error) {
	latest, err := st.LatestPackID(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	vs, err := st.CurrentPacks(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	cur := map[string]Current{}
	for _, p := range mustDefaults() {
		cur[p.Lang] = Current{Lang: p.Lang, Pack: p}
	}
	for _, v := range vs {
		p, err := coach.ParsePack(fmt.Sprintf("%s v%d", v.Lang, v.Version), []byte(v.Body))
		if err != nil {
			slog.Error("rules: a published pack does not parse; using the embedded one", "lang", v.Lang, "version", v.Version, "err", err)
			continue
		}
		cur[v.Lang] = Current{Lang: v.Lang, Version: v.Version, Pack: p, Info: v}
	}
	packs := make([]*coach.Pack, 0, len(cur))
	for _, lang := range coach.Languages() {
		packs = append(packs, cur[lang].Pack)
	}
	c, err := coach.New(packs...)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("rules: build coach: %w", err)
	}
	return c, cur, latest, nil
}

// Watch reloads the packs when another instance publishes, asking the database every interval
// for the newest version id; it returns when ctx ends.
func (s *Service) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		id, err := s.st.LatestPackID(ctx)
		if err != nil {
			continue // the store logs its faults; the next tick asks again
		}
		s.mu.Lock()
		changed := id != s.latest
		s.mu.Unlock()
		if changed {
			if err := s.Load(ctx); err != nil && ctx.Err() == nil {
				slog.Error("rules: reload packs", "err", err)
			}
		}
	}
}

// Current is the pack in use for lang.
func (s *Service) Current(lang string) Current {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current[lang]
}

// ValidLang: the languages with a pack.
func ValidLang(lang string) bool {
	for _, l := range coach.Languages() {
		if l == lang {
			return true
		}
	}
	return false
}

// Draft is lang's draft, or a fresh copy of the pack in use when there is none.
func (s *Service) Draft(ctx context.Context, lang string) (Draft, error) {
	if !ValidLang(lang) {
		return Draft{}, desk.Errorf(desk.ENOTFOUND, "lang", "There is no pack for %q.", lang)
	}
	d, found, err := s.st.PackDraftOf(ctx, lang)
	if err != nil {
		return Draft{}, err
	}
	if found {
		p, err := coach.ParsePack(lang+" draft", []byte(d.Body))
		if err == nil {
			return Draft{Lang: lang, Pack: p, Base: d.BaseVersion, Saved: true, UpdatedAt: d.UpdatedAt}, nil
		}
		slog.Error("rules: a stored draft does not parse; starting over from the pack in use", "lang", lang, "err", err)
	}
	cur := s.Current(lang)
	// another instance (or a seed) may have published since the last poll: start from the newest
	if n, err := s.st.NextPackVersion(ctx, lang); err == nil && n-1 != cur.Version {
		if err := s.Load(ctx); err != nil {
			return Draft{}, err
		}
		cur = s.Current(lang)
	}
	p, err := coach.ClonePack(cur.Pack)
	if err != nil {
		return Draft{}, err
	}
	return Draft{Lang: lang, Pack: p, Base: cur.Version}, nil
}

// Edit applies change to lang's draft and stores it when the result is valid; otherwise it returns
// the problems (the draft stays as it was) along with the changed pack, so a form can show both.
func (s *Service) Edit(ctx context.Context, lang string, by desk.User, change func(p *coach.Pack) error) (*coach.Pack, []coach.FieldError, error) {
	d, err := s.Draft(ctx, lang)
	if err != nil {
		return nil, nil, err
	}
	if err := change(d.Pack); err != nil {
		return d.Pack, nil, err
	}
	if errs := coach.ValidateChange(s.Current(lang).Pack, d.Pack); len(errs) > 0 {
		return d.Pack, errs, nil
	}
	return d.Pack, nil, s.saveDraft(ctx, d, by)
}

func (s *Service) saveDraft(ctx context.Context, d Draft, by desk.User) error {
	b, err := coach.MarshalPack(d.Pack)
	if err != nil {
		return err
	}
	var uid *int64
	if by.ID != 0 {
		uid = &by.ID
	}
	return s.st.SavePackDraft(ctx, store.PackDraft{Lang: d.Lang, Body: string(b), BaseVersion: d.Base, UpdatedBy: uid})
}

// Discard drops lang's draft: the next edit starts from the pack in use.
func (s *Service) Discard(ctx context.Context, lang string) error {
	return s.st.DiscardPackDraft(ctx, lang)
}

// Import makes data (a pack file in the embedded format) lang's draft after the same validation as
// any edit; the problems come back at their fields, and a parse error as one on field "file".
func (s *Service) Import(ctx context.Context, lang string, data []byte, by desk.User) (*coach.Pack, []coach.FieldError, error) {
	p, err := coach.ParsePack("import.yaml", data)
	if err != nil {
		return nil, []coach.FieldError{{Field: "file", Reason: coach.ReasonInvalid, Detail: strings.TrimPrefix(err.Error(), "pack import.yaml: ")}}, nil
	}
	if p.Lang != lang {
		return p, []coach.FieldError{{Field: "file", Reason: coach.ReasonInvalid, Detail: fmt.Sprintf("the file is the %s pack, not %s", p.Lang, lang)}}, nil
	}
	if errs := coach.ValidateChange(s.Current(lang).Pack, p); len(errs) > 0 {
		return p, errs, nil
	}
	return p, nil, s.saveDraft(ctx, Draft{Lang: lang, Pack: p, Base: s.Current(lang).Version}, by)
}

// Blocked is why a publish was refused: problems in the pack or examples that fail.
type Blocked struct {
	Problems []coach.FieldError
	Failing  []coach.ExampleResult
}

func (b *Blocked) Error() string {
	return fmt.Sprintf("rules: publish blocked: %d problems, %d failing examples", len(b.Problems), len(b.Failing))
}

// Check validates lang's draft and runs its examples.
func (s *Service) Check(p *coach.Pack, lang string) ([]coach.FieldError, []coach.ExampleResult) {
	errs := coach.ValidateChange(s.Current(lang).Pack, p)
	if len(errs) > 0 {
		return errs, nil
	}
	rs, err := coach.RunExamples(p)
	if err != nil {
		return []coach.FieldError{{Field: "pack", Reason: coach.ReasonInvalid, Detail: err.Error()}}, nil
	}
	return nil, rs
}

// Publish makes lang's draft the next version, in use at once in this process (and in others at
// their next poll). Errors: *Blocked while the pack has problems or an example fails; invalid on
// field "reason" without a reason; conflict on field "version" when someone published meanwhile.
func (s *Service) Publish(ctx context.Context, lang string, by desk.User, reason string) (store.PackVersion, error) {
	d, err := s.Draft(ctx, lang)
	if err != nil {
		return store.PackVersion{}, err
	}
	return s.publish(ctx, d.Pack, lang, d.Base, by, reason, nil)
}

// Restore publishes an earlier version again as the newest; its examples need not pass again (they
// did when it was published), but the pack must still parse.
func (s *Service) Restore(ctx context.Context, lang string, version int, by desk.User, reason string) (store.PackVersion, error) {
	old, err := s.st.PackVersionOf(ctx, lang, version)
	if err != nil {
		return store.PackVersion{}, err
	}
	p, err := coach.ParsePack(fmt.Sprintf("%s v%d", lang, version), []byte(old.Body))
	if err != nil {
		return store.PackVersion{}, desk.Errorf(desk.EINVALID, "version", "Version %d no longer reads: %v", version, err)
	}
	if strings.TrimSpace(reason) == "" {
		reason = fmt.Sprintf("Restored version %d", version)
	}
	return s.publish(ctx, p, lang, s.Current(lang).Version, by, reason, &version)
}

func (s *Service) publish(ctx context.Context, p *coach.Pack, lang string, base int, by desk.User, reason string, restored *int) (store.PackVersion, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return store.PackVersion{}, desk.Required("reason", "Say why you publish this change.")
	}
	if len(reason) > 500 {
		return store.PackVersion{}, desk.Errorf(desk.EINVALID, "reason", "Keep the reason under 500 characters.")
	}
	if restored == nil {
		errs, rs := s.Check(p, lang)
		if f := coach.Failing(rs); len(errs) > 0 || len(f) > 0 {
			return store.PackVersion{}, &Blocked{Problems: errs, Failing: f}
		}
	}
	v, err := Store(ctx, s.st, p, base, by, reason, restored)
	if err != nil {
		return store.PackVersion{}, err
	}
	if err := s.Load(ctx); err != nil {
		return v, err
	}
	return v, nil
}

// Store writes p as the version after base of its language, numbered in its own version field
// ("v3", so findings store "da-v3+…"); it checks nothing and loads nothing (see Publish).
func Store(ctx context.Context, st *store.Store, p *coach.Pack, base int, by desk.User, reason string, restored *int) (store.PackVersion, error) {
	q, err := coach.ClonePack(p)
	if err != nil {
		return store.PackVersion{}, err
	}
	q.Version = "v" + strconv.Itoa(base+1)
	body, err := coach.MarshalPack(q)
	if err != nil {
		return store.PackVersion{}, err
	}
	parsed, err := coach.ParsePack("publish", body)
	if err != nil {
		return store.PackVersion{}, err
	}
	v := store.PackVersion{Lang: q.Lang, Body: string(body), PackVersion: parsed.VersionString(), AuthorName: by.Name, Reason: reason, RestoredFrom: restored}
	if by.ID != 0 {
		v.AuthorID = &by.ID
	}
	return st.PublishPack(ctx, v, base)
}

// Versions lists lang's published versions, newest first.
func (s *Service) Versions(ctx context.Context, lang string) ([]store.PackVersion, error) {
	return s.st.PackVersions(ctx, lang)
}

// VersionDiff is a version against the one before it (the embedded pack before version 1).
func (s *Service) VersionDiff(ctx context.Context, lang string, version int) (store.PackVersion, []coach.DiffLine, error) {
	v, err := s.st.PackVersionOf(ctx, lang, version)
	if err != nil {
		return v, nil, err
	}
	var prev string
	if version > 1 {
		pv, err := s.st.PackVersionOf(ctx, lang, version-1)
		if err != nil {
			return v, nil, err
		}
		prev = pv.Body
	} else {
		prev, err = embeddedBody(lang)
		if err != nil {
			return v, nil, err
		}
	}
	return v, coach.Diff(prev, v.Body, 3), nil
}

// DraftDiff is the draft against the pack in use.
func (s *Service) DraftDiff(ctx context.Context, lang string) ([]coach.DiffLine, error) {
	d, err := s.Draft(ctx, lang)
	if err != nil {
		return nil, err
	}
	a, err := coach.MarshalPack(s.Current(lang).Pack)
	if err != nil {
		return nil, err
	}
	b, err := coach.MarshalPack(d.Pack)
	if err != nil {
		return nil, err
	}
	return coach.Diff(string(a), string(b), 3), nil
}

// embeddedBody is the embedded pack written as the editor writes packs, so diffs show only changes.
func embeddedBody(lang string) (string, error) {
	for _, p := range mustDefaults() {
		if p.Lang == lang {
			b, err := coach.MarshalPack(p)
			return string(b), err
		}
	}
	return "", fmt.Errorf("rules: no embedded pack %s", lang)
}

// Export is lang's pack in use (or its draft) in the embedded file format.
func (s *Service) Export(ctx context.Context, lang string, draft bool) ([]byte, error) {
	if draft {
		d, err := s.Draft(ctx, lang)
		if err != nil {
			return nil, err
		}
		return coach.MarshalPack(d.Pack)
	}
	if !ValidLang(lang) {
		return nil, desk.Errorf(desk.ENOTFOUND, "lang", "There is no pack for %q.", lang)
	}
	return coach.MarshalPack(s.Current(lang).Pack)
}

// HitDays is how far back the rules page counts hits.
const HitDays = 90

// Hits counts the findings of lang's replies per list entry over the last HitDays days.
func (s *Service) Hits(ctx context.Context, lang string, now time.Time) (Hits, error) {
	from := now.AddDate(0, 0, -HitDays)
	n, err := s.st.CountSentReplies(ctx, lang, from, now.Add(time.Hour))
	if err != nil {
		return Hits{}, err
	}
	rows, err := s.st.PackEntryHits(ctx, lang, from)
	if err != nil {
		return Hits{}, err
	}
	return newHits(n, rows), nil
}
