package live

import (
	"time"
)

// setRemote records what instance from says about its viewers of some tickets, and hands each
// ticket's viewers on all other instances to the hub.
func (p *Postgres) setRemote(from string, entries []presenceEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	until := time.Now().Add(p.timing.expire)
	for _, e := range entries {
		byInstance := p.remote[e.TicketID]
		if len(e.Viewers) == 0 {
			delete(byInstance, from)
		} else {
			if byInstance == nil {
				byInstance = make(map[string]remoteViewers)
				p.remote[e.TicketID] = byInstance
			}
			byInstance[from] = remoteViewers{viewers: e.Viewers, until: until}
		}
		p.pushRemoteLocked(e.TicketID, e.Actor)
	}
}

// forget drops every viewer of instance from (it said goodbye).
func (p *Postgres) forget(from string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, byInstance := range p.remote {
		if _, ok := byInstance[from]; ok {
			delete(byInstance, from)
			p.pushRemoteLocked(id, Viewer{})
		}
	}
}

// expire drops the viewers that their instance did not refresh in time (it died or lost the database).
func (p *Postgres) expire(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, byInstance := range p.remote {
		changed := false
		for from, rv := range byInstance {
			if now.After(rv.until) {
				delete(byInstance, from)
				changed = true
			}
		}
		if changed {
			p.pushRemoteLocked(id, Viewer{})
		}
	}
}

// pushRemoteLocked hands the hub the ticket's viewers on other instances; the ticket's entry goes
// with its last one.
func (p *Postgres) pushRemoteLocked(ticketID int64, actor Viewer) {
	var vs []Viewer
	for _, rv := range p.remote[ticketID] {
		vs = append(vs, rv.viewers...)
	}
	if len(vs) == 0 {
		delete(p.remote, ticketID)
	}
	p.hub.setRemote(ticketID, sortViewers(vs), actor)
}

// refreshLoop announces this instance's viewers and expires the others' silent ones, until Close.
func (p *Postgres) refreshLoop() {
	defer p.wg.Done()
	tick := time.NewTicker(p.timing.refresh)
	defer tick.Stop()
	for {
		select {
		case now := <-tick.C:
			p.announceAll()
			p.expire(now)
		case <-p.ctx.Done():
			return
		}
	}
}
