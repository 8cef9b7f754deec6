package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/live"
	"coachdesk/internal/metrics"
	"coachdesk/templates"
)

// keepAlive is how often an idle event stream says it is still there, so proxies keep it open.
const keepAlive = 25 * time.Second

// ticketEvents streams what happens on a ticket to its open page, and counts the page as a viewer.
func (s *Server) ticketEvents(c echo.Context) error {
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	t, err := s.store.Ticket(c.Request().Context(), n)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	sub := s.desk.Events().Subscribe(t.ID, live.Viewer{UserID: u.ID, Name: u.Name})
	defer sub.Close()
	defer s.metrics.StreamOpened(metrics.StreamTicket)() // counted open now, closed on return
	return stream(c, sub, func(w *echo.Response, e live.Event) error {
		if e.Type == live.TypePresence {
			e.Viewers = others(e.Viewers, u.ID)
		}
		return writeEvent(w, e)
	})
}

// inboxEvents tells an open inbox that the ticket lists changed, naming no ticket: the page
// refetches its own list with its own query, so it shows only what this agent's inbox shows.
// ?since= is the number the page was rendered with; a reconnecting page sends the last event's id
// (Last-Event-ID), and either way one that missed a change hears an event at once.
func (s *Server) inboxEvents(c echo.Context) error {
	since, err := strconv.ParseUint(c.Request().Header.Get("Last-Event-ID"), 10, 64)
	if err != nil {
		since, _ = strconv.ParseUint(c.QueryParam("since"), 10, 64)
	}
	sub := s.desk.Events().SubscribeDesk(since)
	defer sub.Close()
	defer s.metrics.StreamOpened(metrics.StreamInbox)()
	return stream(c, sub, func(w *echo.Response, e live.Event) error {
		if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: {\"seq\":%d}\n\n", e.Seq, live.TypeInbox, e.Seq); err != nil {
			return err
		}
		w.Flush()
		return nil
	})
}

// stream answers with an event stream of sub's events, written by write, until the page goes away
// or the service closes the subscription (a.Desk.Close at shutdown).
func stream(c echo.Context, sub *live.Subscription, write func(*echo.Response, live.Event) error) error {
	ctx := c.Request().Context()
	w := c.Response()
	// The server's read timeout is for request bodies: a stream lasts as long as the page is open.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set(echo.HeaderCacheControl, "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	w.Flush() // the page knows it is connected before the first event
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": still here\n\n"); err != nil {
				return nil
			}
			w.Flush()
		case e, ok := <-sub.Events():
			if !ok {
				return nil
			}
			if err := write(w, e); err != nil {
				return nil
			}
		}
	}
}

func writeEvent(w *echo.Response, e live.Event) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", e.Type, data); err != nil {
		return err
	}
	w.Flush()
	return nil
}

// others is everyone viewing but the reader (an empty list goes out as no "viewers" at all: nobody else).
func others(viewers []live.Viewer, self int64) []live.Viewer {
	var out []live.Viewer
	for _, v := range viewers {
		if v.UserID != self {
			out = append(out, v)
		}
	}
	return out
}

// thread answers the conversation and the sidebar as they are now, for a page that heard an event;
// ?sidebar=0 leaves out the properties form the agent is in the middle of editing.
func (s *Server) thread(c echo.Context) error {
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	p, err := s.loadTicketPage(c, n)
	if err != nil {
		return err
	}
	p.OOB = true
	if c.QueryParam("sidebar") == "0" {
		return renderAll(c, http.StatusOK, templates.Thread(p), templates.AuditTrail(p.Events, true))
	}
	return renderAll(c, http.StatusOK, templates.Thread(p), templates.Properties(p), templates.AuditTrail(p.Events, true))
}
