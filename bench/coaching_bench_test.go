package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// Stored coaching at scale: the team lead's queries straight on the store, over a database of
// coached replies generated here (two per ticket, ~2.5 findings each, a year, 20 agents).

const defaultReplies = 20000

// The generated year ends here, so a cached database and the queried ranges always line up.
var coachingEnd = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Rules with how often the generator picks each (out of 100) and their severity.
var benchRules = []struct {
	id, severity string
	weight       int
}{
	{"weak-word", "warning", 25}, {"acknowledge", "warning", 15}, {"greeting", "suggestion", 12},
	{"closed-question", "suggestion", 10}, {"no-but", "warning", 9}, {"short-reply", "warning", 8},
	{"assumption", "warning", 6}, {"redirect", "error", 5}, {"blame", "error", 4},
	{"false-agreement", "warning", 3}, {"escalation", "error", 3},
}

func repliesSize() int { return envInt("COACHDESK_BENCH_REPLIES", defaultReplies) }

func coachingPath(n int) string {
	if p := os.Getenv("COACHDESK_BENCH_COACHING_DB"); p != "" {
		return p
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("coachdesk-coaching-%d.db", n))
}

// coachingTally is what the generator wrote, for the harness to check the queries against.
type coachingTally struct {
	replies, findings int
	perRule           map[string]int
}

type coachingEnv struct {
	st     *store.Store
	agents []int64
	tally  coachingTally
}

