package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

var errCSRF = desk.Errorf(desk.EFORBIDDEN, "_csrf", "The form has expired or came from another site; reload the page and send again.")

var statusOf = map[string]int{
	desk.EINVALID:      http.StatusUnprocessableEntity,
	desk.EMALFORMED:    http.StatusBadRequest,
	desk.ENOTFOUND:     http.StatusNotFound,
	desk.ECONFLICT:     http.StatusConflict,
	desk.EUNAUTHORIZED: http.StatusUnauthorized,
	desk.EFORBIDDEN:    http.StatusForbidden,
	desk.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	desk.ETOOMANY:      http.StatusTooManyRequests,
	desk.EINTERNAL:     http.StatusInternalServerError,
	desk.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// asDeskError turns any error into a desk error with a code; internals are logged, never shown.
func asDeskError(c echo.Context, err error) *desk.Error {
	if e, ok := desk.AsError(err); ok {
		return e
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg, _ := he.Message.(string)
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			return &desk.Error{Code: desk.ENOTFOUND, Message: "No such page or resource."}
		case http.StatusRequestEntityTooLarge:
			return &desk.Error{Code: desk.ETOOLARGE, Field: "body", Message: "The request body is larger than 256 KB."}
		case http.StatusBadRequest, http.StatusUnsupportedMediaType:
			return &desk.Error{Code: desk.EMALFORMED, Message: "The request could not be read: " + msg}
		case http.StatusUnauthorized:
			return &desk.Error{Code: desk.EUNAUTHORIZED, Message: msg}
		case http.StatusForbidden:
			return &desk.Error{Code: desk.EFORBIDDEN, Message: msg}
		}
	}
	slog.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	return &desk.Error{Code: desk.EINTERNAL, Message: "Something failed on our side; it has been logged. Try again in a moment."}
}

// handleError is echo's one error handler: JSON for the API, a page for people.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := asDeskError(c, err)
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if e.Code == desk.EUNAVAILABLE {
		c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfter(err)))
	}
	if isAPI(c) {
		_ = c.JSON(status, apiError(e))
		return
	}
	if e.Code == desk.EUNAUTHORIZED {
		// Back to where the person was after signing in. The address is escaped, so its own query
		// (?view=all&q=…) survives as one parameter instead of being cut at the first &.
		next := c.Request().URL.RequestURI()
		if isHTMX(c) {
			// An htmx call (a sidebar change after the session ended) must not swap the sign-in page into
			// a fragment: HX-Redirect sends the whole window there, back to the page it was on.
			if u, err := url.Parse(hx(c).CurrentURL()); err == nil && u.Path != "" {
				next = u.RequestURI()
			}
			hx(c).Redirect("/signin?next=" + url.QueryEscape(safeNext(next)))
			_ = c.NoContent(http.StatusUnauthorized)
			return
		}
		_ = c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(safeNext(next)))
		return
	}
	loc, ok := i18n.From(c.Request().Context())
	if !ok {
		// Errors raised before loadUser ran (unknown routes) still get a page in the visitor's language.
		loc = s.i18n.For(guestLocale(c))
		c.SetRequest(c.Request().WithContext(i18n.WithLocalizer(c.Request().Context(), loc)))
	}
	title, message := loc.T("error.internal_title"), loc.T("error.internal")
	switch {
	case errors.Is(err, errCSRF):
		title, message = loc.T("error.csrf_title"), loc.T("error.csrf")
	case e.Code == desk.EFORBIDDEN:
		title, message = loc.T("error.forbidden_title"), loc.T("error.forbidden")
	case e.Code == desk.ENOTFOUND:
		title, message = loc.T("error.not_found_title"), loc.T("error.not_found")
	case e.Code == desk.EUNAVAILABLE:
		title, message = loc.T("faults.title"), unavailableText(c, e, false)
	case e.Code == desk.ETOOLARGE:
		title, message = loc.T("error.too_large"), localized(c, e)
	case e.Code != desk.EINTERNAL:
		title, message = loc.T("error.bad_request"), localized(c, e)
	}
	_ = render(c, status, templates.ErrorPage(status, title, message))
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

type apiErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

func apiError(e *desk.Error) apiErrorBody {
	var b apiErrorBody
	b.Error.Code, b.Error.Message, b.Error.Field = e.Code, e.Message, e.Field
	return b
}

// userFacing splits an error the person can fix by changing their input (returned as fixable)
// from one they cannot (returned as err, for the error page or JSON error).
func userFacing[T any](_ T, err error) (fixable *desk.Error, _ error) { return splitFixable(err) }

func splitFixable(err error) (fixable *desk.Error, _ error) {
	e, ok := desk.AsError(err)
	switch {
	case err == nil:
		return nil, nil
	// A database that cannot take the write is told beside the text too, so nothing typed is lost.
	case ok && (e.Code == desk.EINVALID || e.Code == desk.ECONFLICT || e.Code == desk.ETOOLARGE || e.Code == desk.EUNAVAILABLE):
		return e, nil
	}
	return nil, err
}

// fixableStatus is the HTTP status of a form re-rendered for a fixable error: 422 for a bad value,
// 409 for a conflict (a closed ticket), 413 for text too large.
func fixableStatus(e *desk.Error) int {
	if status := statusOf[e.Code]; status != 0 {
		return status
	}
	return http.StatusUnprocessableEntity
}

// fieldError is every problem of e, each beside its field (beside fallback when none is named).
func fieldError(c echo.Context, e *desk.Error, fallback string) templates.FieldErrors {
	errs := templates.FieldErrors{}
	for _, p := range append([]*desk.Error{e}, e.Also...) {
		field := p.Field
		if field == "" {
			field = fallback
		}
		if _, shown := errs[field]; !shown {
			errs[field] = localized(c, p)
		}
	}
	return errs
}

// localized says a fixable error in the reader's language: the catalogue has a message per code,
// field and reason ("error.invalid.subject.required"), else per code and field; the domain's
// English message is the fallback.
func localized(c echo.Context, e *desk.Error) string {
	if e.Code == desk.EUNAVAILABLE {
		return unavailableText(c, e, true) // only forms that keep the text show it beside a field
	}
	key := "error." + e.Code + "." + e.Field
	for _, k := range []string{key + "." + e.Reason, key} {
		if msg := i18n.T(c.Request().Context(), k); msg != k {
			return msg
		}
	}
	return e.Message
}
