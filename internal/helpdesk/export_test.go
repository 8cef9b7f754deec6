package helpdesk

import "time"

// ExpireGate ages the gate's copy past gateRefresh, as a minute's wait would.
func (s *Service) ExpireGate() {
	s.gate.mu.Lock()
	s.gate.loaded = time.Now().Add(-2 * gateRefresh)
	s.gate.mu.Unlock()
}
