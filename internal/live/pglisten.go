package live

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
)

// connectListener opens the listening connection and LISTENs on the channel.
func (p *Postgres) connectListener(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, p.listenCf)
	if err != nil {
		return nil, fmt.Errorf("live: connect: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("live: listen: %w", err)
	}
	return conn, nil
}

// listen hands every notification to receive until Close; when the connection drops it
// reconnects with backoff and has every page here refetch what it may have missed.
func (p *Postgres) listen(conn *pgx.Conn) {
	defer p.wg.Done()
	for {
		err := p.receiveAll(conn)
		conn.Close(context.Background())
		if p.ctx.Err() != nil {
			return
		}
		slog.Warn("live: lost the database's notifications; reconnecting", "err", err)
		conn = p.reconnect(p.ctx, p.connectListener)
		if conn == nil {
			return // closed while reconnecting
		}
		slog.Info("live: listening again")
		p.hub.refetchAll()
		p.out.push(encodeOp(p.instance, opHello)) // the others' viewers may have expired meanwhile
	}
}

// receiveAll waits for notifications on conn and handles each until the connection fails.
func (p *Postgres) receiveAll(conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(p.ctx)
		if err != nil {
			return err
		}
		if m, ok := decode(n.Payload); ok && m.From != p.instance {
			p.receive(m)
		}
	}
}

// receive applies another instance's message here; this instance's own echoes never get here,
// since Publish already delivered them.
func (p *Postgres) receive(m message) {
	switch m.Op {
	case opEvent:
		if m.Event != nil {
			e := m.Event.Event
			e.Listed = m.Event.Listed
			p.hub.Publish(e)
		}
	case opPresence:
		p.setRemote(m.From, m.Presence)
	case opHello:
		p.announceAll()
	case opBye:
		p.forget(m.From)
	case opResync:
		p.hub.refetchAll()
	}
}

// reconnect calls connect until it succeeds, waiting longer after each failure; nil once ctx ends.
func (p *Postgres) reconnect(ctx context.Context, connect func(context.Context) (*pgx.Conn, error)) *pgx.Conn {
	wait := p.timing.minBackoff
	for {
		// Jitter keeps instances that lost the database together from returning in one burst.
		select {
		case <-time.After(wait/2 + rand.N(wait/2+1)):
		case <-ctx.Done():
			return nil
		}
		attempt, cancel := context.WithTimeout(ctx, 10*time.Second)
		conn, err := connect(attempt)
		cancel()
		if err == nil {
			return conn
		}
		if ctx.Err() != nil {
			return nil
		}
		slog.Debug("live: reconnect failed", "err", err)
		wait = min(2*wait, p.timing.maxBackoff)
	}
}
