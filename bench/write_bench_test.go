package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"coachdesk/internal/app"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/store"
)

// The write benchmarks run each operation from many goroutines at once against a fresh database,
// through the helpdesk service as the handlers call it, and beside them the floor: the same
// statements on a plain database/sql connection, one transaction per write, in the same run.
//
//	COACHDESK_BENCH_WRITE_DIR=/var/tmp go test -tags sqlite_fts5 -run '^$' -bench Write -benchtime=1x -timeout 30m ./bench/

// writeTimeout is how long a client waits for one write before giving up.
const writeTimeout = 10 * time.Second

const writeReplyBody = "Hej Jens\n\nTak for din besked, og undskyld ventetiden. Jeg har set på din ordre, og pakken er sendt i dag. " +
	"Du får et spor-nummer på mail i aften.\n\nVenlig hilsen\nAnna"

// writeRun is one measured load: ops operations from writers goroutines.
type writeRun struct {
	ops, writers int
	lat          []time.Duration
	ok, timeouts atomic.Int64
	shed, failed atomic.Int64
	elapsed      time.Duration
	cpu          time.Duration // the process's CPU time over the run: steadier than writes/s on a shared machine
	load         float64       // the machine's 1-minute load average at the end
	lost         int64
}

func (r *writeRun) report(b *testing.B) {
	slices.Sort(r.lat)
	pct := func(p float64) float64 {
		if len(r.lat) == 0 {
			return 0
		}
		return float64(r.lat[int(p*float64(len(r.lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(r.ok.Load())/r.elapsed.Seconds(), "writes/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(r.timeouts.Load()), "timeouts")
	b.ReportMetric(float64(r.shed.Load()), "shed")
	b.ReportMetric(float64(r.failed.Load()), "failed")
	b.ReportMetric(float64(r.lost), "lost")
	b.ReportMetric(float64(r.cpu.Microseconds())/1000/float64(max(r.ok.Load(), 1)), "cpu-ms/write")
	b.ReportMetric(r.load, "load1")
	b.ReportMetric(0, "ns/op")
}

// run calls op(worker, i) ops times from writers goroutines, each call with a client's timeout.
func (r *writeRun) run(op func(ctx context.Context, worker, i int) error) {
	r.lat = make([]time.Duration, r.ops)
	var next atomic.Int64
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for w := range r.writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= r.ops {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
				t0 := time.Now()
				err := op(ctx, w, i)
				r.lat[i] = time.Since(t0)
				cancel()
				switch {
				case err == nil:
					r.ok.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
					r.timeouts.Add(1)
				case desk.ErrorCode(err) == "unavailable":
					r.shed.Add(1)
				default:
					r.failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	r.elapsed, r.cpu, r.load = time.Since(start), cpuTime()-cpu0, loadAverage()
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the 1-minute load average, or 0 where /proc does not say.
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(raw))[0], 64)
	return f
}

// writeEnv is a fresh database with an agent and one ticket per writer.
type writeEnv struct {
	a       *app.App
	path    string
	agent   desk.User
	numbers []int64
}

// benchDir is a directory on a real disk, so fsync costs what it costs (not a tmpfs).
func benchDir(b *testing.B) string {
	dir := os.Getenv("COACHDESK_BENCH_WRITE_DIR")
	if dir == "" {
		return b.TempDir()
	}
	d, err := os.MkdirTemp(dir, "writes-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(d) })
	return d
}

func newWriteEnv(b *testing.B, opts store.Options, tickets int) *writeEnv {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(benchDir(b), "writes.db")
	a, err := app.Open(ctx, app.Config{DB: path, Store: opts})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Close() })
	hash, _ := bcrypt.GenerateFromPassword([]byte("bench-password"), bcrypt.MinCost)
	agent, err := a.Store.CreateUser(ctx, desk.User{Name: "Anna Agent", Email: "anna@bench.test", Role: desk.RoleAgent, PasswordHash: string(hash), Locale: "da"})
	if err != nil {
		b.Fatal(err)
	}
	e := &writeEnv{a: a, path: path, agent: agent}
	for i := range tickets {
		t, err := a.Store.CreateTicket(ctx, desk.NewTicket{Subject: fmt.Sprintf("Ordre %d er ikke kommet", 1000+i),
			Body: "Hej, min pakke er ikke kommet endnu. Hvor er den?", CustomerName: "Jens Hansen",
			CustomerEmail: fmt.Sprintf("jens%d@example.dk", i), Channel: desk.ChannelEmail, Language: "da"})
		if err != nil {
			b.Fatal(err)
		}
		e.numbers = append(e.numbers, t.Number)
	}
	return e
}

// count reads a number from the file itself on a connection of its own.
func (e *writeEnv) count(b *testing.B, query string) int64 {
	db, err := sql.Open("sqlite3", "file:"+e.path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow(query).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

var writeLoads = []struct{ writers, ops int }{{50, 3000}, {200, 6000}}

// writeModes are the write path as it was (one transaction per write, synchronous NORMAL) and as it
// is (concurrent writes grouped into one transaction, synchronous FULL), side by side in one run.
var writeModes = []struct {
	name string
	opts store.Options
}{
	{"serial-normal", store.Options{Sync: "normal", MaxBatch: 1}},
	{"group-full", store.Options{}},
}

// eachLoad runs bench once per write mode and load, as writers-N/<mode>.
func eachLoad(b *testing.B, bench func(b *testing.B, opts store.Options, writers, ops int)) {
	for _, load := range writeLoads {
		for _, mode := range writeModes {
			b.Run(fmt.Sprintf("writers-%d/%s", load.writers, mode.name), func(b *testing.B) {
				for range b.N {
					bench(b, mode.opts, load.writers, load.ops)
				}
			})
		}
	}
}

func BenchmarkWriteNote(b *testing.B) {
	eachLoad(b, func(b *testing.B, opts store.Options, writers, ops int) {
		e := newWriteEnv(b, opts, writers)
		before := e.count(b, "SELECT count(*) FROM messages")
		r := &writeRun{ops: ops, writers: writers}
		r.run(func(ctx context.Context, w, i int) error {
			_, err := e.a.Desk.Send(ctx, helpdesk.Outgoing{Number: e.numbers[w], Agent: e.agent, Kind: desk.KindNote,
				Body: fmt.Sprintf("Intern note %d: kunden har ringet igen om pakken.", i)})
			return err
		})
		r.lost = r.ok.Load() - (e.count(b, "SELECT count(*) FROM messages") - before)
		r.report(b)
	})
}

func BenchmarkWriteReply(b *testing.B) {
	eachLoad(b, func(b *testing.B, opts store.Options, writers, ops int) {
		e := newWriteEnv(b, opts, writers)
		before := e.count(b, "SELECT count(*) FROM messages")
		r := &writeRun{ops: ops, writers: writers}
		r.run(func(ctx context.Context, w, i int) error {
			_, err := e.a.Desk.Send(ctx, helpdesk.Outgoing{Number: e.numbers[w], Agent: e.agent, Kind: desk.KindReply,
				Body: writeReplyBody, Lang: "da", OverrideReason: "benchmark"})
			return err
		})
		r.lost = r.ok.Load() - (e.count(b, "SELECT count(*) FROM messages") - before)
		r.report(b)
	})
}

// BenchmarkWriteStatus flips each writer's own ticket between open and pending, one event each.
func BenchmarkWriteStatus(b *testing.B) {
	eachLoad(b, func(b *testing.B, opts store.Options, writers, ops int) {
		e := newWriteEnv(b, opts, writers)
		before := e.count(b, "SELECT count(*) FROM ticket_events")
		r := &writeRun{ops: ops, writers: writers}
		flips := make([]int, writers)
		r.run(func(ctx context.Context, w, i int) error {
			status := desk.StatusPending
			if flips[w]%2 == 1 {
				status = desk.StatusOpen
			}
			_, err := e.a.Desk.ChangeTicket(ctx, e.numbers[w], e.agent, desk.Change{Status: &status})
			if err == nil {
				flips[w]++
			}
			return err
		})
		r.lost = r.ok.Load() - (e.count(b, "SELECT count(*) FROM ticket_events") - before)
		r.report(b)
	})
}

// BenchmarkWriteFloor is the bare-SQLite floor: a note's statements (find the ticket, insert the
// message, touch the ticket) in one transaction per write on a plain database/sql
// connection with the store's pragmas, at both synchronous settings.
func BenchmarkWriteFloor(b *testing.B) {
	for _, sync := range []string{"NORMAL", "FULL"} {
		for _, load := range writeLoads {
			b.Run(fmt.Sprintf("sync-%s/writers-%d", sync, load.writers), func(b *testing.B) {
				for range b.N {
					e := newWriteEnv(b, store.Options{}, load.writers)
					db := floorDB(b, e.path, sync)
					before := e.count(b, "SELECT count(*) FROM messages")
					r := &writeRun{ops: load.ops, writers: load.writers}
					r.run(func(ctx context.Context, w, i int) error {
						return floorNote(ctx, db, e.numbers[w], e.agent.ID, fmt.Sprintf("Intern note %d: kunden har ringet igen om pakken.", i))
					})
					r.lost = r.ok.Load() - (e.count(b, "SELECT count(*) FROM messages") - before)
					r.report(b)
				}
			})
		}
	}
}

func floorDB(b *testing.B, path, sync string) *sql.DB {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", sync)
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-20000")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	return db
}

func floorNote(ctx context.Context, db *sql.DB, number, userID int64, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	var ticketID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM tickets WHERE number = ?`, number).Scan(&ticketID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO messages (ticket_id, author_user_id, kind, format, body, created_at) VALUES (?, ?, 'note', 'text', ?, ?)`,
		ticketID, userID, body, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE tickets SET updated_at = ? WHERE id = ?`, now, ticketID); err != nil {
		return err
	}
	return tx.Commit()
}
