package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/coach"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/internal/rules"
	"coachdesk/templates"
)

// rulesRoutes are the admin's editor of the coach's packs: every route (and its API) is admin-only.
func (s *Server) rulesRoutes(ui, api *echo.Group, admin echo.MiddlewareFunc) {
	ui.GET("/admin/rules", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/admin/rules/da") }, admin)
	ui.GET("/admin/rules/:lang", s.rulesPage, admin)
	ui.POST("/admin/rules/:lang/rules/:id", s.saveRuleSettings, admin)
	ui.POST("/admin/rules/:lang/list", s.editRuleList, admin)
	ui.POST("/admin/rules/:lang/examples", s.editRuleExample, admin)
	ui.POST("/admin/rules/:lang/custom", s.addCustomRule, admin)
	ui.POST("/admin/rules/:lang/publish", s.publishPack, admin)
	ui.POST("/admin/rules/:lang/discard", s.discardPackDraft, admin)
	ui.POST("/admin/rules/:lang/import", s.importPack, admin)
	ui.GET("/admin/rules/:lang/export.yaml", s.exportPack, admin)
	ui.POST("/admin/rules/:lang/backtest", s.startBacktest, admin)
	ui.GET("/admin/rules/:lang/backtest/:id", s.backtestPage, admin)
	ui.POST("/admin/rules/:lang/backtest/:id/cancel", s.cancelBacktest, admin)
	ui.GET("/admin/rules/:lang/history", s.packHistory, admin)
	ui.GET("/admin/rules/:lang/versions/:version", s.packHistory, admin)
	ui.POST("/admin/rules/:lang/versions/:version/restore", s.restorePack, admin)
	ui.POST("/admin/rules/examples/from-finding/:id", s.exampleFromFinding, admin)
	api.GET("/rules/:lang", s.exportPack, admin)
	api.GET("/rules/:lang/versions", s.apiPackVersions, admin)
}

func packLang(c echo.Context) (string, error) {
	lang := c.Param("lang")
	if !rules.ValidLang(lang) {
		return "", desk.Errorf(desk.ENOTFOUND, "", "There is no pack for %q.", lang)
	}
	return lang, nil
}

// rulesView is what one render of the rules page needs besides the stored draft.
type rulesView struct {
	changed *coach.Pack // a refused change to show instead of the draft
	errs    templates.FieldErrors
	typed   map[string]string
	notice  string
	open    string
}

func (s *Server) rulesPage(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	v := rulesView{open: c.QueryParam("open")}
	ctx := c.Request().Context()
	switch {
	case c.QueryParam("published") != "":
		v.notice = i18n.T(ctx, "rules.published", map[string]any{"Version": c.QueryParam("published")})
	case c.QueryParam("saved") != "":
		v.notice = i18n.T(ctx, "rules.saved")
	case c.QueryParam("imported") != "":
		v.notice = i18n.T(ctx, "rules.imported")
	case c.QueryParam("discarded") != "":
		v.notice = i18n.T(ctx, "rules.discarded")
	}
	return s.renderRules(c, http.StatusOK, lang, v)
}

func (s *Server) renderRules(c echo.Context, status int, lang string, v rulesView) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "nav.rules"), "")
	if err != nil {
		return err
	}
	d, err := s.rules.Draft(ctx, lang)
	if err != nil {
		return err
	}
	p := d.Pack
	if v.changed != nil {
		p = v.changed
	}
	cur := s.rules.Current(lang)
	hits, err := s.rules.Hits(ctx, lang, time.Now())
	if err != nil {
		return err
	}
	problems, results := s.rules.Check(p, lang)
	byRule := map[string][]templates.ExampleView{}
	ran := map[string]map[int]coach.ExampleResult{}
	for _, r := range results {
		if ran[r.Rule] == nil {
			ran[r.Rule] = map[int]coach.ExampleResult{}
		}
		ran[r.Rule][r.Index] = r
	}
	for id, xs := range p.Examples {
		for i, x := range xs {
			ev := templates.ExampleView{Rule: id, Index: i, Example: x}
			if r, ok := ran[id][i]; ok {
				ev.Ran, ev.OK, ev.Got = true, r.OK, r.Got
			}
			byRule[id] = append(byRule[id], ev)
		}
	}
	rp := templates.RulesPage{Page: page, Lang: lang, Langs: coach.Languages(), Current: cur.Version, Draft: d, Problems: problems,
		Errors: v.errs, Typed: v.typed, Unsaved: v.changed != nil, Notice: v.notice, Replies: hits.Replies, Open: v.open}
	if rp.Errors == nil {
		rp.Errors = templates.FieldErrors{}
	}
	for _, id := range p.RuleIDs() {
		rp.Failing = append(rp.Failing, onlyFailing(byRule[id])...)
		rp.Rules = append(rp.Rules, ruleView(p, id, hits, byRule[id]))
	}
	rp.OurNames = listView(p, rules.OurNamesList(p), hits)
	a, err1 := coach.MarshalPack(cur.Pack)
	b, err2 := coach.MarshalPack(p)
	if err1 == nil && err2 == nil && string(a) != string(b) {
		rp.Changed = true
		rp.Diff = coach.Diff(string(a), string(b), 3)
	}
	return render(c, status, templates.Rules(rp))
}

