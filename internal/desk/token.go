package desk

import "time"

// Token is an API token as it is listed: never its secret.
type Token struct {
	ID          int64
	UserID      int64
	Owner       string // the owner's e-mail
	Name        string
	Integration bool // may post messages as the customer
	CreatedAt   time.Time
	LastUsedAt  *time.Time
	ExpiresAt   *time.Time
}
