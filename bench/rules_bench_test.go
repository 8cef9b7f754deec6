package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/rules"
	"coachdesk/internal/store"
)

// The backtest of a draft pack over the sent replies of the last 30 days: every reply read in pages
// and linted twice (the pack in use and the draft) on both cores. The replies are generated here,
// each a different mix of sentences, all in the backtest's default window.

func backtestSizes() []int {
	if s := os.Getenv("COACHDESK_BENCH_BACKTEST"); s != "" {
		var out []int
		for _, f := range strings.Split(s, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
				out = append(out, n)
			}
		}
		return out
	}
	return []int{50000}
}

// Sentences a reply is made of: greetings, acknowledgments, facts, weak words, questions, sign-offs.
var benchSentences = [][]string{
	{"Hej Jens.", "Hej Maria,", "Kære Birgitte.", "Goddag Per.", "Hej Ida"},
	{"Hvor ærgerligt, at pakken ikke er kommet.", "Jeg kan godt forstå, at du er frustreret.", "Tak for din besked.", "Det er desværre ikke muligt at ændre ordren nu.", "Jeg kan se, at du har ventet længe."},
	{"Din ordre blev sendt i går med GLS.", "Men vi kan ikke refundere fragten.", "Vi kan måske finde pakken i morgen.", "Du har tastet adressen forkert.", "Jeg har kontaktet fragtfirmaet for dig.", "Du må selv kontakte PostNord.", "Det sker tit, at browseren husker en gammel side.", "Jeg tror, den kommer på fredag."},
	{"Har du tjekket dit spamfilter?", "Hvad har du allerede prøvet?", "Prøv at genstarte appen.", "Kan du sende mig et billede af kvitteringen?", "Hvornår skete det første gang?", "Som jeg allerede har skrevet, er det ikke muligt!!"},
	{"Du hører fra mig senest i morgen kl. 12.", "Jeg følger selv sagen, til den er løst.", "Refusionen står på din konto inden for fem bankdage.", "Vi sender en ny pakke i dag."},
	{"Venlig hilsen Anna", "Mvh Mikkel", "De bedste hilsner Freja", ""},
}

func benchReplyText(r *rand.Rand) string {
	var parts []string
	for _, group := range benchSentences {
		for range 1 + r.IntN(2) {
			if s := group[r.IntN(len(group))]; s != "" {
				parts = append(parts, s)
			}
		}
	}
	return strings.Join(parts, " ")
}

func rulesDBPath(n int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("coachdesk-backtest-%d.db", n))
}

// openBacktest seeds path with n replies of the last 30 days unless a finished seed is there.
func openBacktest(tb testing.TB, n int) (*store.Store, string) {
	tb.Helper()
	path := rulesDBPath(n)
	st := seededDB(tb, path, func(st *store.Store) {
		start := time.Now()
		seedBacktest(tb, st, n)
		tb.Logf("seeded %d replies into %s in %s", n, path, time.Since(start).Round(time.Second))
	})
	return st, path
}

