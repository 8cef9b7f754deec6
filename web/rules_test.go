package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/testkit"
)

// Every admin route of the rule editor (and its API) answers 403 to agents and leads.
func TestRulesAreAdminOnly(t *testing.T) {
	e := testkit.New(t)
	gets := []string{"/admin/rules", "/admin/rules/da", "/admin/rules/da/export.yaml", "/admin/rules/da/history", "/admin/rules/da/versions/1", "/admin/rules/da/backtest/1"}
	posts := []string{"/admin/rules/da/rules/weak-word", "/admin/rules/da/list", "/admin/rules/da/examples", "/admin/rules/da/custom", "/admin/rules/da/publish",
		"/admin/rules/da/discard", "/admin/rules/da/import", "/admin/rules/da/backtest", "/admin/rules/da/backtest/1/cancel", "/admin/rules/da/versions/1/restore",
		"/admin/rules/examples/from-finding/1"}
	for _, who := range []string{"anna@coachdesk.test", "lead@coachdesk.test"} {
		c := e.SignIn(who)
		for _, p := range gets {
			if r := c.Get(p); r.Status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, p, r.Status)
			}
		}
		for _, p := range posts {
			if r := c.Post(p, url.Values{"key": {"greetings"}, "op": {"add"}, "value": {"hejsa hop"}, "reason": {"x"}}); r.Status != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", who, p, r.Status)
			}
		}
		api := e.API(who)
		for _, p := range []string{"/api/v1/rules/da", "/api/v1/rules/da/versions"} {
			if r := api.Do("GET", p, nil); r.Status != http.StatusForbidden {
				t.Errorf("%s API %s: %d, want 403", who, p, r.Status)
			}
		}
	}
	admin := e.SignIn("admin@coachdesk.test")
	if r := admin.Get("/admin/rules/da"); r.Status != http.StatusOK {
		t.Fatalf("admin: %d", r.Status)
	}
	if r := e.API("admin@coachdesk.test").Do("GET", "/api/v1/rules/da/versions", nil); r.Status != http.StatusOK {
		t.Fatalf("admin API: %d %s", r.Status, r.Body)
	}
	// nothing an agent or lead sent reached the draft
	if d, _ := e.App.Rules.Draft(context.Background(), "da"); d.Saved {
		t.Error("a refused request changed the draft")
	}
}

func lintFinds(t *testing.T, d *helpdesk.Service, text, rule, span string) bool {
	t.Helper()
	for _, f := range d.Lint(text, coach.Options{Lang: "da"}).Findings {
		if f.Rule == rule && f.Text == span {
			return true
		}
	}
	return false
}