func onlyFailing(xs []templates.ExampleView) []templates.ExampleView {
	var out []templates.ExampleView
	for _, x := range xs {
		if x.Ran && !x.OK {
			out = append(out, x)
		}
	}
	return out
}

func ruleView(p *coach.Pack, id string, hits rules.Hits, examples []templates.ExampleView) templates.RuleView {
	r := p.Rules[id]
	rv := templates.RuleView{ID: id, Custom: r.Custom, Enabled: r.Enabled == nil || *r.Enabled, Severity: string(r.Severity),
		Threshold: r.Threshold, Window: r.Window, Message: r.Message, Suggestion: r.Suggestion, Examples: examples, Stat: hits.Rule(id)}
	switch id {
	case coach.RuleShortReply, coach.RuleEscalation:
		rv.HasThreshold = true
	case coach.RuleAcknowledge:
		rv.HasWindow = true
	}
	rv.Noisy = rv.Stat.Noisy(hits.Replies)
	for _, l := range rules.RuleLists(p, id) {
		rv.Lists = append(rv.Lists, listView(p, l, hits))
	}
	return rv
}

func listView(p *coach.Pack, l rules.List, hits rules.Hits) templates.ListView {
	lv := templates.ListView{Key: l.Key, Kind: l.Kind, Label: l.Label}
	// acronyms and greetings keep findings away or are looked for as a whole: no hit counts
	counted := !strings.HasSuffix(l.Key, ".acronyms") && l.Key != "greetings" && l.Key != "our_names" && !strings.HasSuffix(l.Key, ".exceptions")
	for i, e := range l.Entries {
		ev := templates.EntryView{Index: i, Text: e, Note: rules.Note(p, l.Key, e)}
		if counted {
			ev.Stat = hits.Entry(l.Key, e)
			ev.Dead = hits.Replies > 0 && ev.Stat.Hits == 0
			ev.Noisy = ev.Stat.Noisy(hits.Replies)
		}
		lv.Entries = append(lv.Entries, ev)
	}
	return lv
}

// problemErrors puts each pack problem beside its field, in the reader's language.
func problemErrors(c echo.Context, errs []coach.FieldError, rename func(string) string) templates.FieldErrors {
	out := templates.FieldErrors{}
	for _, e := range errs {
		field := e.Field
		if rename != nil {
			field = rename(field)
		}
		if _, ok := out[field]; !ok {
			out[field] = i18n.T(c.Request().Context(), "rules.error."+e.Reason, map[string]any{"Detail": e.Detail})
		}
	}
	return out
}

