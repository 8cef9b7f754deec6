package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
	"coachdesk/internal/i18n"
	"coachdesk/templates"
)

func (s *Server) users(c echo.Context) error {
	notice := ""
	switch {
	case c.QueryParam("added") != "":
		notice = i18n.T(c.Request().Context(), "users.added")
	case c.QueryParam("updated") != "":
		notice = i18n.T(c.Request().Context(), "users.updated")
	}
	return s.renderUsers(c, http.StatusOK, templates.UserForm{Role: desk.RoleAgent}, notice)
}

func (s *Server) renderUsers(c echo.Context, status int, form templates.UserForm, notice string) error {
	ctx := c.Request().Context()
	page, err := s.page(c, i18n.T(ctx, "nav.users"), "")
	if err != nil {
		return err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	return render(c, status, templates.Users(templates.UsersPage{Page: page, Users: users, Form: form, Notice: notice}))
}

// addUser creates an account; the admin hands the password over out of band.
func (s *Server) addUser(c echo.Context) error {
	form := templates.UserForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Role: desk.Role(c.FormValue("role"))}
	hash, err := auth.HashPassword(c.FormValue("password"))
	if err == nil {
		_, err = s.store.CreateUser(c.Request().Context(), desk.User{Name: form.Name, Email: form.Email, Role: form.Role, PasswordHash: hash})
	}
	fixable, err := splitFixable(err)
	if err != nil {
		return err
	}
	if fixable != nil {
		form.Errors = fieldError(c, fixable, "name")
		return s.renderUsers(c, fixableStatus(fixable), form, "")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?added=1")
}

// updateUser changes a user's role or blocks their sign-in; an admin cannot lock themselves out.
func (s *Server) updateUser(c echo.Context) error {
	me, _ := currentUser(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return desk.Errorf(desk.ENOTFOUND, "", "No user %q.", c.Param("id"))
	}
	if id == me.ID {
		err = desk.Errorf(desk.ECONFLICT, "role", "You cannot change your own role or access; ask another administrator.")
	} else {
		err = s.store.UpdateUser(c.Request().Context(), id, desk.Role(c.FormValue("role")), c.FormValue("active") == "1")
	}
	fixable, err := splitFixable(err)
	if err != nil {
		return err
	}
	if fixable != nil {
		return s.renderUsers(c, fixableStatus(fixable), templates.UserForm{Role: desk.RoleAgent}, localized(c, fixable))
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?updated=1")
}
