package mail

import (
	"html"
	"regexp"
	"strings"
)

// Lines that start the quoted history below a reply, in the languages our customers write and
// from the mail programs they use ("On … wrote:", "Den … skrev …:", Outlook's header block).
var quoteHeads = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^\s*(on|den|på|am|le)\s.{4,300}\b(wrote|skrev|schrieb|a écrit)\b.{0,200}:\s*$`),
	regexp.MustCompile(`(?i)^\s*-{2,}\s*(original message|oprindelig meddelelse|opprinnelig melding|ursprungligt meddelande|forwarded message|videresendt meddelelse)\s*-{2,}\s*$`),
	regexp.MustCompile(`(?i)^\s*(from|fra|från)\s*:\s*.+@.+$`),
}

// CutQuoted splits a plain reply into what the customer wrote now and the quoted history below it.
// The history is cut only where a quote begins and nothing new follows it but more quote, so an
// answer written between quoted lines is kept whole.
func CutQuoted(text string) (reply, quoted string) {
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i, l := range lines {
		if k := quoteHead(l); k == 0 && restIsQuote(lines[i+1:]) || k > 0 {
			cut = i
			break
		}
	}
	if cut == len(lines) {
		// No head line: a trailing run of ">" lines is still history.
		j := len(lines)
		for j > 0 && (strings.HasPrefix(strings.TrimSpace(lines[j-1]), ">") || strings.TrimSpace(lines[j-1]) == "") {
			j--
		}
		if j < len(lines) && j > 0 && strings.HasPrefix(strings.TrimSpace(strings.Join(lines[j:], "")), ">") {
			cut = j
		}
	}
	reply = strings.TrimSpace(strings.Join(lines[:cut], "\n"))
	if reply == "" {
		return strings.TrimSpace(text), ""
	}
	return reply, strings.TrimSpace(strings.Join(lines[cut:], "\n"))
}

// quoteHead is which head l is (an index in quoteHeads), or -1. Head 0 ("… wrote:") is followed by
// ">" lines; the others (Outlook's blocks) by the original unquoted.
func quoteHead(l string) int {
	for i, re := range quoteHeads {
		if re.MatchString(l) {
			return i
		}
	}
	return -1
}

// restIsQuote reports whether nothing but quoted lines follow, so no answer written between them is cut.
func restIsQuote(rest []string) bool {
	for _, l := range rest {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, ">") {
			return false
		}
	}
	return true
}

// The places where mail programs put the quoted original in an HTML reply.
var htmlQuoteStarts = []string{`<div class="gmail_quote`, `<blockquote type="cite"`, `<div id="appendonsend"`, `<div id="divRplyFwdMsg"`, `<hr id="stopSpelling"`}

// CutQuotedHTML cuts an HTML reply at the start of its quoted original; ok is false when none was found.
func CutQuotedHTML(s string) (reply string, ok bool) {
	lower := strings.ToLower(s)
	at := -1
	for _, start := range htmlQuoteStarts {
		if i := strings.Index(lower, strings.ToLower(start)); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if at <= 0 {
		return s, false
	}
	if strings.TrimSpace(htmlText(s[:at])) == "" {
		return s, false
	}
	return s[:at], true
}

var (
	tagRE    = regexp.MustCompile(`(?s)<[^>]*>`)
	blockRE  = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/li|/tr|/h[1-6])\b[^>]*>`)
	dropRE   = regexp.MustCompile(`(?is)<(style|script|head)\b.*?</(style|script|head)\s*>`)
	blanksRE = regexp.MustCompile(`\n{3,}`)
)

// htmlText is an HTML part's words, with its line breaks, for search and the coach.
func htmlText(s string) string {
	s = dropRE.ReplaceAllString(s, "")
	s = blockRE.ReplaceAllString(s, "\n")
	s = html.UnescapeString(tagRE.ReplaceAllString(s, ""))
	lines := strings.Split(strings.ReplaceAll(s, "\u00a0", " "), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(blanksRE.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}
