package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

// reviewRoutes are the team lead's coaching review and dashboard (also as CSV and JSON), and each
// agent's own coaching.
func (s *Server) reviewRoutes(ui, api *echo.Group, agent, lead echo.MiddlewareFunc) {
	ui.GET("/coaching", s.reviewQueue, lead)
	ui.GET("/coaching/precision", s.precision, lead)
	ui.POST("/coaching/precision/settings", s.saveReviewSettings, s.requireRole(desk.RoleAdmin))
	ui.GET("/coaching/dashboard", s.dashboard, lead)
	ui.GET("/coaching/export/dashboard.csv", s.exportDashboard, lead)
	ui.GET("/coaching/export/queue.csv", s.exportQueue, lead)
	ui.GET("/coaching/export/precision.csv", s.exportPrecision, lead)
	api.GET("/coaching/dashboard", s.apiDashboard, lead)
	api.GET("/coaching/queue", s.apiQueue, lead)
	api.GET("/coaching/precision", s.apiPrecision, lead)
	ui.GET("/coaching/replies/:id", s.reviewPage, lead)
	ui.POST("/coaching/replies/:id/reviewed", s.markReviewed, lead)
	ui.POST("/coaching/replies/:id/comments", s.addComment, lead)
	ui.POST("/coaching/replies/:id/missed", s.addMissed, lead)
	ui.POST("/coaching/findings/:id/verdict", s.setVerdict, lead)
	ui.POST("/coaching/findings/:id/dispute", s.decideDispute, lead)

	ui.GET("/my-coaching", s.myCoaching, agent)
	ui.POST("/my-coaching/findings/:id/dispute", s.dispute, agent)
	ui.POST("/my-coaching/comments/:id/read", s.commentRead, agent)
	ui.POST("/my-coaching/comments/:id/answer", s.commentAnswer, agent)
}

// reviewFilter reads the queue's filters from the query string; a bad date is left out.
func reviewFilter(c echo.Context) desk.ReviewFilter {
	q := c.QueryParams()
	f := desk.ReviewFilter{Rule: q.Get("rule"), Lang: q.Get("lang"), Severity: q.Get("severity"), Reviewed: q.Get("reviewed"),
		Overridden: q.Get("overridden") != "", NotHelpful: q.Get("not_helpful") != "", Disputed: q.Get("disputed") != "",
		SampleRate: desk.SampleConfigured}
	f.AgentID, _ = strconv.ParseInt(q.Get("agent"), 10, 64)
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	if share, err := strconv.Atoi(q.Get("share")); err == nil && share >= 0 && share <= 100 {
		f.SampleRate = share
	}
	if d, err := time.ParseInLocation("2006-01-02", q.Get("from"), time.Local); err == nil {
		f.From = d
	}
	if d, err := time.ParseInLocation("2006-01-02", q.Get("to"), time.Local); err == nil {
		f.To = d.AddDate(0, 0, 1) // the whole day the lead picked
	}
	return f
}

func (s *Server) reviewQueue(c echo.Context) error {
	ctx := c.Request().Context()
	f := reviewFilter(c)
	page, err := s.page(c, i18n.T(ctx, "review.queue"), "")
	if err != nil {
		return err
	}
	p := templates.ReviewQueuePage{Page: page, Filter: f, Rules: s.desk.Coach().RuleIDs(), Counts: map[string]int{}}
	if p.Share, err = s.configuredShare(ctx); err != nil {
		return err
	}
	if f.SampleRate == desk.SampleConfigured { // resolved once here, not by each of the six reads below
		f.SampleRate = p.Share
	}
	if p.Items, err = s.store.ReviewQueue(ctx, f); err != nil {
		return err
	}
	all := f
	all.Before = 0
	keys := []string{"", "unreviewed", "overridden", "not_helpful", "disputed"}
	filters := make([]desk.ReviewFilter, len(keys))
	for i := range filters {
		filters[i] = all
	}
	filters[1].Reviewed, filters[2].Overridden, filters[3].NotHelpful, filters[4].Disputed = "no", true, true, true
	counts, err := s.store.ReviewCounts(ctx, filters)
	if err != nil {
		return err
	}
	p.Total = counts[0]
	for i, key := range keys[1:] {
		p.Counts[key] = counts[i+1]
	}
	if p.Agents, err = s.store.Agents(ctx); err != nil {
		return err
	}
	if n := len(p.Items); n == desk.ReviewPageSize {
		q := templates.QueueQuery(p.Filter)
		q.Set("before", strconv.FormatInt(p.Items[n-1].MessageID, 10))
		p.Next = "/coaching?" + q.Encode()
	}
	return render(c, http.StatusOK, templates.ReviewQueue(p))
}

