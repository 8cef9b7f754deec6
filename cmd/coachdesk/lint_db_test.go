package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/rules"
	"coachdesk/internal/store"
)

// lint --db uses the pack published in the database: a word an admin made weak is flagged there.
func TestLintWithDatabase(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "lint.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := coach.DefaultPacks()
	ww := ps[0].Rules[coach.RuleWeakWord]
	ww.Entries[1].Words = append(ww.Entries[1].Words, "desværre")
	if _, err := rules.Store(ctx, st, ps[0], 0, desk.User{Name: "Astrid Admin"}, "Desværre er svagt", nil); err != nil {
		t.Fatal(err)
	}
	st.Close()
	reply := "Hej Jens. Det er desværre ikke muligt at ændre ordren nu, så jeg sender den i dag."
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"lint", "--format", "json", "--lang", "da"}, false},
		{[]string{"lint", "--db", db, "--format", "json", "--lang", "da"}, true},
		{[]string{"lint", "--format", "json", "--db=" + db, "--lang", "da"}, true},
	} {
		var out, errOut bytes.Buffer
		run(ctx, c.args, strings.NewReader(reply), &out, &errOut)
		if got := strings.Contains(out.String(), `"text":"desværre"`); got != c.want {
			t.Errorf("%v: flags desværre %v, want %v\n%s%s", c.args, got, c.want, out.String(), errOut.String())
		}
		if c.want && !strings.Contains(out.String(), `"pack_version":"da-v1+`) {
			t.Errorf("%v: pack version not the published one: %s", c.args, out.String())
		}
	}
}
