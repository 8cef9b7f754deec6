// Package testkit starts Coachdesk for tests: a real SQLite file in a temporary directory, the
// real web server behind a real listener, users with known passwords, and HTTP clients that keep
// cookies and read CSRF tokens from the pages they load, as a browser would.
package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"coachdesk/internal/app"
	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
	"coachdesk/internal/store"
	"coachdesk/internal/testkit/pgtest"
)

// Password is every seeded user's password.
const Password = "correct-horse-battery"

// Env is one running Coachdesk with its own database.
type Env struct {
	T      testing.TB
	App    *app.App
	Store  *store.Store
	Desk   *helpdesk.Service
	URL    string
	DBPath string

	Agent  desk.User // anna, an agent
	Agent2 desk.User // mikkel, an agent
	Lead   desk.User
	Admin  desk.User
}

// OpenStore opens a fresh store and closes it when t ends: a SQLite file in t's temporary directory,
// or a fresh PostgreSQL database when COACHDESK_TEST_DIALECT=postgres.
func OpenStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := pgtest.DB(t, filepath.Join(t.TempDir(), "coachdesk.db"))
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// New starts a server on 127.0.0.1 with a fresh database and four users (two agents, a lead, an admin).
func New(t testing.TB) *Env {
	t.Helper()
	path := pgtest.DB(t, filepath.Join(t.TempDir(), "coachdesk.db"))
	a := Start(t, path)
	e := &Env{T: t, App: a.App, Store: a.App.Store, Desk: a.App.Desk, URL: a.URL, DBPath: path}
	e.Agent = e.AddUser("Anna Agent", "anna@coachdesk.test", desk.RoleAgent)
	e.Agent2 = e.AddUser("Mikkel Agent", "mikkel@coachdesk.test", desk.RoleAgent)
	e.Lead = e.AddUser("Lene Leder", "lead@coachdesk.test", desk.RoleLead)
	e.Admin = e.AddUser("Astrid Admin", "admin@coachdesk.test", desk.RoleAdmin)
	return e
}

// Running is an app serving on 127.0.0.1 at URL.
type Running struct {
	App *app.App
	URL string
}

// Start opens the app on the database at path and serves it on a port the kernel picks; when t ends
// the server drains (event streams first) and the database closes.
func Start(t testing.TB, path string) Running { t.Helper(); return StartAfter(t, path, nil) }

// StartAfter is Start with prepare run on the opened app before it serves: demo data moves the
// store's clock while it seeds, which must be over before the outbox loop reads that clock.
func StartAfter(t testing.TB, path string, prepare func(*app.App) error) Running {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DB: path})
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	if prepare != nil {
		if err := prepare(a); err != nil {
			a.Close()
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("server: %v", err)
		}
		a.Close()
	})
	return Running{App: a, URL: "http://" + ln.Addr().String()}
}

// AddUser creates an active user whose password is Password and whose interface is English.
// The hash uses bcrypt's lowest cost, so tests sign in quickly; checking works the same.
func (e *Env) AddUser(name, email string, role desk.Role) desk.User {
	e.T.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		e.T.Fatal(err)
	}
	u, err := e.Store.CreateUser(context.Background(), desk.User{Name: name, Email: email, Role: role, PasswordHash: string(hash), Locale: "en"})
	if err != nil {
		e.T.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// Ticket creates a ticket from a customer straight in the store.
func (e *Env) Ticket(subject, body string) desk.Ticket {
	e.T.Helper()
	t, err := e.Store.CreateTicket(context.Background(), desk.NewTicket{Subject: subject, Body: body,
		CustomerName: "Jens Hansen", CustomerEmail: "jens@example.dk", Channel: desk.ChannelEmail})
	if err != nil {
		e.T.Fatalf("create ticket: %v", err)
	}
	return t
}

// Client is an anonymous visitor with its own cookie jar.
func (e *Env) Client() *Client { return NewClient(e.T, e.URL) }

// SignIn returns a client signed in as the user with email (password Password).
func (e *Env) SignIn(email string) *Client {
	e.T.Helper()
	c := e.Client()
	c.SignIn(email, Password)
	return c
}

// API returns a client of the JSON API carrying a fresh token for the user with email.
func (e *Env) API(email string) *APIClient {
	e.T.Helper()
	token, err := e.Store.CreateToken(context.Background(), email)
	if err != nil {
		e.T.Fatalf("create token: %v", err)
	}
	return &APIClient{T: e.T, Base: e.URL, Token: token, HTTP: &http.Client{}}
}

// Client talks HTML to the server like a browser: cookies kept, redirects not followed (tests check them),
// and the CSRF token taken from the last page that carried one.
type Client struct {
	T    testing.TB
	Base string
	HTTP *http.Client

	mu   sync.Mutex
	csrf string
}

func NewClient(t testing.TB, base string) *Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Client{T: t, Base: base, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is a finished response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Location is the redirect target's path (and query).
func (r *Response) Location() string {
	u, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		return r.Header.Get("Location")
	}
	return u.RequestURI()
}

var (
	metaCSRF  = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)
	inputCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
)

