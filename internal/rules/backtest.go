package rules

import (
	"context"
	"errors"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/store"
)

// MaxExamples is how many added and removed findings a backtest keeps per rule to click through.
const MaxExamples = 20

// Backtest is one run of a draft over past replies; read its fields through Snapshot.
type Backtest struct {
	ID       string
	Lang     string
	From, To time.Time
	Started  time.Time

	total, done atomic.Int64
	cancel      context.CancelFunc

	mu     sync.Mutex
	state  string // running, done, cancelled, failed
	err    error
	took   time.Duration
	result *BacktestResult
}

// BacktestStatus is what a page shows of a run.
type BacktestStatus struct {
	ID, Lang, State string
	From, To        time.Time
	Total, Done     int
	Took            time.Duration
	Err             error
	Result          *BacktestResult
}

// BacktestResult is what the draft would have changed.
type BacktestResult struct {
	Replies int
	Rules   []RuleDelta // rules whose findings changed, in report order
	Agents  []AgentDelta
}

// RuleDelta is one rule's findings before (the pack in use) and after (the draft).
type RuleDelta struct {
	Rule           string
	Before, After  int
	Added, Removed int
	AddedEx        []BacktestExample
	RemovedEx      []BacktestExample
	Agents         int
	JudgedBefore   Judged // verdicts on the findings the pack in use makes
	JudgedAfter    Judged // verdicts on the findings the draft makes (where a lead judged the same span)
	RemovedJudged  Judged // verdicts on the findings the draft no longer makes
	agentSet       map[int64]bool
}

// Judged counts leads' verdicts.
type Judged struct{ Confirmed, Dismissed int }

// Precision is confirmed ÷ (confirmed + dismissed); ok is false without verdicts.
func (j Judged) Precision() (p float64, ok bool) {
	n := j.Confirmed + j.Dismissed
	if n == 0 {
		return 0, false
	}
	return float64(j.Confirmed) / float64(n), true
}

// BacktestExample is one reply whose finding appears or disappears.
type BacktestExample struct {
	MessageID  int64
	Agent      string
	Text       string // the flagged words
	Before     string // a little of the reply around them
	After      string
	Start, End int
}

// AgentDelta is how much one agent's coaching would change.
type AgentDelta struct {
	Name           string
	Added, Removed int
}

// Snapshot is the run's state now.
func (b *Backtest) Snapshot() BacktestStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return BacktestStatus{ID: b.ID, Lang: b.Lang, State: b.state, From: b.From, To: b.To, Total: int(b.total.Load()), Done: int(b.done.Load()),
		Took: b.took, Err: b.err, Result: b.result}
}

// Cancel stops the run; what it read so far is dropped.
func (b *Backtest) Cancel() { b.cancel() }

var runSeq atomic.Int64

// StartBacktest runs draft over lang's sent replies of [from, to) in the background, beside every
// other request (read-only pages of replies, the lints on all cores), and returns at once; a newer
// run of the same language cancels the older one.
func (s *Service) StartBacktest(draft *coach.Pack, lang string, from, to time.Time) (*Backtest, error) {
	after, err := coach.New(draft)
	if err != nil {
		return nil, err
	}
	before, err := coach.New(s.Current(lang).Pack)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Backtest{ID: strconv.FormatInt(runSeq.Add(1), 10), Lang: lang, From: from, To: to, Started: time.Now(), cancel: cancel, state: "running"}
	s.mu.Lock()
	if old := s.runs[lang]; old != nil {
		old.Cancel()
	}
	s.runs[lang] = b
	s.mu.Unlock()
	go func() {
		res, err := RunBacktest(ctx, s.st, before, after, lang, from, to, &b.total, &b.done)
		b.mu.Lock()
		defer b.mu.Unlock()
		b.took = time.Since(b.Started)
		switch {
		case errors.Is(err, context.Canceled):
			b.state = "cancelled"
		case err != nil:
			b.state, b.err = "failed", err
		default:
			b.state, b.result = "done", res
		}
		cancel()
	}()
	return b, nil
}

