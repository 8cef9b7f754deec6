package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a templ component with status, in the request's context (and so its language).
func render(c echo.Context, status int, component templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return component.Render(c.Request().Context(), c.Response())
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/inbox"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" {
		return "/inbox"
	}
	return next
}

func requestLog() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			status := c.Response().Status
			level := slog.LevelDebug
			// A 503 is the store saying it cannot take writes; it logs that once a minute itself.
			if status >= 500 && status != http.StatusServiceUnavailable {
				level = slog.LevelError
			}
			// The route's pattern, not the path: a reset link's code must not land in the log.
			slog.Log(c.Request().Context(), level, "http", "method", c.Request().Method, "path", c.Path(),
				"status", status, "took", time.Since(start))
			return nil
		}
	}
}

// renderAll writes several components in one response: the target first, then out-of-band swaps.
func renderAll(c echo.Context, status int, components ...templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	for _, comp := range components {
		if err := comp.Render(c.Request().Context(), c.Response()); err != nil {
			return err
		}
	}
	return nil
}
