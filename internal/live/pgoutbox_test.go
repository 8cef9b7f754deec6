package live

import (
	"fmt"
	"testing"
)

func TestOutboxOverflowResyncsOnce(t *testing.T) {
	o := newOutbox()
	for i := range outboxSize + 10 {
		o.push(fmt.Sprint(i))
	}
	if payloads, resync, _ := o.next(sendBatch); !resync || payloads != nil {
		t.Fatalf("after an overflow next = %d payloads, resync %v; want the resync", len(payloads), resync)
	}
	// The resync covers what was queued; what comes after it goes out as usual, and does not
	// overflow again (a resync that kept the full queue would repeat forever).
	o.push("presence")
	if payloads, resync, _ := o.next(sendBatch); resync || len(payloads) != 1 || payloads[0] != "presence" {
		t.Fatalf("after the resync next = %v, resync %v", payloads, resync)
	}
	o.sent(1)
	o.resyncFailed()
	if _, resync, _ := o.next(sendBatch); !resync {
		t.Fatal("a resync that failed is not asked for again")
	}
	o.push("a")
	o.pushFinal("bye")
	o.push("late") // after the goodbye: ignored
	if payloads, _, done := o.next(sendBatch); done || len(payloads) != 2 || payloads[1] != "bye" {
		t.Fatalf("next = %v, done %v", payloads, done)
	}
	o.sent(2)
	if _, _, done := o.next(sendBatch); !done {
		t.Fatal("a closed, empty outbox is not done")
	}
}
