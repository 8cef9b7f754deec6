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

// addUser creates an account; the admin hands the password over out of band. A short password and a
// taken e-mail are shown together, each beside its field.
func (s *Server) addUser(c echo.Context) error {
	ctx := c.Request().Context()
	form := templates.UserForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Role: desk.Role(c.FormValue("role"))}
	u := desk.User{Name: form.Name, Email: form.Email, Role: form.Role}
	password := c.FormValue("password")
	var p desk.Problems
	err := s.store.CheckNewUser(ctx, u)
	if _, ok := desk.AsError(err); err != nil && !ok {
		return err
	}
	p.Add(err)
	p.Add(auth.ValidatePassword("password", password))
	err = p.Err()
	if err == nil {
		if u.PasswordHash, err = auth.HashPassword(password); err == nil {
			_, err = s.store.CreateUser(ctx, u)
		}
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

// editUser is one user's page: name and e-mail, and the reset link an admin can hand them.
func (s *Server) editUser(c echo.Context) error {
	target, err := s.targetUser(c)
	if err != nil {
		return err
	}
	p := templates.EditUserPage{Target: target, Form: templates.UserForm{Name: target.Name, Email: target.Email, Role: target.Role}}
	if c.QueryParam("saved") != "" {
		p.Notice = i18n.T(c.Request().Context(), "users.updated")
	}
	return s.renderEditUser(c, http.StatusOK, p)
}

func (s *Server) renderEditUser(c echo.Context, status int, p templates.EditUserPage) error {
	page, err := s.page(c, p.Target.Name, "")
	if err != nil {
		return err
	}
	p.Page = page
	return render(c, status, templates.EditUser(p))
}

func (s *Server) targetUser(c echo.Context) (desk.User, error) {
	id, err := pathID(c)
	if err != nil {
		return desk.User{}, err
	}
	return s.store.UserByID(c.Request().Context(), id)
}

// updateProfile changes a user's name and e-mail; each problem is shown beside its field, text kept.
func (s *Server) updateProfile(c echo.Context) error {
	target, err := s.targetUser(c)
	if err != nil {
		return err
	}
	form := templates.UserForm{Name: c.FormValue("name"), Email: c.FormValue("email"), Role: target.Role}
	_, err = s.store.UpdateProfile(c.Request().Context(), target.ID, form.Name, form.Email)
	fixable, other := splitFixable(err)
	if other != nil {
		return other
	}
	if fixable != nil {
		form.Errors = fieldError(c, fixable, "name")
		return s.renderEditUser(c, fixableStatus(fixable), templates.EditUserPage{Target: target, Form: form})
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(target.ID, 10)+"?saved=1")
}

// issueReset makes a one-time link for the user to set a new password, shown in this answer only.
func (s *Server) issueReset(c echo.Context) error {
	ctx := c.Request().Context()
	me, _ := currentUser(c)
	target, err := s.targetUser(c)
	if err != nil {
		return err
	}
	p := templates.EditUserPage{Target: target, Form: templates.UserForm{Name: target.Name, Email: target.Email, Role: target.Role}}
	switch {
	case target.ID == me.ID:
		p.ResetError = i18n.T(ctx, "users.reset_self")
	case !target.Active:
		p.ResetError = i18n.T(ctx, "users.reset_blocked")
	}
	if p.ResetError != "" {
		return s.renderEditUser(c, http.StatusConflict, p)
	}
	code, expires, err := s.store.CreateReset(ctx, target.ID, me.ID)
	if err != nil {
		return err
	}
	p.ResetLink, p.ResetExpires = c.Scheme()+"://"+c.Request().Host+"/reset/"+code, expires
	return s.renderEditUser(c, http.StatusCreated, p)
}
