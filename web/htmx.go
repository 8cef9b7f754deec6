package web

import "github.com/labstack/echo/v4"

// htmx is what htmx says about a request and how an answer steers it (https://htmx.org/reference/#headers).
type htmx struct{ c echo.Context }

func hx(c echo.Context) htmx { return htmx{c} }

// Request reports whether htmx sent the request and so wants a fragment, not a page.
func (h htmx) Request() bool { return h.c.Request().Header.Get("HX-Request") == "true" }

// Target is the id of the element the answer will replace.
func (h htmx) Target() string { return h.c.Request().Header.Get("HX-Target") }

// CurrentURL is the address of the page the request came from.
func (h htmx) CurrentURL() string { return h.c.Request().Header.Get("HX-Current-URL") }

// Redirect sends the whole window to path instead of swapping the answer in.
func (h htmx) Redirect(path string) { h.c.Response().Header().Set("HX-Redirect", path) }

// isHTMX reports whether the request came from htmx and wants a fragment.
func isHTMX(c echo.Context) bool { return hx(c).Request() }
