package demo

import (
	"testing"

	"coachdesk/internal/coach"
)

// The demo's examples pass on the embedded Danish pack, as a publish requires.
func TestDanishExamplesPass(t *testing.T) {
	p, err := DanishPackWithExamples()
	if err != nil {
		t.Fatal(err)
	}
	rs, err := coach.RunExamples(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2*len(coach.Rules()) {
		t.Errorf("%d examples, want two per rule", len(rs))
	}
	for _, r := range coach.Failing(rs) {
		t.Errorf("%s example %d fails (%+v): got %v", r.Rule, r.Index, r.Example, r.Got)
	}
}
