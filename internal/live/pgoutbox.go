package live

import (
	"slices"
	"sync"
)

// outboxSize bounds the notifications waiting while the database is away; beyond it the oldest
// are dropped and the other instances are told to refetch everything instead.
const outboxSize = 1024

// outbox queues payloads for the sender, so Publish never waits for the database.
type outbox struct {
	mu      sync.Mutex
	queue   []string
	dropped bool // payloads were lost: send opResync before the rest
	closed  bool // no more pushes; the sender drains what is left
	wake    chan struct{}
}

func newOutbox() *outbox { return &outbox{wake: make(chan struct{}, 1)} }

// push queues a payload without blocking; after close it does nothing.
func (o *outbox) push(payloads ...string) {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return
	}
	o.queue = append(o.queue, payloads...)
	if n := len(o.queue) - outboxSize; n > 0 {
		clear(o.queue[:n])
		o.queue = o.queue[n:]
		o.dropped = true
	}
	o.mu.Unlock()
	o.signal()
}

// pushFinal queues the last payload (a goodbye) and closes the outbox.
func (o *outbox) pushFinal(payload string) {
	o.mu.Lock()
	if !o.closed {
		o.queue = append(o.queue, payload)
		o.closed = true
	}
	o.mu.Unlock()
	o.signal()
}

func (o *outbox) signal() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// peek is up to max payloads to send next, and whether payloads were dropped before them; done
// is true once the outbox is closed and empty.
func (o *outbox) peek(max int) (payloads []string, dropped, done bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := min(max, len(o.queue))
	return slices.Clone(o.queue[:n]), o.dropped, n == 0 && o.closed
}

// sent removes the n payloads peek returned, once they are in the database.
func (o *outbox) sent(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n = min(n, len(o.queue))
	clear(o.queue[:n])
	o.queue = o.queue[n:]
}

// resynced clears the dropped mark once opResync went out.
func (o *outbox) resynced() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.dropped = false
}
