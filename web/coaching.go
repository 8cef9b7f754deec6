package web

import (
	"encoding/json"

	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
)

// parseMarks reads the composer's "not helpful here" marks; marks are feedback, so unreadable ones are dropped, not refused.
func parseMarks(raw string) []helpdesk.Mark {
	var marks []helpdesk.Mark
	if raw == "" || json.Unmarshal([]byte(raw), &marks) != nil {
		return nil
	}
	return marks
}

// lastMessageID is the newest message on a thread; the composer sends it back for the collision check.
func lastMessageID(thread []desk.Message) int64 {
	if len(thread) == 0 {
		return 0
	}
	return thread[len(thread)-1].ID
}
