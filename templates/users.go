package templates

import "coachdesk/internal/desk"

type UsersPage struct {
	Page
	Users  []desk.User
	Form   UserForm
	Notice string
}

type UserForm struct {
	Name   string
	Email  string
	Role   desk.Role
	Errors FieldErrors
}
