package coach

import (
	"sort"
	"strings"
)

// ExampleResult is one example run against its pack: OK when the rule fired over the span (or did
// not fire, for a must-not-fire example); Got lists what the rule did fire on.
type ExampleResult struct {
	Rule    string
	Index   int
	Example Example
	OK      bool
	Got     []string
}

// RunExamples lints every example of p with p alone (in p's language, as a reply to a customer) and
// reports each; the error is the pack's own when it does not compile.
func RunExamples(p *Pack) ([]ExampleResult, error) {
	q, err := ClonePack(p)
	if err != nil {
		return nil, err
	}
	c, err := New(q)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(p.Examples))
	for id := range p.Examples {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		return ruleOrder(ids[i]) < ruleOrder(ids[j]) || ruleOrder(ids[i]) == ruleOrder(ids[j]) && ids[i] < ids[j]
	})
	var out []ExampleResult
	for _, id := range ids {
		for i, ex := range p.Examples[id] {
			out = append(out, c.runExample(p.Lang, id, i, ex))
		}
	}
	return out, nil
}

func (c *Coach) runExample(lang, id string, i int, ex Example) ExampleResult {
	r := ExampleResult{Rule: id, Index: i, Example: ex}
	res := c.Lint(ex.Text, Options{Lang: lang})
	at := -1
	if ex.Span != "" {
		at = strings.Index(ex.Text, ex.Span)
	}
	hit := false
	for _, f := range res.Findings {
		if f.Rule != id {
			continue
		}
		r.Got = append(r.Got, f.Text)
		if at < 0 || f.Start <= at && f.End >= at+len(ex.Span) {
			hit = true
		}
	}
	r.OK = hit == ex.Fire
	if !ex.Fire {
		r.OK = len(r.Got) == 0
	}
	return r
}

// Failing keeps the examples that failed.
func Failing(rs []ExampleResult) []ExampleResult {
	var out []ExampleResult
	for _, r := range rs {
		if !r.OK {
			out = append(out, r)
		}
	}
	return out
}
