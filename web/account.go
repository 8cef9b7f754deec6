package web

import "github.com/labstack/echo/v4"

// accountRoutes are the pages where people manage their own account, and admins everyone's.
func (s *Server) accountRoutes(ui *echo.Group, agent, admin echo.MiddlewareFunc) {
}
