package web_test

import "coachdesk/internal/desk"

// mailboxInput is a mailbox whose relay (port 1 on loopback) refuses every connection: replies stay queued.
func mailboxInput(address string) desk.MailboxInput {
	return desk.MailboxInput{Address: address, Active: true, SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: "none"}
}
