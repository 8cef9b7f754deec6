package bench

import (
	"context"
	"database/sql"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the verdicts are seeded in bulk, beside the store

	"coachdesk/internal/desk"
)

// The team lead's review at scale: the queue page (first page and its counts), a filtered page, the
// precision table and the 90-day dashboard, on the coaching database of coaching_bench_test.go with
// a lead's verdicts on one finding in 50 (80 % confirmed) and a dispute on one in 20 of those.

func openReview(tb testing.TB, path string, n int) *coachingEnv {
	tb.Helper()
	e := openCoaching(tb, path, n)
	ctx := context.Background()
	defer func() { e.agents = agentsOnly(tb, e) }() // the lead has no replies to pick
	if _, err := os.Stat(path + ".reviewed"); err == nil {
		return e
	}
	lead, err := e.st.CreateUser(ctx, desk.User{Name: "Lead", Email: "lead@coachdesk.test", Role: desk.RoleLead, PasswordHash: "x"})
	if err != nil {
		tb.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO finding_verdicts (finding_id, message_id, rule, lang, pack_version, verdict, by_user_id, created_at)
			SELECT id, message_id, rule, 'da', 'da-1', CASE WHEN id % 10 < 8 THEN 'confirmed' ELSE 'false_positive' END, ?, created_at
			FROM coaching_findings WHERE id % 50 = 0`, []any{lead.ID}},
		{`INSERT INTO finding_disputes (finding_id, message_id, agent_id, reason, created_at, status)
			SELECT v.finding_id, v.message_id, f.agent_id, 'Not mine.', v.created_at, CASE WHEN v.finding_id % 3 = 0 THEN 'upheld' ELSE 'open' END
			FROM finding_verdicts v JOIN coaching_findings f ON f.id = v.finding_id WHERE v.verdict = 'confirmed' AND v.finding_id % 1000 = 0`, nil},
		{`UPDATE reply_coaching SET reviewed_by = ?, reviewed_at = created_at WHERE message_id IN (SELECT message_id FROM finding_verdicts)`, []any{lead.ID}},
		{`ANALYZE`, nil},
	} {
		if _, err := db.Exec(st.sql, st.args...); err != nil {
			tb.Fatalf("seed review: %v", err)
		}
	}
	tb.Logf("seeded verdicts and disputes in %s", time.Since(start).Round(time.Millisecond))
	if err := os.WriteFile(path+".reviewed", nil, 0o600); err != nil {
		tb.Fatal(err)
	}
	return e
}

func agentsOnly(tb testing.TB, e *coachingEnv) []int64 {
	users, err := e.st.Agents(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	var ids []int64
	for _, u := range users {
		if u.Role == desk.RoleAgent {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

var reviewOps = []coachingOp{
	{"queue-first-page", func(e *coachingEnv, r *rand.Rand) (int, error) {
		items, err := e.st.ReviewQueue(context.Background(), desk.ReviewFilter{SampleRate: 10})
		return len(items), err
	}},
	{"queue-page-counts", func(e *coachingEnv, r *rand.Rand) (int, error) {
		// The five counts the queue page shows beside its filters, side by side as the page asks for them.
		fs := []desk.ReviewFilter{{}, {Reviewed: "no"}, {Overridden: true}, {NotHelpful: true}, {Disputed: true}}
		for i := range fs {
			fs[i].SampleRate = 10
		}
		ns, err := e.st.ReviewCounts(context.Background(), fs)
		total := 0
		for _, n := range ns {
			total += n
		}
		return total, err
	}},
	{"queue-rule-agent", func(e *coachingEnv, r *rand.Rand) (int, error) {
		items, err := e.st.ReviewQueue(context.Background(), desk.ReviewFilter{SampleRate: 10, Rule: "blame", AgentID: e.agent(r)})
		return len(items), err
	}},
	{"precision", func(e *coachingEnv, r *rand.Rand) (int, error) {
		ps, err := e.st.Precision(context.Background())
		return len(ps), err
	}},
	{"dashboard-90d", func(e *coachingEnv, r *rand.Rand) (int, error) {
		from, to := window(r, 90)
		d, err := e.st.Dashboard(context.Background(), desk.DashboardQuery{From: from, To: to})
		return d.Team.Replies, err
	}},
	{"dashboard-90d-agent", func(e *coachingEnv, r *rand.Rand) (int, error) {
		from, to := window(r, 90)
		d, err := e.st.Dashboard(context.Background(), desk.DashboardQuery{AgentID: e.agent(r), From: from, To: to})
		return d.Team.Replies, err
	}},
}

// BenchmarkReview times each of the lead's review calls and reports its median and 99th percentile,
// after a floor: the bare SQL of the queue's first page on a plain connection to the same file.
func BenchmarkReview(b *testing.B) {
	n := repliesSize()
	path := coachingPath(n)
	e := openReview(b, path, n)
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	floor := coachingOp{"floor-queue-sql", func(*coachingEnv, *rand.Rand) (int, error) {
		rows, err := db.Query(`SELECT rc.message_id, t.number, t.subject, u.name FROM reply_coaching rc
			JOIN tickets t ON t.id = rc.ticket_id JOIN users u ON u.id = rc.agent_id
			WHERE rc.finding_count > 0 OR rc.sample < 10 ORDER BY rc.message_id DESC LIMIT 50`)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		got := 0
		for rows.Next() {
			got++
		}
		return got, rows.Err()
	}}
	timeOps(b, e, append([]coachingOp{floor}, reviewOps...))
}

// TestReviewHarness runs every review call once on a small database and checks they find data.
func TestReviewHarness(t *testing.T) {
	e := openReview(t, filepath.Join(t.TempDir(), "review.db"), 3001)
	r := rand.New(rand.NewPCG(1, 2))
	for _, o := range reviewOps {
		if got, err := o.run(e, r); err != nil || got == 0 {
			t.Fatalf("%s: %d rows, %v", o.name, got, err)
		}
	}
}