func (s *Server) reviewPage(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	notice := ""
	if c.QueryParam("saved") != "" {
		notice = i18n.T(c.Request().Context(), "review.saved")
	}
	return s.renderReview(c, id, http.StatusOK, templates.CommentForm{}, nil, notice)
}

func (s *Server) renderReview(c echo.Context, id int64, status int, form templates.CommentForm, errs templates.FieldErrors, notice string) error {
	ctx := c.Request().Context()
	rv, err := s.store.Review(ctx, id)
	if err != nil {
		return err
	}
	page, err := s.page(c, i18n.T(ctx, "review.title"), "")
	if err != nil {
		return err
	}
	return render(c, status, templates.ReviewView(templates.ReviewPage{Page: page, Review: rv, Rules: s.desk.Coach().RuleIDs(), Form: form, Errors: errs, Notice: notice}))
}

// backToReview answers a review form: the review page again, with a notice.
func backToReview(c echo.Context, id int64) error {
	return c.Redirect(http.StatusSeeOther, "/coaching/replies/"+strconv.FormatInt(id, 10)+"?saved=1")
}

// setVerdict records a verdict; from htmx it answers with the finding alone, swapped in place.
func (s *Server) setVerdict(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	lead, _ := currentUser(c)
	if err := s.desk.SetVerdict(ctx, id, lead, desk.Verdict(c.FormValue("verdict"))); err != nil {
		return err
	}
	messageID, err := s.store.FindingMessage(ctx, id)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		return c.Redirect(http.StatusSeeOther, "/coaching/replies/"+strconv.FormatInt(messageID, 10)+"#finding-"+strconv.FormatInt(id, 10))
	}
	rv, err := s.store.Review(ctx, messageID)
	if err != nil {
		return err
	}
	for _, f := range rv.Findings {
		if f.ID == id {
			return render(c, http.StatusOK, templates.ReviewFindingItem(f, csrfToken(c), c.FormValue("current") != ""))
		}
	}
	return desk.Errorf(desk.ENOTFOUND, "", "No finding %d.", id)
}

func (s *Server) decideDispute(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	lead, _ := currentUser(c)
	if err := s.desk.ResolveDispute(ctx, id, lead, c.FormValue("decision") == desk.DisputeUpheld); err != nil {
		return err
	}
	messageID, err := s.store.FindingMessage(ctx, id)
	if err != nil {
		return err
	}
	return backToReview(c, messageID)
}

func (s *Server) markReviewed(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	lead, _ := currentUser(c)
	if err := s.store.MarkReviewed(c.Request().Context(), id, lead.ID); err != nil {
		return err
	}
	return backToReview(c, id)
}

// addComment writes a coaching note to the reply's agent; a bad note comes back with its text.
func (s *Server) addComment(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	lead, _ := currentUser(c)
	form := templates.CommentForm{Comment: c.FormValue("comment"), Quote: c.FormValue("quote")}
	_, err = s.store.AddComment(c.Request().Context(), id, lead.ID, form.Comment, form.Quote)
	fixable, err := splitFixable(err)
	if err != nil {
		return err
	}
	if fixable != nil {
		return s.renderReview(c, id, fixableStatus(fixable), form, fieldError(c, fixable, "comment"), "")
	}
	return backToReview(c, id)
}

