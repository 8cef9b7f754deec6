package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/live"
	"coachdesk/internal/mail"
	"coachdesk/internal/store"
)

func mailboxCmd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("mailbox: use 'coachdesk mailbox add --address …', 'mailbox list' or 'mailbox remove ID'")
	}
	switch args[0] {
	case "add", "set":
		return mailboxSave(ctx, args[0], args[1:], stdin, stdout, stderr)
	case "list":
		return mailboxList(ctx, args[1:], stdout, stderr)
	case "remove":
		return mailboxRemove(ctx, args[1:], stdout, stderr)
	}
	return usagef("mailbox: unknown subcommand %q: use add, set, list or remove", args[0])
}

// mailboxSave adds a mailbox (add) or replaces one's settings (set ID). Passwords never go on the
// command line: --imap-password-stdin and --smtp-password-stdin read them, one line each, in that order.
func mailboxSave(ctx context.Context, verb string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var id int64
	if verb == "set" {
		if len(args) == 0 {
			return usagef("mailbox set: give the mailbox's ID first (see 'coachdesk mailbox list')")
		}
		var err error
		if id, err = strconv.ParseInt(args[0], 10, 64); err != nil {
			return usagef("mailbox set: %q is not a mailbox ID", args[0])
		}
		args = args[1:]
	}
	fs, db := flags("mailbox "+verb, stderr)
	address := fs.String("address", "", "the support address customers write to")
	name := fs.String("name", "", "the name in From, e.g. Kundeservice")
	imapHost := fs.String("imap-host", "", "the IMAP server to poll (empty: mail comes through the SMTP listener)")
	imapPort := fs.Int("imap-port", 0, "IMAP port (993 for tls, 143 for starttls)")
	imapSec := fs.String("imap-security", "tls", "tls, starttls or none")
	imapUser := fs.String("imap-user", "", "IMAP user name")
	imapFolder := fs.String("imap-folder", "INBOX", "the folder to take mail from")
	imapDone := fs.String("imap-done", "", "move taken mail to this folder (empty: flag it and leave it)")
	imapPass := fs.Bool("imap-password-stdin", false, "read the IMAP password from the first line of stdin")
	smtpHost := fs.String("smtp-host", "", "the SMTP server replies leave through")
	smtpPort := fs.Int("smtp-port", 0, "SMTP port (587 for starttls, 465 for tls)")
	smtpSec := fs.String("smtp-security", "starttls", "starttls, tls or none")
	smtpUser := fs.String("smtp-user", "", "SMTP user name")
	smtpPass := fs.Bool("smtp-password-stdin", false, "read the SMTP password from the next line of stdin")
	inactive := fs.Bool("inactive", false, "keep it, but take and send no mail")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *address == "" {
		return usagef("mailbox %s: --address is required", verb)
	}
	in := desk.MailboxInput{Address: *address, Name: *name, Active: !*inactive,
		IMAPHost: *imapHost, IMAPPort: *imapPort, IMAPSecurity: *imapSec, IMAPUser: *imapUser, IMAPFolder: *imapFolder, IMAPDone: *imapDone,
		SMTPHost: *smtpHost, SMTPPort: *smtpPort, SMTPSecurity: *smtpSec, SMTPUser: *smtpUser}
	r := bufio.NewReader(stdin)
	readLine := func(what string) (string, error) {
		line, _ := r.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", usagef("mailbox %s: no %s password on stdin", verb, what)
		}
		return line, nil
	}
	var err error
	if *imapPass {
		if in.IMAPPassword, err = readLine("IMAP"); err != nil {
			return err
		}
	}
	if *smtpPass {
		if in.SMTPPassword, err = readLine("SMTP"); err != nil {
			return err
		}
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	sealer, err := mail.NewSealer(os.Getenv("COACHDESK_SECRET_KEY"))
	if err != nil {
		return err
	}
	m := helpdesk.NewMail(helpdesk.New(st, live.Discard, coach.Default()), sealer, nil)
	box, err := m.SaveMailbox(ctx, id, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mailbox %d: %s saved\n", box.ID, box.Address)
	return nil
}

func mailboxList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, db := flags("mailbox list", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	boxes, err := st.Mailboxes(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tADDRESS\tIN\tOUT\tACTIVE")
	for _, b := range boxes {
		in := "smtp listener"
		if b.IMAPHost != "" {
			in = fmt.Sprintf("imap %s@%s:%d %s%s", b.IMAPUser, b.IMAPHost, b.IMAPPort, b.IMAPSecurity, secretMark(b.HasIMAPSecret))
		}
		out := "-"
		if b.SMTPHost != "" {
			out = fmt.Sprintf("smtp %s:%d %s%s", b.SMTPHost, b.SMTPPort, b.SMTPSecurity, secretMark(b.HasSMTPSecret))
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%t\n", b.ID, b.Address, in, out, b.Active)
	}
	return w.Flush()
}

func secretMark(set bool) string {
	if set {
		return " (password stored)"
	}
	return ""
}

func mailboxRemove(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("mailbox remove: give the mailbox's ID first (see 'coachdesk mailbox list')")
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usagef("mailbox remove: %q is not a mailbox ID", args[0])
	}
	fs, db := flags("mailbox remove", stderr)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.DeleteMailbox(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mailbox %d removed\n", id)
	return nil
}