// CSRFFrom reads the CSRF token a page carries, or "".
func CSRFFrom(html string) string {
	if m := metaCSRF.FindStringSubmatch(html); m != nil {
		return m[1]
	}
	if m := inputCSRF.FindStringSubmatch(html); m != nil {
		return m[1]
	}
	return ""
}

// Do sends a request and reads the whole response. A failure to talk to the server ends the test.
func (c *Client) Do(req *http.Request) *Response {
	c.T.Helper()
	resp, err := c.TryDo(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	return resp
}

// TryDo is Do that returns the error instead, for use off the test's goroutine.
func (c *Client) TryDo(req *http.Request) (*Response, error) {
	if req.Header.Get("Accept-Language") == "" {
		req.Header.Set("Accept-Language", "en")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	r := &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
	if token := CSRFFrom(r.Body); token != "" {
		c.mu.Lock()
		c.csrf = token
		c.mu.Unlock()
	}
	return r, nil
}

func (c *Client) Get(path string) *Response {
	c.T.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Base+path, nil)
	if err != nil {
		c.T.Fatal(err)
	}
	return c.Do(req)
}

// CSRF returns the token from the last page loaded, loading the sign-in page first if none was.
func (c *Client) CSRF() string {
	c.T.Helper()
	c.mu.Lock()
	token := c.csrf
	c.mu.Unlock()
	if token == "" {
		if r := c.Get("/signin?next=/inbox"); CSRFFrom(r.Body) == "" {
			c.T.Fatalf("no CSRF token on /signin (status %d)", r.Status)
		}
		c.mu.Lock()
		token = c.csrf
		c.mu.Unlock()
	}
	return token
}

// FormRequest builds a form POST; with csrf it carries the page's token in the _csrf field.
func (c *Client) FormRequest(path string, form url.Values, csrf bool) (*http.Request, error) {
	if form == nil {
		form = url.Values{}
	}
	if csrf && !form.Has("_csrf") {
		form = cloneValues(form)
		form.Set("_csrf", c.CSRF())
	}
	req, err := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

// Post sends a form as a browser would, with the CSRF token from the page.
func (c *Client) Post(path string, form url.Values) *Response {
	c.T.Helper()
	req, err := c.FormRequest(path, form, true)
	if err != nil {
		c.T.Fatal(err)
	}
	return c.Do(req)
}

// PostNoCSRF sends a form without any CSRF token, as a forged cross-site form would.
func (c *Client) PostNoCSRF(path string, form url.Values) *Response {
	c.T.Helper()
	req, err := c.FormRequest(path, form, false)
	if err != nil {
		c.T.Fatal(err)
	}
	return c.Do(req)
}

// HTMXRequest builds a form POST as htmx sends it: HX-Request and the CSRF token in a header.
func (c *Client) HTMXRequest(path, target string, form url.Values) (*http.Request, error) {
	req, err := c.FormRequest(path, form, false)
	if err != nil {
		return nil, err
	}
	req.Header.Set("HX-Request", "true")
	if target != "" {
		req.Header.Set("HX-Target", target)
	}
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return req, nil
}

// PostHTMX sends a form as htmx does.
func (c *Client) PostHTMX(path, target string, form url.Values) *Response {
	c.T.Helper()
	req, err := c.HTMXRequest(path, target, form)
	if err != nil {
		c.T.Fatal(err)
	}
	return c.Do(req)
}

// SignIn signs in through the form and fails the test unless it worked.
func (c *Client) SignIn(email, password string) {
	c.T.Helper()
	r := c.Post("/signin", url.Values{"email": {email}, "password": {password}, "next": {"/inbox"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/inbox" {
		c.T.Fatalf("sign in as %s: status %d, location %q, body:\n%s", email, r.Status, r.Location(), r.Body)
	}
	// The session is new; load a page so the client holds a token that goes with it.
	if p := c.Get("/inbox"); p.Status != http.StatusOK {
		c.T.Fatalf("inbox after sign-in: status %d", p.Status)
	}
}

// Cookie returns the value of the named cookie the client holds for the server, or "".
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.Base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// SetCookie puts a cookie in the client's jar, as if the server had set it.
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.Base)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// APIClient calls the JSON API with a bearer token.
type APIClient struct {
	T     testing.TB
	Base  string
	Token string
	HTTP  *http.Client
}

// APIError is the API's error body.
type APIError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// Do sends body (a string of JSON, or nil) and returns the response.
func (a *APIClient) Do(method, path string, body any) *Response {
	a.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			a.T.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, a.Base+path, rd)
	if err != nil {
		a.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.Token != "" {
		req.Header.Set("Authorization", "Bearer "+a.Token)
	}
	resp, err := a.HTTP.Do(req)
	if err != nil {
		a.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.T.Fatal(err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// JSON decodes the response body into v, failing the test if it is not JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("response (status %d) is not the expected JSON: %v\n%s", r.Status, err, r.Body)
	}
}

// Err decodes an API error body, failing the test if the body is not one.
func (r *Response) Err(t testing.TB) APIError {
	t.Helper()
	var e APIError
	r.JSON(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("response (status %d) is not an API error with code and message:\n%s", r.Status, r.Body)
	}
	return e
}
