package testkit

import (
	"context"
	"net/http"
	"time"
)

// Integration is an API client whose token was created for an integration (it may post as the customer).
func (e *Env) Integration(email, name string) *APIClient {
	e.T.Helper()
	token, _, err := e.Store.IssueToken(context.Background(), email, name, true, time.Time{})
	if err != nil {
		e.T.Fatalf("create integration token: %v", err)
	}
	return &APIClient{T: e.T, Base: e.URL, Token: token, HTTP: &http.Client{}}
}
