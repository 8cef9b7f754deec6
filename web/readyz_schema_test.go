package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"coachdesk/internal/app"
)

func TestReadyzAnswersWhetherTheMigrationsAreCurrent(t *testing.T) {
	e := startFaultEnv(t, app.Config{})
	ctx := context.Background()
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusOK {
		t.Fatalf("/readyz on a migrated database: %d %q", status, body)
	}

	// Another instance's newer binary migrated the database further than this one knows.
	if err := e.a.Store.OnWriter(ctx, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)"); err != nil {
		t.Fatal(err)
	}
	status, h, body := get(t, e.url+"/readyz")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "99999") || !strings.Contains(body, "newer") || h.Get("Retry-After") == "" {
		t.Errorf("/readyz on a newer schema: %d %q, Retry-After %q", status, body, h.Get("Retry-After"))
	}
	if status, _, _ := get(t, e.url+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz on a newer schema: %d, want 200 (the process is up)", status)
	}

	// The newest migration undone by hand: this binary's schema is not all there.
	if err := e.a.Store.OnWriter(ctx, "DELETE FROM goose_db_version WHERE version_id >= (SELECT MAX(version_id) FROM goose_db_version WHERE version_id < 99999)"); err != nil {
		t.Fatal(err)
	}
	if status, _, body := get(t, e.url+"/readyz"); status != http.StatusServiceUnavailable || !strings.Contains(body, "not current") {
		t.Errorf("/readyz with a migration missing: %d %q", status, body)
	}
}
