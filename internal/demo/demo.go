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
	{Name: "Freja Agent", Email: "freja@coachdesk.test", Role: desk.RoleAgent},
	{Name: "Oliver Agent", Email: "oliver@coachdesk.test", Role: desk.RoleAgent},
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
		created, login, err := addUser(ctx, st, u)
		if err != nil {
			return nil, err
		}
		users, logins = append(users, created), append(logins, login)
	}
	if extra > 0 {
		// At scale the history needs a bigger team; their logins are printed like the others'.
		assignable := []desk.User{users[1], users[2], users[3]}
		for _, u := range extraAgents {
			created, login, err := addUser(ctx, st, u)
			if err != nil {
				return nil, err
			}
			assignable, logins = append(assignable, created), append(logins, login)
		}
		if _, err := generate(ctx, st, assignable, extra, store.BulkDeferred); err != nil {
			return nil, err
		}
	}
	// The coaching history is older than the hand-written tickets, so ticket numbers follow time.
	if err := seedReviews(ctx, st, users[1], users[2:]); err != nil {
		return nil, err
	}
	if err := seedTickets(ctx, st, users); err != nil {
		return nil, err
	}
	if err := seedPacks(ctx, st, users[0]); err != nil {
		return nil, err
	}
	// The lead's saved replies, so the composer's picker has something to insert.
	for _, r := range savedReplies {
		if _, err := st.SaveReply(ctx, 0, users[1].ID, r); err != nil {
			return nil, err
		}
	}
	return logins, nil
}

// addUser creates u with a fresh random password and returns the login to print.
func addUser(ctx context.Context, st *store.Store, u desk.User) (desk.User, Login, error) {
	password := randomPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return u, Login{}, err
	}
	u.PasswordHash = hash
	created, err := st.CreateUser(ctx, u)
	return created, Login{Email: u.Email, Password: password, Role: u.Role}, err
}

var savedReplies = []desk.SavedReplyInput{
	{Title: "Forsinket pakke – vi tager den", Body: "Hvor er det ærgerligt, at din pakke ikke er kommet endnu – jeg kan godt se, at du har ventet længe.\n\nJeg har kontaktet fragtfirmaet og bedt dem prioritere din pakke. Du hører fra mig senest i morgen kl. 12 med en ny leveringsdato, og kommer pakken ikke, sender jeg en ny med det samme."},
	{Title: "Refusion sat i gang", Body: "Jeg er ked af, at du har måttet vente på dine penge.\n\nJeg har netop sat refusionen i gang. Beløbet står på din konto inden for 3–5 bankdage, og du får en kreditnota på mail i dag."},
	{Title: "Login – nulstil adgangskoden", Body: "Det er irriterende at blive låst ude af sin konto, især når man har travlt.\n\nJeg har sendt dig et nyt link til at nulstille adgangskoden. Åbn linket inden for 30 minutter, og vælg en ny adgangskode på mindst 10 tegn. Hvad sker der, hvis du prøver at logge ind bagefter?"},
}

func randomPassword() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
