package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/metrics"
)

// observeRequests times every request by its route template (c.Path(), never the URL: ticket
// numbers and reset codes would make a label per request) once its status is written.
func (s *Server) observeRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // the status the client gets is the one to count
		}
		route := c.Path()
		if route == "/*" {
			route = metrics.Unmatched // the UI group's catch-all: an unknown page, not a route
		}
		s.metrics.ObserveRequest(route, c.Request().Method, c.Response().Status, time.Since(start))
		return nil
	}
}

// metricsOnMain answers /metrics on the main address only to a bearer of the metrics token;
// without one configured the route does not exist there (--metrics-addr serves it instead).
func (s *Server) metricsOnMain(c echo.Context) error {
	if s.metricsToken == "" || s.metrics == nil {
		return echo.ErrNotFound
	}
	got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	// Constant time: the comparison must not tell a guesser how much of the token was right.
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.metricsToken)) != 1 {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
		return c.String(http.StatusUnauthorized, "metrics need the metrics token\n")
	}
	return echo.WrapHandler(s.metrics.Handler())(c)
}
