package search

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Query is what a person typed into the search box, understood. Nothing typed is an error: what
// is not syntax is text.
//
//	pakke levering      every word, in any form ("leveringen" finds "levering")
//	"ikke modtaget"     the words exactly and next to each other
//	-faktura            tickets without the word
//	pak*                words that start with "pak"
//	from:anna@firma.dk  tickets from that customer (by e-mail; a name or part of one also works)
//	tag:reklamation     tickets with that tag
//	#1042               ticket 1042
type Query struct {
	Terms   []Term   // all must match
	Exclude []Term   // none may match
	From    []string // customer e-mails or names
	Tags    []string
	Numbers []int64 // ticket numbers; more than one means any of them
}

// Term is one word, a prefix or a phrase of the query.
type Term struct {
	Words  []string // one word, or the words of a phrase
	Phrase bool     // match Words exactly, in order
	Prefix bool     // the (only) word is a prefix
	// Open: the last word typed, maybe not finished ("fakt"): it also matches the words it begins,
	// when there are few of them.
	Open bool
}

// Empty reports whether the query asks for nothing.
func (q Query) Empty() bool {
	return len(q.Terms) == 0 && len(q.Exclude) == 0 && len(q.From) == 0 && len(q.Tags) == 0 && len(q.Numbers) == 0
}

// HasText reports whether the query needs the full-text index (not only field filters).
func (q Query) HasText() bool { return len(q.Terms) > 0 || len(q.Exclude) > 0 }

// Parse reads a typed search.
func Parse(typed string) Query {
	var q Query
	fs := fields(typed)
	for _, f := range fs {
		q.add(f)
	}
	// Search as you type: the last word may be unfinished. Short words are left alone ("på" is a
	// word, not the start of hundreds).
	if n := len(fs); n > 0 && len(q.Terms) > 0 {
		last, t := fs[n-1], &q.Terms[len(q.Terms)-1]
		if !last.quoted && !last.negate && last.key == "" && !t.Phrase && !t.Prefix && utf8.RuneCountInString(t.Words[0]) >= 3 &&
			strings.HasSuffix(strings.ToLower(last.text), t.Words[0]) {
			t.Open = true
		}
	}
	return q
}

// field is one whitespace-separated part of the input; a quoted part keeps its spaces.
type field struct {
	text   string
	quoted bool
	negate bool
	key    string // "from", "tag" or ""
}

func fields(typed string) []field {
	var out []field
	s := typed
	for {
		s = strings.TrimLeft(s, " \t\r\n\u00a0")
		if s == "" {
			return out
		}
		var f field
		if s[0] == '-' && len(s) > 1 && s[1] != ' ' {
			f.negate, s = true, s[1:]
		}
		if k, rest, ok := fieldKey(s); ok {
			f.key, s = k, rest
		}
		if s != "" && (s[0] == '"' || strings.HasPrefix(s, "“") || strings.HasPrefix(s, "„")) {
			_, size := firstRune(s)
			s = s[size:]
			end := strings.IndexAny(s, "\"”“")
			if end < 0 {
				end = len(s)
			}
			f.text, f.quoted = s[:end], true
			s = s[end:]
			if s != "" {
				_, size := firstRune(s)
				s = s[size:]
			}
		} else {
			end := strings.IndexAny(s, " \t\r\n\u00a0")
			if end < 0 {
				end = len(s)
			}
			f.text, s = s[:end], s[end:]
		}
		out = append(out, f)
	}
}

func fieldKey(s string) (key, rest string, ok bool) {
	for _, k := range []string{"from", "tag", "fra"} {
		if len(s) > len(k)+1 && strings.EqualFold(s[:len(k)], k) && s[len(k)] == ':' {
			if k == "fra" {
				k = "from"
			}
			return k, s[len(k)+1:], true
		}
	}
	return "", s, false
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

func (q *Query) add(f field) {
	text := strings.TrimSpace(f.text)
	switch {
	case f.key == "from" && text != "" && !f.negate:
		q.From = append(q.From, strings.ToLower(text))
		return
	case f.key == "tag" && text != "" && !f.negate:
		q.Tags = append(q.Tags, strings.ToLower(text))
		return
	case f.key != "":
		text = f.key + ":" + text // a negated or empty field filter is just text
	case !f.quoted && !f.negate && len(text) > 1 && text[0] == '#':
		if n, err := strconv.ParseInt(text[1:], 10, 64); err == nil && n > 0 {
			q.Numbers = append(q.Numbers, n)
			return
		}
	}
	words := Words(text)
	if len(words) == 0 {
		return
	}
	var terms []Term
	switch {
	case f.quoted || (len(words) > 1 && !strings.HasSuffix(text, "*")):
		// A quoted phrase, or one typed word the tokenizer splits ("anna@firma.dk", "3-5"): its parts in order.
		terms = []Term{{Words: words, Phrase: len(words) > 1}}
	case strings.HasSuffix(text, "*"):
		for i, w := range words {
			terms = append(terms, Term{Words: []string{w}, Prefix: i == len(words)-1})
		}
	default:
		terms = []Term{{Words: words}}
	}
	if f.negate {
		q.Exclude = append(q.Exclude, terms...)
	} else {
		q.Terms = append(q.Terms, terms...)
	}
}

// Stems are the query's words reduced to their stems in every language in langs: what a snippet
// highlights, and what the stemmed part of the index is asked for.
func (q Query) Stems(langs []string) map[string]bool {
	out := map[string]bool{}
	for _, t := range q.Terms {
		for _, w := range t.Words {
			for _, s := range Stems(w, langs) {
				out[s] = true
			}
		}
	}
	return out
}