// afterEdit redirects to the rule's place after a saved change, or shows the refused change with
// its problems at their fields.
func (s *Server) afterEdit(c echo.Context, lang, open string, changed *coach.Pack, errs []coach.FieldError, err error, v rulesView) error {
	if fixable, err := splitFixable(err); err != nil {
		return err
	} else if fixable != nil {
		v.errs = fieldError(c, fixable, "pack")
		v.open = open
		return s.renderRules(c, fixableStatus(fixable), lang, v)
	}
	if len(errs) > 0 {
		if v.errs == nil {
			v.errs = problemErrors(c, errs, nil)
		}
		if v.changed == nil {
			v.changed = changed
		}
		v.open = open
		return s.renderRules(c, http.StatusUnprocessableEntity, lang, v)
	}
	target := "/admin/rules/" + lang + "?saved=1"
	if open != "" {
		target += "&open=" + url.QueryEscape(open) + "#rule-" + open
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func (s *Server) saveRuleSettings(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	id := c.Param("id")
	rs := rules.RuleSettings{Enabled: c.FormValue("enabled") == "1", Severity: coach.Severity(c.FormValue("severity")),
		Message: c.FormValue("message"), Suggestion: c.FormValue("suggestion")}
	var bad []coach.FieldError
	for _, n := range []struct {
		name string
		to   *int
	}{{"threshold", &rs.Threshold}, {"window", &rs.Window}} {
		if v := strings.TrimSpace(c.FormValue(n.name)); v != "" {
			x, err := strconv.Atoi(v)
			if err != nil {
				bad = append(bad, coach.FieldError{Field: "rules." + id + "." + n.name, Reason: coach.ReasonRange, Detail: v})
			}
			*n.to = x
		}
	}
	changed, errs, err := s.rules.Edit(c.Request().Context(), lang, u, func(p *coach.Pack) error {
		if len(bad) > 0 {
			return nil
		}
		return rs.Apply(p, id)
	})
	if len(bad) > 0 && err == nil {
		errs = bad
	}
	return s.afterEdit(c, lang, id, changed, errs, err, rulesView{})
}

func formInt(c echo.Context, name string) int {
	n, _ := strconv.Atoi(c.FormValue(name))
	return n
}

// openFor is the rule whose card holds list key.
func openFor(key string) string {
	switch {
	case key == "questions.verbs" || key == "questions.open":
		return coach.RuleClosedQuestion
	case key == "greetings":
		return coach.RuleGreeting
	case key == "our_names":
		return ""
	}
	rest, _ := strings.CutPrefix(key, "rules.")
	id, _, _ := strings.Cut(rest, ".")
	return id
}

func (s *Server) editRuleList(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	e := rules.ListEdit{Key: c.FormValue("key"), Op: c.FormValue("op"), Index: formInt(c, "index"), Value: c.FormValue("value"), Note: c.FormValue("note")}
	if e.Op == "add" {
		e.Index = -1
	}
	changed, errs, err := s.rules.Edit(c.Request().Context(), lang, u, e.Apply)
	return s.afterEdit(c, lang, openFor(e.Key), changed, errs, err, rulesView{})
}

func (s *Server) editRuleExample(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	rule := c.FormValue("rule")
	e := rules.ExampleEdit{Rule: rule, Op: c.FormValue("op"), Index: formInt(c, "index"),
		Example: coach.Example{Text: c.FormValue("text"), Fire: c.FormValue("fire") != "0", Span: c.FormValue("span")}}
	_, errs, err := s.rules.Edit(c.Request().Context(), lang, u, e.Apply)
	key := "example:" + rule
	v := rulesView{typed: map[string]string{key + "/text": c.FormValue("text"), key + "/fire": c.FormValue("fire"), key + "/span": c.FormValue("span")}}
	if len(errs) > 0 {
		v.errs = problemErrors(c, errs, func(f string) string {
			if strings.HasPrefix(f, "examples."+rule) {
				return key
			}
			return f
		})
		v.changed = nil
		return s.afterEditUnchanged(c, lang, rule, v)
	}
	return s.afterEdit(c, lang, rule, nil, nil, err, v)
}

// afterEditUnchanged shows the stored draft again with a refused form's typed values and problems.
func (s *Server) afterEditUnchanged(c echo.Context, lang, open string, v rulesView) error {
	v.open = open
	return s.renderRules(c, http.StatusUnprocessableEntity, lang, v)
}

func (s *Server) addCustomRule(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	cr := rules.CustomRule{ID: strings.TrimSpace(c.FormValue("id")), Severity: coach.Severity(c.FormValue("severity")), Message: c.FormValue("message"), Suggestion: c.FormValue("suggestion")}
	for _, l := range strings.Split(c.FormValue("patterns"), "\n") {
		if strings.TrimSpace(l) != "" {
			cr.Patterns = append(cr.Patterns, l)
		}
	}
	typed := map[string]string{"custom/id": cr.ID, "custom/severity": string(cr.Severity), "custom/message": cr.Message,
		"custom/suggestion": cr.Suggestion, "custom/patterns": c.FormValue("patterns")}
	v := rulesView{typed: typed}
	var errs []coach.FieldError
	if cr.ID == "" {
		errs = []coach.FieldError{{Field: "rules..id", Reason: coach.ReasonEmpty}}
	} else {
		_, errs, err = s.rules.Edit(c.Request().Context(), lang, u, cr.Apply)
	}
	if fixable, err := splitFixable(err); err != nil {
		return err
	} else if fixable != nil {
		v.errs = templates.FieldErrors{"custom/id": localized(c, fixable)}
		return s.afterEditUnchanged(c, lang, "custom", v)
	}
	if len(errs) > 0 {
		prefix := "rules." + cr.ID + "."
		v.errs = problemErrors(c, errs, func(f string) string {
			switch {
			case strings.HasPrefix(f, prefix+"patterns"):
				return "custom/patterns"
			case f == prefix+"message":
				return "custom/message"
			case strings.HasPrefix(f, "rules."+cr.ID):
				return "custom/id"
			}
			return f
		})
		return s.afterEditUnchanged(c, lang, "custom", v)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"?saved=1&open="+url.QueryEscape(cr.ID)+"#rule-"+cr.ID)
}

func (s *Server) publishPack(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	reason := c.FormValue("reason")
	v, err := s.rules.Publish(c.Request().Context(), lang, u, reason)
	var blocked *rules.Blocked
	if errors.As(err, &blocked) {
		// the page lists the problems and failing examples itself
		return s.renderRules(c, http.StatusUnprocessableEntity, lang, rulesView{typed: map[string]string{"publish/reason": reason},
			errs: templates.FieldErrors{"reason": i18n.T(c.Request().Context(), "rules.publish_blocked")}})
	}
	if fixable, err := splitFixable(err); err != nil {
		return err
	} else if fixable != nil {
		return s.renderRules(c, fixableStatus(fixable), lang, rulesView{typed: map[string]string{"publish/reason": reason}, errs: fieldError(c, fixable, "reason")})
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"?published="+strconv.Itoa(v.Version))
}

func (s *Server) discardPackDraft(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	if err := s.rules.Discard(c.Request().Context(), lang); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"?discarded=1")
}

// maxPackFile bounds an imported pack (the embedded ones are about 20 kB).
const maxPackFile = 1 << 20

func (s *Server) importPack(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	text := c.FormValue("text")
	data := []byte(text)
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, maxPackFile)); err != nil {
			return err
		}
	}
	v := rulesView{typed: map[string]string{"import/text": text}, open: "import"}
	if len(strings.TrimSpace(string(data))) == 0 {
		v.errs = templates.FieldErrors{"file": i18n.T(c.Request().Context(), "rules.error.empty", map[string]any{"Detail": ""})}
		return s.renderRules(c, http.StatusUnprocessableEntity, lang, v)
	}
	_, errs, err := s.rules.Import(c.Request().Context(), lang, data, u)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		var msgs []string
		for f, m := range problemErrors(c, errs, nil) {
			msgs = append(msgs, f+": "+m)
		}
		v.errs = templates.FieldErrors{"file": strings.Join(msgs, "; ")}
		return s.renderRules(c, http.StatusUnprocessableEntity, lang, v)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"?imported=1#draft")
}