// An admin adds a weak word with a firing example, publishes, and the coach in use flags the word at
// once; restoring the earlier version takes it back. Bad entries are refused at their field with the
// typed value kept, and a failing example blocks the publish.
func TestRulesEditPublishRestore(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	const key = "rules.weak-word.entries[1].words"
	text := "Hej Jens. Det er desværre ikke muligt at ændre ordren nu, men vi sender den i dag."

	// a word already in the list is refused beside it, and the page keeps it
	r := admin.Post("/admin/rules/da/list", url.Values{"key": {key}, "op": {"add"}, "value": {"Måske"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate: %d", r.Status)
	}
	mustContain(t, "duplicate", r.Body, `id="err-`+key+`[3]"`, `value="Måske"`, `id="rules-unsaved"`)
	r = admin.Post("/admin/rules/da/list", url.Values{"key": {key}, "op": {"add"}, "value": {"  "}})
	mustContain(t, "empty", r.Body, `id="err-`+key+`[3]"`)
	r = admin.Post("/admin/rules/da/rules/short-reply", url.Values{"enabled": {"1"}, "severity": {"warning"}, "threshold": {"9000"}, "message": {"Kort svar."}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("threshold: %d", r.Status)
	}
	mustContain(t, "threshold", r.Body, `id="err-rules.short-reply.threshold"`, `value="9000"`)
	r = admin.Post("/admin/rules/da/list", url.Values{"key": {"rules.redirect.patterns"}, "op": {"add"}, "value": {"kontakt @ingenklasse"}})
	mustContain(t, "bad pattern", r.Body, `id="err-rules.redirect.patterns[`, `value="kontakt @ingenklasse"`)
	r = admin.Post("/admin/rules/da/custom", url.Values{"id": {"blame"}, "severity": {"error"}, "message": {"x"}, "patterns": {"noget"}})
	mustContain(t, "clashing id", r.Body, `id="err-custom/id"`, `value="blame"`)

	// the word, its note and a firing example go into the draft
	if r := admin.Post("/admin/rules/da/list", url.Values{"key": {key}, "op": {"add"}, "value": {"desværre"}, "note": {"Lyder som en undskyldning for ikke at hjælpe"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("add word: %d\n%s", r.Status, excerpt(r.Body))
	}
	if r := admin.Post("/admin/rules/da/examples", url.Values{"rule": {"weak-word"}, "op": {"add"}, "text": {text}, "fire": {"1"}, "span": {"desværre"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("add example: %d\n%s", r.Status, excerpt(r.Body))
	}
	if lintFinds(t, e.Desk, text, "weak-word", "desværre") {
		t.Fatal("a draft is in use before it is published")
	}
	page := admin.Get("/admin/rules/da")
	mustContain(t, "draft", page.Body, `data-entry="desværre"`, "Lyder som en undskyldning", `data-draft="changed"`, "example-ok")

	// a must-fire example the draft does not meet blocks the publish and is shown
	admin.Post("/admin/rules/da/examples", url.Values{"rule": {"weak-word"}, "op": {"add"}, "text": {"Hej Jens. Vi kigger nok på det i morgen."}, "fire": {"1"}, "span": {"nok"}})
	r = admin.Post("/admin/rules/da/publish", url.Values{"reason": {"Desværre er svagt"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("publish with a failing example: %d", r.Status)
	}
	mustContain(t, "blocked", r.Body, `id="failing-examples"`, "Vi kigger nok på det i morgen.", `value="Desværre er svagt"`)
	if v, _ := e.App.Rules.Versions(context.Background(), "da"); len(v) != 0 {
		t.Fatal("a blocked publish stored a version")
	}
	admin.Post("/admin/rules/da/examples", url.Values{"rule": {"weak-word"}, "op": {"remove"}, "index": {"1"}})

	// no reason, no publish
	if r := admin.Post("/admin/rules/da/publish", url.Values{"reason": {" "}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="err-reason"`) {
		t.Fatalf("publish without reason: %d", r.Status)
	}
	r = admin.Post("/admin/rules/da/publish", url.Values{"reason": {"Desværre er svagt"}})
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Location(), "published=1") {
		t.Fatalf("publish: %d %s\n%s", r.Status, r.Location(), excerpt(r.Body))
	}
	// the composer's lint (the same service) flags it now, without a restart, and says which version
	if !lintFinds(t, e.Desk, text, "weak-word", "desværre") {
		t.Fatal("the published word is not flagged")
	}
	if pv := e.Desk.Coach().PackVersion("da"); !strings.HasPrefix(pv, "da-v1+") {
		t.Errorf("pack version %q", pv)
	}
	var lint struct {
		Findings []coach.Finding `json:"findings"`
	}
	e.API("anna@coachdesk.test").Do("POST", "/api/v1/lint", map[string]string{"text": text, "lang": "da"}).JSON(t, &lint)
	found := false
	for _, f := range lint.Findings {
		found = found || f.Text == "desværre"
	}
	if !found {
		t.Error("the API does not flag the published word")
	}

	// a second version drops it again; the history shows both with their diff; restoring v1 brings it back
	if r := admin.Post("/admin/rules/da/list", url.Values{"key": {key}, "op": {"remove"}, "index": {"3"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.Status)
	}
	admin.Post("/admin/rules/da/examples", url.Values{"rule": {"weak-word"}, "op": {"remove"}, "index": {"0"}})
	if r := admin.Post("/admin/rules/da/publish", url.Values{"reason": {"Tilbage igen"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("publish 2: %d\n%s", r.Status, excerpt(r.Body))
	}
	if lintFinds(t, e.Desk, text, "weak-word", "desværre") {
		t.Fatal("version 2 still flags the word")
	}
	h := admin.Get("/admin/rules/da/versions/2")
	mustContain(t, "history", h.Body, `data-version="1"`, `data-version="2"`, "Tilbage igen", `class="diff-del"`)
	if !regexp.MustCompile(`class="diff-del">- \s*- desværre`).MatchString(h.Body) {
		t.Errorf("the diff of v2 does not drop desværre")
	}
	h = admin.Get("/admin/rules/da/versions/1")
	if !regexp.MustCompile(`class="diff-add">\+ \s*- desværre`).MatchString(h.Body) {
		t.Errorf("the diff of v1 does not add desværre:\n%s", excerpt(h.Body[strings.Index(h.Body, "version-diff"):]))
	}
	if r := admin.Post("/admin/rules/da/versions/1/restore", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("restore: %d\n%s", r.Status, excerpt(r.Body))
	}
	if !lintFinds(t, e.Desk, text, "weak-word", "desværre") {
		t.Fatal("restoring version 1 did not bring the word back")
	}
	vs, _ := e.App.Rules.Versions(context.Background(), "da")
	if len(vs) != 3 || vs[0].RestoredFrom == nil || *vs[0].RestoredFrom != 1 || vs[0].AuthorName != "Astrid Admin" {
		t.Fatalf("versions %+v", vs)
	}
	// a reply sent now stores the version that coached it
	tk := e.Ticket("Ordre", "Hvor er min ordre?")
	m, err := e.Desk.Send(context.Background(), helpdesk.Outgoing{Number: tk.Number, Agent: e.Agent, Body: text, Lang: "da"})
	if err != nil {
		t.Fatal(err)
	}
	rv, err := e.Store.Review(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rv.Coaching.PackVersion, "da-v3+") {
		t.Errorf("stored pack version %q", rv.Coaching.PackVersion)
	}
}

// Export then import gives the identical pack; an import goes through the same validation.
func TestRulesImportExportRoundTrip(t *testing.T) {
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	admin.Post("/admin/rules/sv/list", url.Values{"key": {"our_names"}, "op": {"add"}, "value": {"Kundtjänst Syd"}})
	admin.Post("/admin/rules/sv/custom", url.Values{"id": {"lofte-om-pengar"}, "severity": {"warning"}, "message": {"'{text}' lovar något vi inte kan hålla."}, "patterns": {"pengarna tillbaka i morgon\ngaranterad återbetalning"}})
	ex := admin.Get("/admin/rules/sv/export.yaml?draft=1")
	if ex.Status != http.StatusOK || !strings.Contains(ex.Body, "lofte-om-pengar") {
		t.Fatalf("export: %d", ex.Status)
	}
	before, _ := e.App.Rules.Draft(context.Background(), "sv")
	admin.Post("/admin/rules/sv/discard", nil)
	if r := admin.Post("/admin/rules/sv/import", url.Values{"text": {ex.Body}}); r.Status != http.StatusSeeOther {
		t.Fatalf("import: %d\n%s", r.Status, excerpt(r.Body))
	}
	after, _ := e.App.Rules.Draft(context.Background(), "sv")
	if !coach.SamePack(before.Pack, after.Pack) {
		t.Fatal("export → import changed the pack")
	}
	again := admin.Get("/admin/rules/sv/export.yaml?draft=1")
	if again.Body != ex.Body {
		t.Fatal("the second export differs from the first")
	}
	// a broken file and a file of another language are refused beside the field, with the text kept
	r := admin.Post("/admin/rules/sv/import", url.Values{"text": {"lang: sv\nrules: [\n"}})
	mustContain(t, "broken", r.Body, `id="err-file"`, "rules: [")
	da := admin.Get("/admin/rules/da/export.yaml")
	r = admin.Post("/admin/rules/sv/import", url.Values{"text": {da.Body}})
	mustContain(t, "wrong language", r.Body, `id="err-file"`)
}

// The backtest counts what a draft adds and removes on a known history, with the verdicts leads gave.
func TestRulesBacktestCounts(t *testing.T) {
	e := testkit.New(t)
	ctx := context.Background()
	tk := e.Ticket("Pakke", "Min pakke er ikke kommet.")
	send := func(agent desk.User, body string) desk.Message {
		m, err := e.Desk.Send(ctx, helpdesk.Outgoing{Number: tk.Number, Agent: agent, Body: body, Lang: "da"})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	send(e.Agent, "Hej Jens. Det er desværre ikke muligt at sende pakken i dag, vi sender den i morgen tidlig med GLS.")
	send(e.Agent2, "Hej Jens. Den kommer desværre først på fredag, og jeg følger selv med i forsendelsen.")
	m3 := send(e.Agent, "Hej Jens. Den kommer måske på fredag, og jeg følger selv med i forsendelsen hele vejen.")
	send(e.Agent2, "Hej Jens. Pakken er sendt i dag, og jeg følger selv med i forsendelsen hele vejen hjem.")
	// a lead dismissed the 'måske' finding
	rv, _ := e.Store.Review(ctx, m3.ID)
	for _, f := range rv.Findings {
		if f.Rule == "weak-word" {
			if err := e.Store.SetVerdict(ctx, f.ID, e.Lead.ID, desk.VerdictFalsePositive); err != nil {
				t.Fatal(err)
			}
		}
	}
	d, _ := e.App.Rules.Draft(ctx, "da")
	ww := d.Pack.Rules["weak-word"]
	ww.Entries[1].Words = append(ww.Entries[1].Words[:0:0], "muligvis", "forhåbentlig/adverb", "desværre") // måske out, desværre in
	run, err := e.App.Rules.StartBacktest(d.Pack, "da", time.Now().AddDate(0, 0, -30), time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	var st = run.Snapshot()
	for deadline := time.Now().Add(20 * time.Second); st.State == "running" && time.Now().Before(deadline); st = run.Snapshot() {
		time.Sleep(20 * time.Millisecond)
	}
	if st.State != "done" || st.Result.Replies != 4 || st.Done != 4 || st.Total != 4 {
		t.Fatalf("run %+v", st)
	}
	var got string
	for _, r := range st.Result.Rules {
		if r.Rule == "weak-word" {
			got = "added " + strconv.Itoa(r.Added) + " removed " + strconv.Itoa(r.Removed) + " agents " + strconv.Itoa(r.Agents) + " dismissed-removed " + strconv.Itoa(r.RemovedJudged.Dismissed) + " judged-before " + strconv.Itoa(r.JudgedBefore.Dismissed)
			if len(r.AddedEx) != 2 || r.AddedEx[0].Text != "desværre" || r.RemovedEx[0].Text != "måske" {
				t.Errorf("examples %+v %+v", r.AddedEx, r.RemovedEx)
			}
		}
	}
	if want := "added 2 removed 1 agents 2 dismissed-removed 1 judged-before 1"; got != want {
		t.Fatalf("weak-word: %s, want %s", got, want)
	}
	if len(st.Result.Rules) != 1 || len(st.Result.Agents) != 2 {
		t.Errorf("rules %d agents %+v", len(st.Result.Rules), st.Result.Agents)
	}
	// the page shows it
	admin := e.SignIn("admin@coachdesk.test")
	page := admin.Get("/admin/rules/da/backtest/" + run.ID)
	mustContain(t, "backtest page", page.Body, `data-rule="weak-word" data-added="2" data-removed="1"`, `id="backtest-done"`)
}

// A second instance on the same database picks up a publish at its next poll, without a restart.
func TestRulesPublishReachesOtherInstances(t *testing.T) {
	e := testkit.New(t)
	other := testkit.Start(t, e.DBPath)
	text := "Hej Jens. Pakken er desværre forsinket, og jeg følger selv med i den hele vejen."
	if lintFinds(t, other.App.Desk, text, "weak-word", "desværre") {
		t.Fatal("flagged before the publish")
	}
	admin := e.SignIn("admin@coachdesk.test")
	admin.Post("/admin/rules/da/list", url.Values{"key": {"rules.weak-word.entries[1].words"}, "op": {"add"}, "value": {"desværre"}})
	if r := admin.Post("/admin/rules/da/publish", url.Values{"reason": {"Desværre er svagt"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.Status, excerpt(r.Body))
	}
	deadline := time.Now().Add(10 * time.Second)
	for !lintFinds(t, other.App.Desk, text, "weak-word", "desværre") {
		if time.Now().After(deadline) {
			t.Fatal("the other instance never picked up the published pack")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A backtest can be cancelled: it stops reading and says so.
func TestRulesBacktestCancel(t *testing.T) {
	e := testkit.New(t)
	tk := e.Ticket("Pakke", "Min pakke er ikke kommet.")
	for i := range 3 {
		if _, err := e.Desk.Send(context.Background(), helpdesk.Outgoing{Number: tk.Number, Agent: e.Agent, Lang: "da",
			Body: "Hej Jens. Pakken kommer måske på fredag, og jeg følger selv med i forsendelsen, svar nummer " + strconv.Itoa(i) + "."}); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := e.App.Rules.Draft(context.Background(), "da")
	run, err := e.App.Rules.StartBacktest(d.Pack, "da", time.Now().AddDate(0, 0, -30), time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	admin := e.SignIn("admin@coachdesk.test")
	run.Cancel()
	if r := admin.Post("/admin/rules/da/backtest/"+run.ID+"/cancel", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", r.Status)
	}
	st := run.Snapshot()
	for deadline := time.Now().Add(10 * time.Second); st.State == "running" && time.Now().Before(deadline); st = run.Snapshot() {
		time.Sleep(10 * time.Millisecond)
	}
	// a run this small may finish before the cancel lands; either way it ends and the page says which
	if st.State != "cancelled" && st.State != "done" {
		t.Fatalf("state %q", st.State)
	}
	page := admin.Get("/admin/rules/da/backtest/" + run.ID)
	mustContain(t, "backtest page", page.Body, `data-state="`+st.State+`"`)
	if r := admin.Get("/admin/rules/da/backtest/999"); r.Status != http.StatusNotFound {
		t.Errorf("unknown run: %d", r.Status)
	}
}

// A published custom rule is a rule like the built-ins everywhere leads look: the queue filters by
// it, a lead adds a missed finding of it, and the dashboard counts it under the admin's id; a custom
// rule since removed still shows the findings it made.
func TestCustomRuleInReviewAndDashboard(t *testing.T) {
	ctx := context.Background()
	e := testkit.New(t)
	admin := e.SignIn("admin@coachdesk.test")
	admin.Post("/admin/rules/da/custom", url.Values{"id": {"lover-penge"}, "severity": {"warning"},
		"message": {"'{text}' lover noget, vi ikke kan holde."}, "patterns": {"pengene tilbage i morgen"}})
	if r := admin.Post("/admin/rules/da/publish", url.Values{"reason": {"Løfter om penge"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", r.Status, excerpt(r.Body))
	}
	tk := e.Ticket("Refusion", "Hvornår får jeg mine penge?")
	body := "Hej Jens. Jeg forstår godt, at du venter på dine penge. Du får pengene tilbage i morgen, og jeg følger selv sagen, til de er på din konto."
	m, err := e.Desk.Send(ctx, helpdesk.Outgoing{Number: tk.Number, Agent: e.Agent, Body: body, Lang: "da"})
	if err != nil {
		t.Fatal(err)
	}
	rv, err := e.Store.Review(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	fired := false
	for _, f := range rv.Findings {
		fired = fired || f.Rule == "lover-penge"
	}
	if !fired {
		t.Fatalf("the custom rule did not fire on the sent reply: %+v", rv.Findings)
	}

	lead := e.SignIn("lead@coachdesk.test")
	r := lead.Get("/coaching?rule=lover-penge")
	mustContain(t, "queue filtered by the custom rule", r.Body, `<option value="lover-penge" selected`, "Refusion")
	review := fmt.Sprintf("/coaching/replies/%d", m.ID)
	r = lead.Post(review+"/missed", url.Values{"rule": {"lover-penge"}, "passage": {"til de er på din konto"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("a missed finding of a custom rule: %d\n%s", r.Status, excerpt(r.Body))
	}
	r = lead.Get("/coaching/dashboard")
	mustContain(t, "dashboard", r.Body, `<tr data-rule="lover-penge"><td>lover-penge</td>`)
	if strings.Contains(r.Body, "coach.rule.lover-penge") {
		t.Error("the dashboard shows the catalogue key for a custom rule")
	}

	// the admin removes the rule again: its findings stay on the dashboard
	d, err := e.App.Rules.Draft(ctx, "da")
	if err != nil {
		t.Fatal(err)
	}
	delete(d.Pack.Rules, "lover-penge")
	delete(d.Pack.Examples, "lover-penge")
	if _, _, err := e.App.Rules.Edit(ctx, "da", e.Admin, func(p *coach.Pack) error { *p = *d.Pack; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Rules.Publish(ctx, "da", e.Admin, "Ikke brug for den mere"); err != nil {
		t.Fatal(err)
	}
	r = lead.Get("/coaching/dashboard")
	mustContain(t, "dashboard after the rule is gone", r.Body, `<tr data-rule="lover-penge"><td>lover-penge</td>`)
}
