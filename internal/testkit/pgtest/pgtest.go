// Package pgtest hands tests a fresh, empty PostgreSQL database on the server that
// COACHDESK_TEST_POSTGRES names (a URL such as postgres://user:pass@127.0.0.1:5432/postgres). Without
// it a test skips with a message saying so; on CI (CI set) that skip is a failure, so CI runs them.
package pgtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// Env names the server the tests use.
const Env = "COACHDESK_TEST_POSTGRES"

var serial atomic.Int64

// Server is the URL of the server, or skips t (fails it on CI) when none is configured.
func Server(t testing.TB) string {
	t.Helper()
	u := os.Getenv(Env)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests (.ci/run starts a server and sets it)", Env)
		}
		t.Skipf("PostgreSQL test skipped: set %s=postgres://user:pass@host:5432/postgres to run it", Env)
	}
	return u
}

// URL creates an empty database on the server for t, drops it when t ends, and returns its URL.
func URL(t testing.TB) string {
	t.Helper()
	server := Server(t)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("cdtest_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, serial.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database on %s: %v", redact(server), err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", Env, err)
	}
	u.Path = "/" + name
	return u.String()
}

// redact hides the password of a server URL in messages.
func redact(server string) string {
	if u, err := url.Parse(server); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}
