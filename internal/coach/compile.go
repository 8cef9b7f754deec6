package coach

import (
	"fmt"
	"strings"
)

// wordSet holds folded words for the checks that code does directly (question heads, acronyms).
type wordSet map[string]bool

func mkSet(words ...[]string) wordSet {
	s := wordSet{}
	for _, ws := range words {
		for _, w := range ws {
			s[string(lowerInto(nil, strings.TrimSpace(w)))] = true
		}
	}
	return s
}

// compiled is a pack turned into matchers and sets, built once by New.
type compiled struct {
	p     *Pack
	m     *matcher
	rules map[string]*RuleConf

	greet      [][]string // greeting phrases, folded words
	tags       [][]string // question tags, folded words
	signoff    [][]string
	openQ      wordSet
	qVerbs     wordSet
	qSuffixes  []string
	notVerbs   wordSet
	qSkip      wordSet
	qAnswers   wordSet
	subord     wordSet
	reqVerbs   wordSet
	you        wordSet
	reqSkip    wordSet
	reqNot     wordSet
	butWords   wordSet
	acronyms   wordSet
	triedQ     wordSet
	tryConn    wordSet
	tryImp     wordSet
	tryInf     wordSet
	irregular  map[string]string
	weak       []WeakEntry
	signalLbls map[string]string

	// clauses and subjects (clause.go, speaker.go)
	conditions      [][]string
	condFirst       wordSet // first words of the conditions
	counterfactual  wordSet
	condVerbs       wordSet
	then            wordSet
	me              wordSet
	writer          wordSet
	customer        wordSet
	thirdSubj       wordSet
	modal           wordSet
	aux             wordSet
	subjSkip        wordSet
	infMarks        wordSet
	articles        wordSet
	defSuffixes     []string
	pastSuffixes    []string
	perfAux         wordSet
	complementizers wordSet
	ourPoss         wordSet
	shout           wordSet

	tx map[string]*texts // messages by interface locale, set by New

	custom []string // the ids of the pack's custom rules, sorted
}

