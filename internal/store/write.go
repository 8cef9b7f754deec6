package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Every write goes through one goroutine that owns the writer connection. It takes whatever writes
// are waiting, runs each in its own SAVEPOINT inside one transaction and answers them all after the
// one COMMIT: concurrent writers share an fsync instead of queueing for one each.

// Request states: the writer starts a request only if its caller still waits for it.
const (
	reqQueued int32 = iota
	reqStarted
	reqAbandoned
)

type writeReq struct {
	ctx   context.Context
	fn    func(tx *gorm.DB) error
	state atomic.Int32
	done  chan error // buffered: the writer never waits for a caller
	at    time.Time  // when it was queued, for the wait the metrics show
}

type writer struct {
	db       *gorm.DB
	queue    chan *writeReq
	waiting  atomic.Int64 // admitted and not yet answered
	commits  atomic.Int64 // transactions committed, for tests and benchmarks
	wait     waitHook     // told each write's time in the queue (stats.go)
	max      int          // more waiting than this and a write is refused at once
	maxBatch int
	faults   *faultLog
	reset    func() // drops the writer connection so the next write opens a fresh one
	reopen   bool   // a fault asked for reset once the transaction is over; the loop's own

	mu      sync.RWMutex // held for reading while sending, so Close never strands a request
	closed  bool
	quit    chan struct{}
	stopped chan struct{}
}

var errClosed = errors.New("store: closed")

func newWriter(db *gorm.DB, maxQueue, maxBatch int, faults *faultLog, reset func()) *writer {
	w := &writer{db: db, queue: make(chan *writeReq, maxQueue), max: maxQueue, maxBatch: maxBatch,
		faults: faults, reset: reset, quit: make(chan struct{}), stopped: make(chan struct{})}
	go w.loop()
	return w
}

// write runs fn in a transaction on the writer and returns once its work is committed (nil) or
// undone (fn's error, or why the database could not take it). fn runs once, in its own savepoint
// beside other callers' writes: it sees its own writes and those committed or run before it, and
// its error undoes only its own. A caller that gives up before fn started is never run; once fn has
// started, the caller waits for the commit, so a write that returned ctx.Err() did not happen.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.wq.do(ctx, fn)
}

func (w *writer) do(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if w.waiting.Add(1) > int64(w.max) {
		w.waiting.Add(-1)
		w.faults.note(faultShed, nil)
		return &Unavailable{Busy: true, cause: errQueueFull}
	}
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan error, 1), at: time.Now()}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		w.waiting.Add(-1)
		return errClosed
	}
	w.queue <- r // never blocks: the buffer holds every admitted request
	w.mu.RUnlock()
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if r.state.CompareAndSwap(reqQueued, reqAbandoned) {
			return ctx.Err()
		}
		return <-r.done // already running: its commit decides, and the caller hears which
	}
}

func (w *writer) close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	close(w.quit)
	w.mu.Unlock()
	<-w.stopped
}

func (w *writer) loop() {
	defer close(w.stopped)
	for {
		select {
		case <-w.quit:
			for {
				select {
				case r := <-w.queue:
					w.answer(r, errClosed)
				default:
					return
				}
			}
		case r := <-w.queue:
			batch := w.collect(r)
			for len(batch) > 0 {
				batch = w.commit(batch)
			}
		}
	}
}

// collect takes the writes already waiting behind first, up to a batch.
func (w *writer) collect(first *writeReq) []*writeReq {
	batch := []*writeReq{first}
	for len(batch) < w.maxBatch {
		select {
		case r := <-w.queue:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// answer tells a caller how its write ended; an abandoned request is only counted off.
func (w *writer) answer(r *writeReq, err error) {
	if r.state.Load() != reqAbandoned {
		r.done <- err
	}
	w.waiting.Add(-1)
}

// commit runs batch in one transaction and answers it. If SQLite gave up the whole transaction
// midway, the writes that had not started yet are returned to run in the next one.
func (w *writer) commit(batch []*writeReq) (rest []*writeReq) {
	defer w.reopenIfAsked()
	tx := w.db.Session(&gorm.Session{NewDB: true, Context: context.Background()}).Begin()
	if tx.Error != nil {
		err := w.fault(tx.Error)
		for _, r := range batch {
			w.start(r)
			w.answer(r, err)
		}
		return nil
	}
	var ran []*writeReq // written, waiting for the COMMIT
	for i, r := range batch {
		if !w.start(r) {
			w.answer(r, nil)
			continue
		}
		sp := fmt.Sprintf("w%d", i)
		err := tx.Exec("SAVEPOINT " + sp).Error
		if err == nil {
			err = run(tx.WithContext(context.WithoutCancel(r.ctx)), r.fn)
			if err == nil {
				err = tx.Exec("RELEASE " + sp).Error
				if err == nil {
					ran = append(ran, r)
					continue
				}
			}
			if rb := tx.Exec("ROLLBACK TO " + sp).Error; rb == nil {
				tx.Exec("RELEASE " + sp)
				w.answer(r, w.fault(err))
				continue
			}
		}
		// The transaction is gone (SQLite rolls it back on a full disk or I/O error): what it held is undone.
		tx.Rollback()
		err = w.fault(err)
		w.answer(r, err)
		for _, done := range ran {
			w.answer(done, err)
		}
		return batch[i+1:]
	}
	if len(ran) == 0 {
		tx.Rollback() // nothing to keep: no fsync, and no sign of health either
		return nil
	}
	err := tx.Commit().Error
	if err != nil {
		tx.Rollback()
		err = w.fault(err)
	}
	for _, r := range ran {
		w.answer(r, err)
	}
	if err == nil {
		w.commits.Add(1)
		w.faults.clear()
	}
	return nil
}

// start claims r for running; false when its caller stopped waiting before it began.
func (w *writer) start(r *writeReq) bool {
	ok := r.state.CompareAndSwap(reqQueued, reqStarted)
	if ok {
		w.wait.observe(r.at)
	}
	return ok
}

// fault turns a failed transaction into the caller's error, logs it (rarely) and reopens the
// connection when SQLite opened it read-only, so a file made writable again works at once.
func (w *writer) fault(err error) error {
	err = classify(err)
	var u *Unavailable
	if errors.As(err, &u) {
		w.faults.note(u.kind, u.cause)
		w.reopen = w.reopen || u.reopen
	}
	return err
}

func (w *writer) reopenIfAsked() {
	if w.reopen {
		w.reopen = false
		w.reset()
	}
}

// run calls fn, turning a panic into an error so one caller cannot take the writer down.
func run(tx *gorm.DB, fn func(tx *gorm.DB) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: write panicked: %v", p)
		}
	}()
	return fn(tx)
}
