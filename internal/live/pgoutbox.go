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
	dropped bool // payloads were lost: send opResync instead of the rest
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

// next is up to max payloads to send, or resync when payloads were dropped: then the queue is
// emptied, since the refetch everywhere covers what it held (only a final goodbye stays). done
// is true once the outbox is closed and empty.
func (o *outbox) next(max int) (payloads []string, resync, done bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dropped {
		o.dropped = false
		keep := 0
		if o.closed && len(o.queue) > 0 {
			keep = 1
		}
		n := len(o.queue) - keep
		clear(o.queue[:n])
		o.queue = o.queue[n:]
		return nil, true, false
	}
	n := min(max, len(o.queue))
	return slices.Clone(o.queue[:n]), false, n == 0 && o.closed
}

// sent removes the n payloads next returned, once they are in the database.
func (o *outbox) sent(n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n = min(n, len(o.queue))
	clear(o.queue[:n])
	o.queue = o.queue[n:]
}

// resyncFailed asks for the resync again: it did not reach the database.
func (o *outbox) resyncFailed() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.dropped = true
}