// addMissed adds what the coach missed: the lead copies the passage, the first occurrence is marked.
func (s *Server) addMissed(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	lead, _ := currentUser(c)
	rv, err := s.store.Review(ctx, id)
	if err != nil {
		return err
	}
	form := templates.CommentForm{Rule: c.FormValue("rule"), Passage: c.FormValue("passage")}
	passage := strings.TrimSpace(form.Passage)
	start, end := -1, -1
	if i := strings.Index(rv.Reply.Body, passage); passage != "" && i >= 0 {
		start, end = i, i+len(passage)
	}
	err = s.desk.AddMissed(ctx, id, lead, form.Rule, start, end)
	fixable, err := splitFixable(err)
	if err != nil {
		return err
	}
	if fixable != nil {
		return s.renderReview(c, id, fixableStatus(fixable), form, fieldError(c, fixable, "span"), "")
	}
	return backToReview(c, id)
}

func (s *Server) precision(c echo.Context) error {
	return s.renderPrecision(c, http.StatusOK, nil, c.QueryParam("saved") != "")
}

// myCoaching is an agent's own coaching; agents never see anyone else's.
func (s *Server) myCoaching(c echo.Context) error {
	return s.renderMyCoaching(c, http.StatusOK, nil, c.QueryParam("saved") != "")
}

func (s *Server) renderMyCoaching(c echo.Context, status int, errs map[int64]string, saved bool) error {
	ctx := c.Request().Context()
	me, _ := currentUser(c)
	page, err := s.page(c, i18n.T(ctx, "review.my_coaching"), "")
	if err != nil {
		return err
	}
	p := templates.MyCoachingPage{Page: page, Errors: errs, DisputeDays: desk.DisputeWorkingDays}
	if rs, err := s.store.ReviewSettings(ctx); err == nil {
		p.DisputeDays = rs.DisputeDays
	}
	if saved {
		p.Notice = i18n.T(ctx, "review.saved")
	}
	if p.Comments, p.Disputes, err = s.store.MyCoaching(ctx, me.ID); err != nil {
		return err
	}
	if p.Disputable, err = s.store.ConfirmedFindings(ctx, me.ID, 50); err != nil {
		return err
	}
	to := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	if p.Trends, err = s.store.Dashboard(ctx, desk.DashboardQuery{AgentID: me.ID, From: to.Add(-defaultPeriod), To: to}); err != nil {
		return err
	}
	return render(c, status, templates.MyCoaching(p))
}

// agentAction runs one of the agent's own coaching actions on id; a fixable refusal is shown beside it.
func (s *Server) agentAction(c echo.Context, do func(id int64, me desk.User) error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	me, _ := currentUser(c)
	fixable, err := splitFixable(do(id, me))
	if err != nil {
		return err
	}
	if fixable != nil {
		return s.renderMyCoaching(c, fixableStatus(fixable), map[int64]string{id: localized(c, fixable)}, false)
	}
	return c.Redirect(http.StatusSeeOther, "/my-coaching?saved=1")
}

func (s *Server) dispute(c echo.Context) error {
	return s.agentAction(c, func(id int64, me desk.User) error {
		return s.store.Dispute(c.Request().Context(), id, me.ID, c.FormValue("reason"))
	})
}

func (s *Server) commentRead(c echo.Context) error {
	return s.agentAction(c, func(id int64, me desk.User) error {
		return s.store.MarkCommentRead(c.Request().Context(), id, me.ID)
	})
}

func (s *Server) commentAnswer(c echo.Context) error {
	return s.agentAction(c, func(id int64, me desk.User) error {
		return s.store.AnswerComment(c.Request().Context(), id, me.ID, c.FormValue("answer"))
	})
}
