package coach

import (
	"fmt"
	"strconv"
	"strings"
)

// The phrase matcher: every pattern of a pack is compiled into one token trie keyed by
// interned word ids. A text is folded and interned once, then each sentence is walked from
// each word; a walk only follows edges that exist, so the cost does not grow with the pack.
//
// Pattern syntax (see packs/README.md):
//   word        a literal (case-folded)          a|b|c   alternatives
//   pre*  *suf  a word starting/ending so        @class  any member of a class (members may be phrases)
//   _           any one word                     ~N      0..N words, never across punctuation or gap stops
//   X?          X is optional                    ^       (first) the match must start a clause

type mnode struct {
	next map[int32]*mnode
	any  *mnode
	gaps []gapEdge
	outs []int32
}

type gapEdge struct {
	max int
	n   *mnode
}

func (n *mnode) child(id int32) *mnode {
	if n.next == nil {
		n.next = make(map[int32]*mnode, 2)
	}
	c := n.next[id]
	if c == nil {
		c = &mnode{}
		n.next[id] = c
	}
	return c
}

type elemKind uint8

const (
	eSet elemKind = iota
	eAny
	eGap
)

type elem struct {
	kind     elemKind
	seqs     [][]int32
	optional bool
	gap      int
}

// patInfo says who owns a compiled pattern.
type patInfo struct {
	rule      string // rule id or signal kind
	signal    bool
	exception bool
	anchored  bool
	entry     int // weak-word entry
	notQ      bool
	notInit   bool
	initial   bool
	message   string
	label     string
	src       string // the pattern or word as the pack writes it, for Finding.Match
	where     string // its place in the pack: rules.blame.patterns[3]
}

type matcher struct {
	vocab     map[string]int32
	memberOf  map[int32][]int32    // word or prefix term → ids of the one-word classes it belongs to
	classSeqs map[string][][]int32 // compiled class: its own id, plus its multi-word members
	members   [][]int32            // memberOf as a dense slice, built by freeze
	rootNext  []*mnode             // the root's edges as a dense slice: one index per token id
	pre, suf  charTrie
	hasPre    bool
	hasSuf    bool
	root      *mnode
	pats      []patInfo
	nodes     int
	classes   map[string][]string
	gapStop   map[int32]bool
	clauseOps map[int32]bool
}

func newMatcher(classes map[string][]string) *matcher {
	return &matcher{vocab: map[string]int32{}, memberOf: map[int32][]int32{}, classSeqs: map[string][][]int32{}, root: &mnode{}, classes: classes}
}

