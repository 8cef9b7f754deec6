package web

import "github.com/labstack/echo/v4"

// mailRoutes are the mail channel's pages: mailboxes for admins; a reply's retry, a received mail's
// original and its attachments for agents.
func (s *Server) mailRoutes(ui *echo.Group, agent, admin echo.MiddlewareFunc) {
}