func seedBacktest(tb testing.TB, st *store.Store, n int) {
	ctx := context.Background()
	agents := benchAgents(tb, st, 20)
	r := rand.New(rand.NewPCG(13, 5))
	end := time.Now()
	begin := end.AddDate(0, 0, -29)
	tickets := (n + 1) / 2
	step := end.Sub(begin) / time.Duration(tickets)
	_, err := st.BulkLoad(ctx, store.BulkOptions{Mode: store.BulkDeferred, Optimize: true}, func(b *store.Bulk) error {
		cust, err := b.AddCustomer(store.BulkCustomer{Name: "Kunde", Email: "kunde@example.dk", CreatedAt: begin})
		if err != nil {
			return err
		}
		for i := range tickets {
			created := begin.Add(time.Duration(i) * step)
			agent := agents[r.IntN(len(agents))]
			number, err := b.AddTicket(&store.BulkTicket{Subject: "Hvor er min pakke?", Status: desk.StatusSolved, Priority: desk.PriorityNormal,
				AssigneeID: agent, CustomerID: cust, Channel: desk.ChannelEmail, CreatedAt: created, UpdatedAt: created.Add(time.Hour),
				Messages: []store.BulkMessage{{Body: "Hej, min pakke er ikke kommet.", CreatedAt: created}}})
			if err != nil {
				return err
			}
			var replies []store.BulkCoachedReply
			for j := range min(2, n-2*i) {
				replies = append(replies, store.BulkCoachedReply{Body: benchReplyText(r), Coaching: desk.Coaching{AgentID: agent, Lang: "da",
					PackVersion: "da-1", Score: 80, CreatedAt: created.Add(time.Duration(1+j) * time.Minute)}})
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
}

// backtestDraft is the Danish pack with "desværre" a weak word and "måske" not.
func backtestDraft(tb testing.TB) (*coach.Coach, *coach.Coach) {
	tb.Helper()
	ps, err := coach.DefaultPacks()
	if err != nil {
		tb.Fatal(err)
	}
	before, err := coach.New(ps[0])
	if err != nil {
		tb.Fatal(err)
	}
	ww := ps[0].Rules[coach.RuleWeakWord]
	ww.Entries[1].Words = []string{"muligvis", "forhåbentlig/adverb", "desværre"}
	after, err := coach.New(ps[0])
	if err != nil {
		tb.Fatal(err)
	}
	return before, after
}

// BenchmarkBacktest runs the backtest over n replies (COACHDESK_BENCH_BACKTEST=50000,500000) and,
// as its floor, the bare read of the same replies' texts on a plain connection.
func BenchmarkBacktest(b *testing.B) {
	before, after := backtestDraft(b)
	for _, n := range backtestSizes() {
		st, path := openBacktest(b, n)
		b.Run(fmt.Sprintf("floor-read-%d", n), func(b *testing.B) {
			db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			for b.Loop() {
				rows, err := db.Query(`SELECT m.body FROM reply_coaching rc JOIN messages m ON m.id = rc.message_id WHERE rc.created_at >= ? AND rc.lang = 'da'`, time.Now().AddDate(0, 0, -30))
				if err != nil {
					b.Fatal(err)
				}
				var body string
				k := 0
				for rows.Next() {
					if err := rows.Scan(&body); err != nil {
						b.Fatal(err)
					}
					k++
				}
				rows.Close()
				if k != n {
					b.Fatalf("read %d replies, want %d", k, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/run")
		})
		b.Run(fmt.Sprintf("backtest-%d", n), func(b *testing.B) {
			var res *rules.BacktestResult
			for b.Loop() {
				var total, done atomic.Int64
				var err error
				res, err = rules.RunBacktest(context.Background(), st, before, after, "da", time.Now().AddDate(0, 0, -30), time.Now().Add(time.Minute), &total, &done)
				if err != nil {
					b.Fatal(err)
				}
				if res.Replies != n || int(done.Load()) != n {
					b.Fatalf("backtest read %d replies, want %d", res.Replies, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/run")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "replies/s")
			for _, d := range res.Rules {
				b.Logf("%s: %d → %d (+%d −%d, %d agents)", d.Rule, d.Before, d.After, d.Added, d.Removed, d.Agents)
			}
		})
	}
}

// TestBacktestHarness runs the backtest once over a small generated history (in every go test run).
func TestBacktestHarness(t *testing.T) {
	st, _ := store.Open(context.Background(), filepath.Join(t.TempDir(), "bt.db"))
	defer st.Close()
	seedBacktest(t, st, 400)
	before, after := backtestDraft(t)
	var total, done atomic.Int64
	res, err := rules.RunBacktest(context.Background(), st, before, after, "da", time.Now().AddDate(0, 0, -30), time.Now().Add(time.Minute), &total, &done)
	if err != nil {
		t.Fatal(err)
	}
	if res.Replies != 400 || len(res.Rules) != 1 || res.Rules[0].Rule != coach.RuleWeakWord || res.Rules[0].Added == 0 || res.Rules[0].Removed == 0 {
		t.Fatalf("result %+v", res)
	}
}
