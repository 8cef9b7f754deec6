package web_test

import (
	"net/http"
	"testing"
	"time"

	"coachdesk/internal/store"
	"coachdesk/internal/testkit"
)

// A page view that changes nothing in the session does not write its row; one whose idle expiry
// has fallen a minute behind does, and so does a sign-in.
func TestSessionWrittenOnlyWhenChanged(t *testing.T) {
	e := testkit.New(t)
	c := e.SignIn("anna@coachdesk.test")
	key := store.SessionKey(c.Cookie(sessionCookie))
	stored := func() (data []byte, expiry float64) {
		t.Helper()
		if err := e.Store.SessionDB().QueryRow(e.Store.Rebind(`SELECT data, expiry FROM sessions WHERE token = ?`), key).Scan(&data, &expiry); err != nil {
			t.Fatalf("the signed-in session is not stored: %v", err)
		}
		return data, expiry
	}
	data, signedIn := stored()

	for _, path := range []string{"/inbox", "/inbox?view=open", "/saved-replies"} {
		if r := c.Get(path); r.Status != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, r.Status)
		}
	}
	if d, expiry := stored(); expiry != signedIn || string(d) != string(data) {
		t.Fatalf("page views rewrote an unchanged session (expiry %v, then %v)", signedIn, expiry)
	}

	// The idle expiry two minutes behind: the next page view moves it.
	behind := signedIn - (2*time.Minute).Hours()/24
	if _, err := e.Store.SessionDB().Exec(e.Store.Rebind(`UPDATE sessions SET expiry = ? WHERE token = ?`), behind, key); err != nil {
		t.Fatal(err)
	}
	if r := c.Get("/inbox"); r.Status != http.StatusOK {
		t.Fatalf("GET /inbox: status %d", r.Status)
	}
	if _, expiry := stored(); expiry < signedIn-(30*time.Second).Hours()/24 {
		t.Fatalf("a page view did not move an idle expiry two minutes behind (%v, signed in %v)", expiry, signedIn)
	}

	// Signing in again (a new token) writes a new row, and the old one is gone.
	c.Post("/signout", nil)
	c.SignIn("anna@coachdesk.test", testkit.Password)
	if fresh := store.SessionKey(c.Cookie(sessionCookie)); fresh == key {
		t.Fatal("the session token did not change")
	} else {
		key = fresh
	}
	stored()
}
