package templates

import (
	"time"

	"coachdesk/internal/desk"
)

// AccountPage is a signed-in user's own account: their password and their API tokens.
type AccountPage struct {
	Page
	Notice      string
	Password    PasswordForm
	Tokens      []desk.Token
	TokenForm   TokenForm
	NewToken    string // the secret of the token just created: shown in this answer and never again
	NewTokenFor string // its name
	Signature   SignatureForm
}

// SignatureForm is the agent's signature below mailed replies, kept as typed when refused.
type SignatureForm struct {
	Body   string
	Errors FieldErrors
}

// PasswordForm keeps what was typed when a change is refused; the current password is never shown again.
type PasswordForm struct {
	New    string
	Repeat string
	Errors FieldErrors
}

// TokenForm is the form that creates an API token.
type TokenForm struct {
	Name        string
	ExpiresDays string // "" for never
	Integration bool
	Errors      FieldErrors
}

// TokenLifetimes are the expiry choices offered, in days; "" is never.
var TokenLifetimes = []string{"30", "90", "365", ""}

// TokensPage is the admin's list of every API token.
type TokensPage struct {
	Page
	Notice string
	Tokens []desk.Token
}

// EditUserPage is where an admin changes a user's name and e-mail and hands out a reset code.
type EditUserPage struct {
	Page
	Target       desk.User
	Form         UserForm
	Notice       string
	ResetLink    string // the one-time link just made: shown in this answer and never again
	ResetExpires time.Time
	ResetError   string
}

// ResetPage is the public page a reset link opens.
type ResetPage struct {
	CSRF    string
	Code    string
	Email   string
	State   string // "form", "done", "expired", "used" or "unknown"
	Form    PasswordForm
	Expires time.Time
}

func when(at *time.Time) string {
	if at == nil {
		return ""
	}
	return stamp(*at)
}

// revokeURL is where a token's revoke button posts: the owner's route, or the admin's for all tokens.
func revokeURL(id int64, all bool) string {
	if all {
		return "/admin/tokens/" + itoa(id) + "/revoke"
	}
	return "/account/tokens/" + itoa(id) + "/revoke"
}