// openCoaching seeds path with n coached replies unless a finished seed is there.
func openCoaching(tb testing.TB, path string, n int) *coachingEnv {
	tb.Helper()
	e := &coachingEnv{}
	e.st = seededDB(tb, path, func(st *store.Store) {
		start := time.Now()
		e.tally = seedCoaching(tb, st, n)
		tb.Logf("seeded %d coached replies (%d findings) into %s in %s", e.tally.replies, e.tally.findings, path, time.Since(start).Round(time.Second))
	})
	agents, err := e.st.Agents(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	for _, a := range agents {
		e.agents = append(e.agents, a.ID)
	}
	return e
}

func seedCoaching(tb testing.TB, st *store.Store, n int) coachingTally {
	ctx := context.Background()
	agents := benchAgents(tb, st, 20)
	r := rand.New(rand.NewPCG(42, 7))
	tally := coachingTally{perRule: map[string]int{}}
	tickets := (n + 1) / 2
	begin := coachingEnd.AddDate(-1, 0, 0)
	step := coachingEnd.Sub(begin) / time.Duration(tickets)
	_, err := st.BulkLoad(ctx, store.BulkOptions{Mode: store.BulkDeferred, Optimize: true}, func(b *store.Bulk) error {
		var customers []int64
		for i := range max(tickets/10, 10) {
			id, err := b.AddCustomer(store.BulkCustomer{Name: fmt.Sprintf("Kunde %d", i), Email: fmt.Sprintf("kunde%d@example.dk", i), CreatedAt: begin})
			if err != nil {
				return err
			}
			customers = append(customers, id)
		}
		for i := range tickets {
			created := begin.Add(time.Duration(i) * step)
			agent := agents[r.IntN(len(agents))]
			t := &store.BulkTicket{Subject: "Hvor er min pakke?", Status: desk.StatusSolved, Priority: desk.PriorityNormal,
				AssigneeID: agent, CustomerID: customers[r.IntN(len(customers))], Channel: desk.ChannelEmail, CreatedAt: created,
				UpdatedAt: created.Add(6 * time.Hour), SolvedAt: ptr(created.Add(6 * time.Hour)), FirstResponseAt: ptr(created.Add(firstWait(r))),
				Messages: []store.BulkMessage{{Body: "Hej, min pakke er ikke kommet. Ordre " + strconv.Itoa(3000000+i), CreatedAt: created}}}
			number, err := b.AddTicket(t)
			if err != nil {
				return err
			}
			var replies []store.BulkCoachedReply
			for j := range min(2, n-2*i) {
				replies = append(replies, benchReply(r, agent, created.Add(time.Duration(1+4*j)*time.Hour), &tally))
			}
			if err := b.AddCoachedReplies(number, replies); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return tally
}

// firstWait is how long a customer waited for the first answer: log-uniform from a minute to three
// days, so the dashboard's first-response histogram has as many bars as a real desk's.
func firstWait(r *rand.Rand) time.Duration {
	return time.Duration(math.Exp(math.Log(60)+r.Float64()*(math.Log(3*86400)-math.Log(60)))) * time.Second
}

// benchReply makes one coached reply: none in ten has no finding (the queue's random share picks
// from those), the others 1–6 from the weighted rules (3.15 a reply on average); an override on a
// third of the replies with an error, and a not-helpful mark on 3 % of findings.
func benchReply(r *rand.Rand, agent int64, at time.Time, tally *coachingTally) store.BulkCoachedReply {
	const body = "Hej Jens. Men vi kan desværre ikke gøre mere, prøv måske at kontakte GLS. Venlig hilsen"
	c := desk.Coaching{AgentID: agent, Lang: "da", PackVersion: "da-1", CreatedAt: at}
	errs := 0
	findings := 0
	if r.IntN(10) > 0 {
		findings = 1 + r.IntN(6)
	}
	for range findings {
		pick := r.IntN(100)
		for _, rule := range benchRules {
			if pick -= rule.weight; pick < 0 {
				start := r.IntN(len(body) - 10)
				f := desk.CoachFinding{Rule: rule.id, Severity: rule.severity, Start: start, End: start + 5, Text: body[start : start+5]}
				f.NotHelpful = r.IntN(100) < 3
				if rule.severity == "error" {
					errs++
				}
				c.Findings = append(c.Findings, f)
				tally.perRule[rule.id]++
				break
			}
		}
	}
	c.Score = max(0, 100-15*errs-5*len(c.Findings)-r.IntN(10))
	if errs > 0 && r.IntN(3) == 0 {
		c.Overridden, c.OverrideReason = true, "The customer asked for exactly this."
	}
	tally.replies++
	tally.findings += len(c.Findings)
	return store.BulkCoachedReply{Body: body, Coaching: c}
}

func ptr[T any](v T) *T { return &v }

// A coachingOp is one measured store call; run picks its query per call so ranges and agents vary.
type coachingOp struct {
	name string
	run  func(e *coachingEnv, r *rand.Rand) (int, error)
}

// window is a random range of days within the generated year.
func window(r *rand.Rand, days int) (from, to time.Time) {
	to = coachingEnd.AddDate(0, 0, -r.IntN(365-days))
	return to.AddDate(0, 0, -days), to
}

func (e *coachingEnv) agent(r *rand.Rand) int64 { return e.agents[r.IntN(len(e.agents))] }

var coachingOps = []coachingOp{
	{"finding-counts-rule-30d", func(e *coachingEnv, r *rand.Rand) (int, error) {
		from, to := window(r, 30)
		c, err := e.st.FindingCounts(context.Background(), desk.CoachingQuery{Rule: "weak-word", From: from, To: to})
		return len(c), err
	}},
	{"finding-counts-agent-90d", func(e *coachingEnv, r *rand.Rand) (int, error) {
		from, to := window(r, 90)
		c, err := e.st.FindingCounts(context.Background(), desk.CoachingQuery{AgentID: e.agent(r), From: from, To: to})
		return len(c), err
	}},
	{"finding-counts-all-30d", func(e *coachingEnv, r *rand.Rand) (int, error) {
		from, to := window(r, 30)
		c, err := e.st.FindingCounts(context.Background(), desk.CoachingQuery{From: from, To: to})
		return len(c), err
	}},
	{"agent-coaching-30d", func(e *coachingEnv, r *rand.Rand) (int, error) {
		from, to := window(r, 30)
		c, err := e.st.AgentCoaching(context.Background(), desk.CoachingQuery{From: from, To: to})
		return len(c), err
	}},
	{"coached-replies-agent-rule", func(e *coachingEnv, r *rand.Rand) (int, error) {
		rule := benchRules[r.IntN(len(benchRules))].id
		c, err := e.st.CoachedReplies(context.Background(), desk.CoachingQuery{AgentID: e.agent(r), Rule: rule})
		return len(c), err
	}},
	{"coached-replies-rare-rule-30d", func(e *coachingEnv, r *rand.Rand) (int, error) {
		from, to := window(r, 30)
		c, err := e.st.CoachedReplies(context.Background(), desk.CoachingQuery{Rule: "escalation", From: from, To: to})
		return len(c), err
	}},
	{"coached-replies-newest", func(e *coachingEnv, r *rand.Rand) (int, error) {
		c, err := e.st.CoachedReplies(context.Background(), desk.CoachingQuery{})
		return len(c), err
	}},
}

// BenchmarkCoaching times each lead query on its own and reports its median and 99th percentile.
// Run with -benchtime=300x (or more) so the 99th percentile rests on enough calls.
func BenchmarkCoaching(b *testing.B) {
	n := repliesSize()
	timeOps(b, openCoaching(b, coachingPath(n), n), coachingOps)
}

// timeOps runs each op as its own sub-benchmark and reports its median, 99th percentile and maximum.
func timeOps(b *testing.B, e *coachingEnv, ops []coachingOp) {
	for _, o := range ops {
		b.Run(o.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			if _, err := o.run(e, r); err != nil { // warm up: the first call pays for connections and pages
				b.Fatal(err)
			}
			durations := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				got, err := o.run(e, r)
				durations = append(durations, time.Since(start))
				if err != nil || got == 0 {
					b.Fatalf("%s: %d rows, %v", o.name, got, err)
				}
			}
			b.StopTimer()
			slices.Sort(durations)
			b.ReportMetric(ms(quantile(durations, 0.50)), "p50-ms")
			b.ReportMetric(ms(quantile(durations, 0.99)), "p99-ms")
			b.ReportMetric(ms(durations[len(durations)-1]), "max-ms")
		})
	}
}

// TestCoachingHarness seeds a small database, runs every benchmarked query once and checks the
// whole-year totals against what the generator wrote.
func TestCoachingHarness(t *testing.T) {
	ctx := context.Background()
	e := openCoaching(t, filepath.Join(t.TempDir(), "coaching.db"), 3001)
	r := rand.New(rand.NewPCG(1, 2))
	for _, o := range coachingOps {
		if got, err := o.run(e, r); err != nil || got == 0 {
			t.Fatalf("%s: %d rows, %v", o.name, got, err)
		}
	}
	counts, err := e.st.FindingCounts(ctx, desk.CoachingQuery{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range counts {
		total += c.Findings
		if c.Findings != e.tally.perRule[c.Rule] {
			t.Errorf("rule %s: %d findings, generated %d", c.Rule, c.Findings, e.tally.perRule[c.Rule])
		}
	}
	agents, err := e.st.AgentCoaching(ctx, desk.CoachingQuery{})
	if err != nil {
		t.Fatal(err)
	}
	replies := 0
	for _, a := range agents {
		replies += a.Replies
	}
	if total != e.tally.findings || replies != e.tally.replies || replies != 3001 {
		t.Fatalf("stored %d findings on %d replies, generated %d on %d", total, replies, e.tally.findings, e.tally.replies)
	}
}