// Backtest is lang's newest run (nil if none or id does not match it).
func (s *Service) Backtest(lang, id string) *Backtest {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.runs[lang]
	if b == nil || (id != "" && b.ID != id) {
		return nil
	}
	return b
}

const backtestPage = 2000

type spanKey struct {
	msg        int64
	rule       string
	start, end int
}

type btReply struct {
	r    store.SentReply
	prev []coach.Finding
	next []coach.Finding
}

// RunBacktest lints every sent reply of lang in [from, to) with before and after and counts what
// changes; total and done report progress. It reads pages of replies in id order and lints them
// on every core.
func RunBacktest(ctx context.Context, st *store.Store, before, after *coach.Coach, lang string, from, to time.Time, total, done *atomic.Int64) (*BacktestResult, error) {
	n, err := st.CountSentReplies(ctx, lang, from, to)
	if err != nil {
		return nil, err
	}
	total.Store(int64(n))
	judged := map[spanKey]string{}
	js, err := st.JudgedFindings(ctx, lang, from, to)
	if err != nil {
		return nil, err
	}
	for _, j := range js {
		judged[spanKey{j.MessageID, j.Rule, j.Start, j.End}] = j.Verdict
	}
	names, err := st.AgentNames(ctx)
	if err != nil {
		return nil, err
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	in := make(chan []store.SentReply, workers)
	accs := make([]*accumulator, workers)
	var wg sync.WaitGroup
	for w := range workers {
		acc := newAccumulator(judged, names)
		accs[w] = acc
		wg.Add(1)
		go func() {
			defer wg.Done()
			opt := coach.Options{Lang: lang}
			for page := range in {
				for _, r := range page {
					if ctx.Err() != nil {
						break
					}
					acc.add(btReply{r: r, prev: before.Lint(r.Body, opt).Findings, next: after.Lint(r.Body, opt).Findings})
				}
				done.Add(int64(len(page)))
			}
		}()
	}
	var readErr error
	go func() {
		defer close(in)
		var last int64
		for ctx.Err() == nil {
			page, err := st.SentRepliesPage(ctx, lang, from, to, last, backtestPage)
			if err != nil {
				readErr = err
				return
			}
			if len(page) == 0 {
				return
			}
			last = page[len(page)-1].MessageID
			select {
			case in <- page:
			case <-ctx.Done():
				return
			}
		}
	}()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if readErr != nil {
		return nil, readErr
	}
	acc := accs[0]
	for _, o := range accs[1:] {
		acc.merge(o)
	}
	return acc.result(), nil
}

// merge adds o's counts and examples to a.
func (a *accumulator) merge(o *accumulator) {
	a.replies += o.replies
	for id, od := range o.rules {
		d := a.rule(id)
		d.Before += od.Before
		d.After += od.After
		d.Added += od.Added
		d.Removed += od.Removed
		for _, j := range []struct{ to, from *Judged }{{&d.JudgedBefore, &od.JudgedBefore}, {&d.JudgedAfter, &od.JudgedAfter}, {&d.RemovedJudged, &od.RemovedJudged}} {
			j.to.Confirmed += j.from.Confirmed
			j.to.Dismissed += j.from.Dismissed
		}
		d.AddedEx = append(d.AddedEx, od.AddedEx...)
		d.RemovedEx = append(d.RemovedEx, od.RemovedEx...)
		for ag := range od.agentSet {
			d.agentSet[ag] = true
		}
	}
	for id, od := range o.agents {
		d := a.agent(id)
		d.Added += od.Added
		d.Removed += od.Removed
	}
}

type accumulator struct {
	judged  map[spanKey]string
	names   map[int64]string
	rules   map[string]*RuleDelta
	agents  map[int64]*AgentDelta
	replies int
}

func newAccumulator(judged map[spanKey]string, names map[int64]string) *accumulator {
	return &accumulator{judged: judged, names: names, rules: map[string]*RuleDelta{}, agents: map[int64]*AgentDelta{}}
}

func (a *accumulator) rule(id string) *RuleDelta {
	d := a.rules[id]
	if d == nil {
		d = &RuleDelta{Rule: id, agentSet: map[int64]bool{}}
		a.rules[id] = d
	}
	return d
}

func count(j *Judged, verdict string) {
	switch verdict {
	case "confirmed":
		j.Confirmed++
	case "false_positive":
		j.Dismissed++
	}
}

func (a *accumulator) add(r btReply) {
	a.replies++
	type fk struct {
		rule       string
		start, end int
	}
	prev := map[fk]coach.Finding{}
	for _, f := range r.prev {
		prev[fk{f.Rule, f.Start, f.End}] = f
		d := a.rule(f.Rule)
		d.Before++
		count(&d.JudgedBefore, a.judged[spanKey{r.r.MessageID, f.Rule, f.Start, f.End}])
	}
	next := map[fk]bool{}
	for _, f := range r.next {
		k := fk{f.Rule, f.Start, f.End}
		next[k] = true
		d := a.rule(f.Rule)
		d.After++
		count(&d.JudgedAfter, a.judged[spanKey{r.r.MessageID, f.Rule, f.Start, f.End}])
		if _, ok := prev[k]; !ok {
			d.Added++
			d.agentSet[r.r.AgentID] = true
			a.agent(r.r.AgentID).Added++
			if len(d.AddedEx) < MaxExamples {
				d.AddedEx = append(d.AddedEx, a.example(r.r, f))
			}
		}
	}
	for k, f := range prev {
		if next[k] {
			continue
		}
		d := a.rule(f.Rule)
		d.Removed++
		d.agentSet[r.r.AgentID] = true
		a.agent(r.r.AgentID).Removed++
		count(&d.RemovedJudged, a.judged[spanKey{r.r.MessageID, f.Rule, f.Start, f.End}])
		if len(d.RemovedEx) < MaxExamples {
			d.RemovedEx = append(d.RemovedEx, a.example(r.r, f))
		}
	}
}

func (a *accumulator) agent(id int64) *AgentDelta {
	d := a.agents[id]
	if d == nil {
		d = &AgentDelta{Name: a.names[id]}
		a.agents[id] = d
	}
	return d
}

func (a *accumulator) example(r store.SentReply, f coach.Finding) BacktestExample {
	lo, hi := max(0, f.Start-60), min(len(r.Body), f.End+60)
	for lo > 0 && lo < len(r.Body) && r.Body[lo]&0xC0 == 0x80 {
		lo--
	}
	for hi < len(r.Body) && r.Body[hi]&0xC0 == 0x80 {
		hi++
	}
	return BacktestExample{MessageID: r.MessageID, Agent: a.names[r.AgentID], Text: f.Text, Before: r.Body[lo:f.Start], After: r.Body[f.End:hi], Start: f.Start, End: f.End}
}

func (a *accumulator) result() *BacktestResult {
	res := &BacktestResult{Replies: a.replies}
	for _, d := range a.rules {
		if d.Added == 0 && d.Removed == 0 {
			continue
		}
		d.Agents = len(d.agentSet)
		sort.Slice(d.AddedEx, func(i, j int) bool { return d.AddedEx[i].MessageID > d.AddedEx[j].MessageID })
		sort.Slice(d.RemovedEx, func(i, j int) bool { return d.RemovedEx[i].MessageID > d.RemovedEx[j].MessageID })
		d.AddedEx, d.RemovedEx = d.AddedEx[:min(len(d.AddedEx), MaxExamples)], d.RemovedEx[:min(len(d.RemovedEx), MaxExamples)]
		res.Rules = append(res.Rules, *d)
	}
	order := map[string]int{}
	for i, id := range coach.Rules() {
		order[id] = i
	}
	rank := func(id string) int {
		if i, ok := order[id]; ok {
			return i
		}
		return len(order)
	}
	sort.Slice(res.Rules, func(i, j int) bool {
		ri, rj := rank(res.Rules[i].Rule), rank(res.Rules[j].Rule)
		return ri < rj || ri == rj && res.Rules[i].Rule < res.Rules[j].Rule
	})
	for _, d := range a.agents {
		res.Agents = append(res.Agents, *d)
	}
	sort.Slice(res.Agents, func(i, j int) bool { return res.Agents[i].Name < res.Agents[j].Name })
	return res
}