func (s *Server) exportPack(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	b, err := s.rules.Export(c.Request().Context(), lang, c.QueryParam("draft") != "")
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+lang+`.yaml"`)
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", b)
}

func (s *Server) apiPackVersions(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	vs, err := s.rules.Versions(c.Request().Context(), lang)
	if err != nil {
		return err
	}
	type version struct {
		Version     int       `json:"version"`
		PackVersion string    `json:"pack_version"`
		Author      string    `json:"author"`
		Reason      string    `json:"reason"`
		CreatedAt   time.Time `json:"created_at"`
	}
	out := []version{}
	for _, v := range vs {
		out = append(out, version{v.Version, v.PackVersion, v.AuthorName, v.Reason, v.CreatedAt})
	}
	return c.JSON(http.StatusOK, map[string]any{"lang": lang, "current": s.rules.Current(lang).Version, "versions": out})
}

func (s *Server) startBacktest(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	days := formInt(c, "days")
	if days <= 0 || days > 3650 {
		days = 30
	}
	d, err := s.rules.Draft(c.Request().Context(), lang)
	if err != nil {
		return err
	}
	now := time.Now()
	run, err := s.rules.StartBacktest(d.Pack, lang, now.AddDate(0, 0, -days), now.Add(time.Minute))
	if err != nil {
		return s.renderRules(c, http.StatusUnprocessableEntity, lang, rulesView{errs: templates.FieldErrors{"reason": err.Error()}})
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"/backtest/"+run.ID)
}