func compilePack(p *Pack) (*compiled, error) {
	if p.source == "" {
		p.source = p.Lang + ".yaml"
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	classes := map[string][]string{}
	for name, members := range p.Classes {
		for _, w := range members {
			forms, err := p.inflected(w, nil)
			if err != nil {
				return nil, p.errf("classes."+name, "%v", err)
			}
			classes[name] = append(classes[name], forms...)
		}
	}
	m := newMatcher(classes)
	c := &compiled{p: p, m: m, rules: p.Rules}
	cl, sj := p.Clauses, p.Subjects
	c.condFirst = wordSet{}
	for _, w := range cl.Conditions {
		f := strings.Fields(string(lowerInto(nil, w)))
		if len(f) > 0 {
			c.conditions = append(c.conditions, f)
			c.condFirst[f[0]] = true
		}
	}
	c.counterfactual, c.condVerbs, c.then = mkSet(cl.Counterfactual), mkSet(cl.ConditionVerbs), mkSet(cl.Then)
	c.me = mkSet(p.Classes["me"])
	c.writer, c.customer, c.thirdSubj, c.modal = mkSet(sj.Writer), mkSet(sj.Customer), mkSet(sj.Third), mkSet(sj.Modal)
	c.aux, c.subjSkip, c.infMarks, c.articles = mkSet(sj.Aux), mkSet(sj.Skip), mkSet(sj.InfinitiveMarks), mkSet(sj.Articles)
	c.defSuffixes, c.pastSuffixes = sj.DefiniteSuffixes, sj.PastSuffixes
	c.perfAux, c.complementizers, c.ourPoss = mkSet(sj.Perfect), mkSet(sj.Complementizers), mkSet(sj.OurPossessives)
	q := p.Questions
	c.openQ, c.qVerbs, c.notVerbs, c.qSkip = mkSet(q.Open), mkSet(q.Verbs), mkSet(q.NotVerbs), mkSet(q.Skip)
	c.qAnswers = mkSet(q.Answers)
	c.subord, c.reqVerbs, c.you, c.reqSkip, c.reqNot = mkSet(q.Subordinators), mkSet(q.RequestVerbs), mkSet(q.You), mkSet(q.RequestSkip), mkSet(q.RequestNot)
	c.qSuffixes = q.VerbSuffixes
	c.irregular = map[string]string{}
	for k, v := range p.Imperative.Irregular {
		c.irregular[string(lowerInto(nil, k))] = v
	}
	for _, g := range p.Greetings {
		c.greet = append(c.greet, strings.Fields(string(lowerInto(nil, g))))
	}
	for _, g := range q.Tags {
		c.tags = append(c.tags, strings.Fields(string(lowerInto(nil, g))))
	}
	for _, g := range p.SignOffs {
		c.signoff = append(c.signoff, strings.Fields(string(lowerInto(nil, g))))
	}
	nb := p.Rules[RuleNoBut]
	c.butWords = mkSet(nb.Words)
	c.acronyms = mkSet(p.Rules[RuleEscalation].Acronyms, ourNameWords(p.OurNames))
	c.shout = mkSet(p.Rules[RuleEscalation].ShoutWords)
	ww := p.Rules[RuleWeakWord]
	c.triedQ, c.tryConn, c.tryImp, c.tryInf = mkSet(ww.TriedQuestion), mkSet(ww.TryConnectors), mkSet(ww.TryImperatives), mkSet(ww.TryInfinitives)
	c.weak = ww.Entries

	// Gap stops and clause openers are ordinary classes, resolved to ids after interning.
	stops := p.Classes["gap_stop"]
	opens := p.Classes["clause_open"]

	c.custom = customIDs(p)
	if err := addOurNames(p, m); err != nil {
		return nil, err
	}
	for _, id := range append(append([]string(nil), ruleIDs...), c.custom...) {
		r := p.Rules[id]
		for i, pt := range r.Patterns {
			where := fmt.Sprintf("rules.%s.patterns[%d]", id, i)
			if err := m.add(pt.Text, patInfo{rule: id, message: pt.Message, label: pt.Label, notQ: pt.NotQuestion, notInit: pt.NotInitial, initial: pt.Initial, src: pt.Text, where: where}); err != nil {
				return nil, p.errf(fmt.Sprintf("rules.%s.patterns[%d] (line %d)", id, i, pt.line), "%v", err)
			}
		}
		for i, pt := range r.Exceptions {
			if err := m.add(pt.Text, patInfo{rule: id, exception: true, initial: pt.Initial, notInit: pt.NotInitial}); err != nil {
				return nil, p.errf(fmt.Sprintf("rules.%s.exceptions[%d] (line %d)", id, i, pt.line), "%v", err)
			}
		}
	}
	for i, e := range ww.Entries {
		except := mkSet(e.Except)
		for j, w := range e.Words {
			where := fmt.Sprintf("rules.weak-word.entries[%d].words[%d]", i, j)
			forms, err := p.inflected(w, except)
			if err != nil {
				return nil, p.errf(where, "%v", err)
			}
			for _, f := range forms {
				if err := m.add(f, patInfo{rule: RuleWeakWord, entry: i, src: lemmaOf(w), where: where}); err != nil {
					return nil, p.errf(where, "%v", err)
				}
			}
		}
	}
	c.signalLbls = map[string]string{}
	for _, kind := range []string{SignalAcknowledgment, SignalOpenQuestion, SignalStrongWord, SignalSummary} {
		s, ok := p.Signals[kind]
		if !ok {
			continue
		}
		c.signalLbls[kind] = s.Label
		for i, pt := range s.Patterns {
			if err := m.add(pt.Text, patInfo{rule: kind, signal: true, label: pt.Label}); err != nil {
				return nil, p.errf(fmt.Sprintf("signals.%s.patterns[%d] (line %d)", kind, i, pt.line), "%v", err)
			}
		}
	}
	m.gapStop = map[int32]bool{}
	for _, w := range stops {
		if id, ok := m.vocab[string(lowerInto(nil, w))]; ok {
			m.gapStop[id] = true
		} else {
			m.gapStop[m.intern(string(lowerInto(nil, w)))] = true
		}
	}
	m.clauseOps = map[int32]bool{}
	for _, w := range opens {
		m.clauseOps[m.intern(string(lowerInto(nil, w)))] = true
	}
	m.freeze()
	return c, nil
}

// imperative turns an infinitive into the imperative with the pack's rule (trykke → tryk).
func (c *compiled) imperative(inf string) string {
	low := string(lowerInto(nil, inf))
	if v, ok := c.irregular[low]; ok {
		return v
	}
	im := c.p.Imperative
	out := inf
	if im.StripSuffix != "" && strings.HasSuffix(low, im.StripSuffix) && len(low) >= max(im.MinLen, len(im.StripSuffix)+2) {
		out = out[:len(out)-len(im.StripSuffix)]
		if im.Undouble && len(out) >= 2 && out[len(out)-1] == out[len(out)-2] && !isVowel(out[len(out)-1]) {
			out = out[:len(out)-1]
		}
	}
	return out
}

func isVowel(b byte) bool { return strings.IndexByte("aeiouy", b|0x20) >= 0 }
