// Package demo fills an empty database with a team and realistic Danish support tickets.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"

	"coachdesk/internal/auth"
	"coachdesk/internal/desk"
	"coachdesk/internal/store"
)

// Login is a demo account and the password printed once for it.
type Login struct {
	Email    string
	Password string
	Role     desk.Role
}

// Team are the demo users: an admin, a lead and two agents.
var Team = []desk.User{
	{Name: "Astrid Admin", Email: "admin@coachdesk.test", Role: desk.RoleAdmin},
	{Name: "Lene Leder", Email: "lead@coachdesk.test", Role: desk.RoleLead},
	{Name: "Anna Agent", Email: "anna@coachdesk.test", Role: desk.RoleAgent},
	{Name: "Mikkel Agent", Email: "mikkel@coachdesk.test", Role: desk.RoleAgent},
}

// ErrNotEmpty refuses to mix demo data into a database that already has users.
var ErrNotEmpty = errors.New("demo: the database already has users; use an empty database for demo data")

// Seed creates the team with fresh random passwords, the demo tickets, and extra generated tickets.
func Seed(ctx context.Context, st *store.Store, extra int) ([]Login, error) {
	agents, err := st.Agents(ctx)
	if err != nil {
		return nil, err
	}
	if len(agents) > 0 {
		return nil, ErrNotEmpty
	}
	var logins []Login
	var users []desk.User
	for _, u := range Team {
		password := randomPassword()
		if u.PasswordHash, err = auth.HashPassword(password); err != nil {
			return nil, err
		}
		created, err := st.CreateUser(ctx, u)
		if err != nil {
			return nil, err
		}
		users = append(users, created)
		logins = append(logins, Login{Email: u.Email, Password: password, Role: u.Role})
	}
	if extra > 0 {
		// At scale the history needs a bigger team; their logins are printed like the others'.
		assignable := []desk.User{users[1], users[2], users[3]}
		for _, u := range extraAgents {
			password := randomPassword()
			if u.PasswordHash, err = auth.HashPassword(password); err != nil {
				return nil, err
			}
			created, err := st.CreateUser(ctx, u)
			if err != nil {
				return nil, err
			}
			assignable = append(assignable, created)
			logins = append(logins, Login{Email: u.Email, Password: password, Role: u.Role})
		}
		if _, err := generate(ctx, st, assignable, extra, store.BulkDeferred); err != nil {
			return nil, err
		}
	}
	if err := seedTickets(ctx, st, users); err != nil {
		return nil, err
	}
	return logins, nil
}

func randomPassword() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