func (s *Server) backtestPage(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	run := s.rules.Backtest(lang, c.Param("id"))
	if run == nil {
		return desk.Errorf(desk.ENOTFOUND, "", "That backtest is gone; start another.")
	}
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "rules.backtest"), "")
	if err != nil {
		return err
	}
	p := templates.BacktestPage{Page: page, Lang: lang, Run: run.Snapshot()}
	if c.QueryParam("partial") != "" {
		return render(c, http.StatusOK, templates.BacktestStatusView(p))
	}
	return render(c, http.StatusOK, templates.Backtest(p))
}

func (s *Server) cancelBacktest(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	run := s.rules.Backtest(lang, c.Param("id"))
	if run == nil {
		return desk.Errorf(desk.ENOTFOUND, "", "That backtest is gone.")
	}
	run.Cancel()
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"/backtest/"+run.ID)
}

func (s *Server) packHistory(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	return s.renderHistory(c, http.StatusOK, lang, nil)
}

func (s *Server) renderHistory(c echo.Context, status int, lang string, errs templates.FieldErrors) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "rules.tab.history"), "")
	if err != nil {
		return err
	}
	vs, err := s.rules.Versions(ctx, lang)
	if err != nil {
		return err
	}
	p := templates.HistoryPage{Page: page, Lang: lang, Langs: coach.Languages(), Versions: vs, Current: s.rules.Current(lang).Version, Errors: errs}
	if p.Errors == nil {
		p.Errors = templates.FieldErrors{}
	}
	if r := c.QueryParam("restored"); r != "" {
		p.Notice = i18n.T(ctx, "rules.restored", map[string]any{"Version": r})
	}
	want := 0
	if v := c.Param("version"); v != "" {
		if want, err = strconv.Atoi(v); err != nil || want <= 0 {
			return desk.Errorf(desk.ENOTFOUND, "", "No version %q.", v)
		}
	} else if len(vs) > 0 {
		want = vs[0].Version
	}
	if want > 0 {
		p.Version, p.Diff, err = s.rules.VersionDiff(ctx, lang, want)
		if err != nil {
			return err
		}
	}
	return render(c, status, templates.History(p))
}

func (s *Server) restorePack(c echo.Context) error {
	lang, err := packLang(c)
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil {
		return desk.Errorf(desk.ENOTFOUND, "", "No version %q.", c.Param("version"))
	}
	v, err := s.rules.Restore(c.Request().Context(), lang, n, u, c.FormValue("reason"))
	if fixable, err := splitFixable(err); err != nil {
		return err
	} else if fixable != nil {
		return s.renderHistory(c, fixableStatus(fixable), lang, fieldError(c, fixable, "version"))
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"/history?restored="+strconv.Itoa(n)+"#v"+strconv.Itoa(v.Version))
}

// exampleFromFinding makes a dismissed finding's reply a must-not-fire example of its rule, in the
// draft of the reply's language.
func (s *Server) exampleFromFinding(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	msgID, err := s.store.FindingMessage(ctx, id)
	if err != nil {
		return err
	}
	rv, err := s.store.Review(ctx, msgID)
	if err != nil {
		return err
	}
	var rule string
	for _, f := range rv.Findings {
		if f.ID == id {
			rule = f.Rule
		}
	}
	lang := rv.Coaching.Lang
	if rule == "" || !rules.ValidLang(lang) {
		return desk.Errorf(desk.ENOTFOUND, "", "That finding is gone.")
	}
	u, _ := currentUser(c)
	ex := rules.ExampleEdit{Rule: rule, Op: "add", Example: coach.Example{Text: rv.Reply.Body, Note: i18n.T(ctx, "rules.example.from_review", map[string]any{"ID": msgID})}}
	_, errs, err := s.rules.Edit(ctx, lang, u, ex.Apply)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return desk.Errorf(desk.EINVALID, "", "The example could not be added: %v", errs[0])
	}
	return c.Redirect(http.StatusSeeOther, "/admin/rules/"+lang+"?saved=1&open="+url.QueryEscape(rule)+"#rule-"+rule)
}
