package live

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"
)

// sendBatch bounds the payloads sent in one statement.
const sendBatch = 100

// send notifies the outbox's payloads in order on its own connection (the listener's is busy
// waiting); a payload that fails is tried again on a new connection, so none is lost to a drop.
func (p *Postgres) send(conn *pgx.Conn) {
	defer p.wg.Done()
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	for {
		payloads, resync, done := p.out.next(sendBatch)
		if done {
			return
		}
		if len(payloads) == 0 && !resync {
			select {
			case <-p.out.wake:
				continue
			case <-p.sendCtx.Done():
				return
			}
		}
		if conn == nil {
			if conn = p.reconnect(p.sendCtx, p.connectSender); conn == nil {
				return
			}
		}
		var err error
		if resync {
			// Some payloads never went out: everyone refetches, and hears our viewers afresh.
			if err = p.notify(conn, []string{encodeOp(p.instance, opResync)}); err == nil {
				p.announceAll()
			} else {
				p.out.resyncFailed()
			}
		} else if err = p.notify(conn, payloads); err == nil {
			p.out.sent(len(payloads))
		}
		if err != nil {
			if p.sendCtx.Err() != nil {
				return
			}
			slog.Warn("live: could not notify; reconnecting", "err", err)
			conn.Close(context.Background())
			conn = nil
		}
	}
}

func (p *Postgres) connectSender(ctx context.Context) (*pgx.Conn, error) {
	return pgx.ConnectConfig(ctx, p.sendCf)
}

// notify sends the payloads in order in one statement: one commit for a burst, not one each.
// (PostgreSQL folds identical payloads of one transaction into one; ours are safe to fold.)
func (p *Postgres) notify(conn *pgx.Conn, payloads []string) error {
	_, err := conn.Exec(p.sendCtx,
		"SELECT pg_notify($1, u.payload) FROM unnest($2::text[]) WITH ORDINALITY AS u(payload, n) ORDER BY u.n",
		channel, payloads)
	return err
}