// class compiles a class once: one-word members share a single class id (so a class is one
// trie edge, not one per member), multi-word members stay sequences.
func (m *matcher) class(name string) ([][]int32, error) {
	if seqs, ok := m.classSeqs[name]; ok {
		return seqs, nil
	}
	members, ok := m.classes[name]
	if !ok {
		return nil, fmt.Errorf("unknown class @%s", name)
	}
	cid := m.intern("@" + name)
	seqs := [][]int32{{cid}}
	for _, mem := range members {
		seq, err := m.phraseIDs(mem)
		if err != nil {
			return nil, fmt.Errorf("class @%s: %v", name, err)
		}
		if len(seq) == 1 {
			if !containsID(m.memberOf[seq[0]], cid) {
				m.memberOf[seq[0]] = append(m.memberOf[seq[0]], cid)
			}
			continue
		}
		seqs = append(seqs, seq)
	}
	m.classSeqs[name] = seqs
	return seqs, nil
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (m *matcher) intern(w string) int32 {
	if id, ok := m.vocab[w]; ok {
		return id
	}
	id := int32(len(m.vocab))
	m.vocab[w] = id
	return id
}

// termID turns one word of a pattern into an id, registering prefix/suffix terms.
func (m *matcher) termID(w string) (int32, error) {
	w = string(lowerInto(nil, w))
	if w == "" || w == "*" {
		return 0, fmt.Errorf("empty word")
	}
	if strings.HasSuffix(w, "*") && len(w) > 1 {
		id := m.intern(w)
		m.pre.add(w[:len(w)-1], id)
		m.hasPre = true
		return id, nil
	}
	if strings.HasPrefix(w, "*") {
		id := m.intern(w)
		m.suf.add(reverseBytes(w[1:]), id)
		m.hasSuf = true
		return id, nil
	}
	if strings.ContainsAny(w, "*?~@|^") {
		return 0, fmt.Errorf("bad word %q", w)
	}
	return m.intern(w), nil
}

func (m *matcher) phraseIDs(ph string) ([]int32, error) {
	var seq []int32
	for _, w := range strings.Fields(ph) {
		id, err := m.termID(w)
		if err != nil {
			return nil, err
		}
		seq = append(seq, id)
	}
	if len(seq) == 0 {
		return nil, fmt.Errorf("empty phrase")
	}
	return seq, nil
}

func (m *matcher) parse(pat string) (els []elem, anchored bool, err error) {
	f := strings.Fields(pat)
	if len(f) > 0 && f[0] == "^" {
		anchored, f = true, f[1:]
	} else if len(f) > 0 && strings.HasPrefix(f[0], "^") {
		anchored, f[0] = true, f[0][1:]
	}
	if len(f) == 0 {
		return nil, false, fmt.Errorf("empty pattern")
	}
	for _, tok := range f {
		var e elem
		if len(tok) > 1 && strings.HasSuffix(tok, "?") {
			e.optional, tok = true, tok[:len(tok)-1]
		}
		switch {
		case tok == "_":
			e.kind = eAny
		case strings.HasPrefix(tok, "~"):
			n, err := strconv.Atoi(tok[1:])
			if err != nil || n < 1 || n > 12 {
				return nil, false, fmt.Errorf("gap %q: want ~1 … ~12", tok)
			}
			e.kind, e.gap = eGap, n
		default:
			for _, alt := range strings.Split(tok, "|") {
				if strings.HasPrefix(alt, "@") {
					seqs, err := m.class(alt[1:])
					if err != nil {
						return nil, false, err
					}
					e.seqs = append(e.seqs, seqs...)
					continue
				}
				id, err := m.termID(alt)
				if err != nil {
					return nil, false, err
				}
				e.seqs = append(e.seqs, []int32{id})
			}
		}
		els = append(els, e)
	}
	if els[0].kind != eSet || els[0].optional {
		return nil, false, fmt.Errorf("a pattern must start with a required word or class")
	}
	if last := els[len(els)-1]; last.kind == eGap {
		return nil, false, fmt.Errorf("a pattern must not end with a gap")
	}
	return els, anchored, nil
}

const maxTrieNodes = 400000

// add compiles one pattern; info says which rule or signal it belongs to.
func (m *matcher) add(pat string, info patInfo) error {
	els, anchored, err := m.parse(pat)
	if err != nil {
		return err
	}
	info.anchored = anchored
	id := int32(len(m.pats))
	m.pats = append(m.pats, info)
	return m.insert(m.root, els, 0, id)
}

func (m *matcher) insert(n *mnode, els []elem, i int, out int32) error {
	if m.nodes > maxTrieNodes {
		return fmt.Errorf("pattern expands to too many alternatives")
	}
	if i == len(els) {
		for _, o := range n.outs {
			if o == out {
				return nil
			}
		}
		n.outs = append(n.outs, out)
		return nil
	}
	e := els[i]
	if e.optional {
		if err := m.insert(n, els, i+1, out); err != nil {
			return err
		}
	}
	switch e.kind {
	case eAny:
		if n.any == nil {
			n.any = &mnode{}
			m.nodes++
		}
		return m.insert(n.any, els, i+1, out)
	case eGap:
		var c *mnode
		for _, g := range n.gaps {
			if g.max == e.gap {
				c = g.n
			}
		}
		if c == nil {
			c = &mnode{}
			m.nodes++
			n.gaps = append(n.gaps, gapEdge{max: e.gap, n: c})
		}
		return m.insert(c, els, i+1, out)
	}
	for _, seq := range e.seqs {
		c := n
		for _, id := range seq {
			if c.next == nil || c.next[id] == nil {
				m.nodes++
			}
			c = c.child(id)
		}
		if err := m.insert(c, els, i+1, out); err != nil {
			return err
		}
	}
	return nil
}

// annotate attaches to every (already folded) token its ids (exact word, prefix and suffix terms).
func (m *matcher) annotate(d *doc) {
	d.ids = d.ids[:0]
	for i := range d.toks {
		t := &d.toks[i]
		t.ida = int32(len(d.ids))
		if t.kind == tkWord || t.kind == tkNumber {
			w := d.fold[t.fa:t.fb]
			if id, ok := m.vocab[string(w)]; ok {
				d.ids = append(d.ids, id)
			}
			if m.hasPre {
				d.ids = m.pre.walk(w, d.ids)
			}
			if m.hasSuf {
				d.ids = m.suf.walkRev(w, d.ids)
			}
			base := len(d.ids)
			for k := int(t.ida); k < base; k++ {
				id := d.ids[k]
				if int(id) >= len(m.members) {
					continue
				}
				for _, cid := range m.members[id] {
					if !containsID(d.ids[base:], cid) {
						d.ids = append(d.ids, cid)
					}
				}
			}
		}
		t.idb = int32(len(d.ids))
	}
}

// freeze turns the hot maps into dense slices once all patterns are in.
func (m *matcher) freeze() {
	n := len(m.vocab)
	m.members = make([][]int32, n)
	for id, cids := range m.memberOf {
		m.members[id] = cids
	}
	m.rootNext = make([]*mnode, n)
	for id, c := range m.root.next {
		m.rootNext[id] = c
	}
}

// match is a pattern hit over tokens s..e (inclusive).
type match struct {
	pat  int32
	s, e int32
}

func wordLike(t *token) bool { return t.kind != tkPunct }

// scan appends every hit inside sentence tokens [a,b) to d.matches.
func (m *matcher) scan(d *doc, a, b int) {
	for p := a; p < b; p++ {
		t := &d.toks[p]
		if !wordLike(t) || t.flags&flQuoted != 0 {
			continue
		}
		for k := t.ida; k < t.idb; k++ {
			if id := d.ids[k]; int(id) < len(m.rootNext) {
				if c := m.rootNext[id]; c != nil {
					m.walk(d, c, p+1, b, p, p)
				}
			}
		}
	}
}

func (m *matcher) walk(d *doc, n *mnode, pos, b, start, last int) {
	for _, o := range n.outs {
		pi := &m.pats[o]
		if pi.anchored && !m.clauseStart(d, start) {
			continue
		}
		if (pi.initial && start != d.curFirst) || (pi.notInit && start == d.curFirst) {
			continue
		}
		d.matches = append(d.matches, match{pat: o, s: int32(start), e: int32(last)})
	}
	q := pos
	for q < b && d.toks[q].kind == tkPunct {
		q++
	}
	if q < b {
		t := &d.toks[q]
		if n.next != nil {
			for k := t.ida; k < t.idb; k++ {
				if c := n.next[d.ids[k]]; c != nil {
					m.walk(d, c, q+1, b, start, q)
				}
			}
		}
		if n.any != nil {
			m.walk(d, n.any, q+1, b, start, q)
		}
	}
	for _, g := range n.gaps {
		m.walk(d, g.n, pos, b, start, last)
		k := pos
		for cnt := 0; cnt < g.max && k < b; cnt++ {
			t := &d.toks[k]
			if t.kind == tkPunct || m.isGapStop(d, t) {
				break
			}
			k++
			m.walk(d, g.n, k, b, start, k-1)
		}
	}
}

func (m *matcher) isGapStop(d *doc, t *token) bool {
	if len(m.gapStop) == 0 || t.idb == t.ida {
		return false
	}
	return m.gapStop[d.ids[t.ida]]
}

// clauseStart: the match starts a sentence, follows punctuation, or follows one clause opener (så, and).
func (m *matcher) clauseStart(d *doc, s int) bool {
	k := s - 1
	if k >= d.curSent && d.toks[k].kind != tkPunct && d.toks[k].idb > d.toks[k].ida && m.clauseOps[d.ids[d.toks[k].ida]] {
		k--
	}
	return k < d.curSent || d.toks[k].kind == tkPunct
}

// charTrie maps word prefixes (or reversed suffixes) to term ids.
type charTrie struct {
	nodes []ctNode
}

type ctNode struct {
	edges []ctEdge
	ids   []int32
}

type ctEdge struct {
	b byte
	n int32
}

func (c *charTrie) add(s string, id int32) {
	if len(c.nodes) == 0 {
		c.nodes = append(c.nodes, ctNode{})
	}
	cur := int32(0)
	for i := 0; i < len(s); i++ {
		nx := int32(-1)
		for _, e := range c.nodes[cur].edges {
			if e.b == s[i] {
				nx = e.n
				break
			}
		}
		if nx < 0 {
			c.nodes = append(c.nodes, ctNode{})
			nx = int32(len(c.nodes) - 1)
			c.nodes[cur].edges = append(c.nodes[cur].edges, ctEdge{b: s[i], n: nx})
		}
		cur = nx
	}
	c.nodes[cur].ids = append(c.nodes[cur].ids, id)
}

func (c *charTrie) step(cur int32, b byte) int32 {
	for _, e := range c.nodes[cur].edges {
		if e.b == b {
			return e.n
		}
	}
	return -1
}

// walk appends the ids of every registered prefix of w.
func (c *charTrie) walk(w []byte, out []int32) []int32 {
	if len(c.nodes) == 0 {
		return out
	}
	cur := int32(0)
	for i := 0; i < len(w); i++ {
		cur = c.step(cur, w[i])
		if cur < 0 {
			return out
		}
		out = append(out, c.nodes[cur].ids...)
	}
	return out
}

// walkRev appends the ids of every registered suffix of w.
func (c *charTrie) walkRev(w []byte, out []int32) []int32 {
	if len(c.nodes) == 0 {
		return out
	}
	cur := int32(0)
	for i := len(w) - 1; i >= 0; i-- {
		cur = c.step(cur, w[i])
		if cur < 0 {
			return out
		}
		// a suffix term never matches the whole word: "*ede" must not match "ede"
		if i > 0 {
			out = append(out, c.nodes[cur].ids...)
		}
	}
	return out
}

func reverseBytes(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
