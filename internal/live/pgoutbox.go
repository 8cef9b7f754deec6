package live

import "sync"

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

// peek is the next payload to send, and whether payloads were dropped before it; done is true
// once the outbox is closed and empty.
func (o *outbox) peek() (payload string, dropped, ok, done bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.queue) == 0 {
		return "", o.dropped, false, o.closed
	}
	return o.queue[0], o.dropped, true, false
}

// sent removes the payload peek returned, once it is in the database.
func (o *outbox) sent() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.queue) > 0 {
		o.queue[0] = ""
		o.queue = o.queue[1:]
	}
}

// resynced clears the dropped mark once opResync went out.
func (o *outbox) resynced() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.dropped = false
}
