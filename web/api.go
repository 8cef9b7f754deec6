package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"coachdesk/internal/desk"
	"coachdesk/internal/helpdesk"
)

// requireToken authenticates API calls with a bearer token; the API keeps no cookies, so it needs no CSRF token.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// The scheme is case-insensitive (RFC 9110): "bearer" and "BEARER" work as "Bearer" does.
		header := c.Request().Header.Get("Authorization")
		scheme, token, ok := strings.Cut(header, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			return desk.Errorf(desk.EUNAUTHORIZED, "", "Send an API token as 'Authorization: Bearer <token>'; create one with 'coachdesk token create --email …'.")
		}
		u, tok, err := s.store.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		if desk.ErrorCode(err) == desk.ENOTFOUND {
			return desk.Errorf(desk.EUNAUTHORIZED, "", "The API token is not valid.")
		}
		if err != nil {
			return err
		}
		c.Set(ctxUser, u)
		c.Set(ctxToken, tok)
		return next(c)
	}
}

func (s *Server) apiRoutes(g *echo.Group) {
	g.GET("/tickets", s.apiListTickets)
	g.POST("/tickets", s.apiCreateTicket)
	g.GET("/tickets/:number", s.apiTicket)
	g.PATCH("/tickets/:number", s.apiUpdateTicket)
	g.POST("/tickets/:number/messages", s.apiAddMessage)
	g.Any("/*", func(c echo.Context) error { return desk.Errorf(desk.ENOTFOUND, "", "No such API endpoint.") })
}

// The API's JSON shapes.
type apiCustomer struct {
	ID           int64  `json:"id,omitempty"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation,omitempty"`
}

type apiTicket struct {
	ID              int64        `json:"id"`
	Subject         string       `json:"subject"`
	Status          string       `json:"status"`
	Priority        string       `json:"priority"`
	Assignee        *apiUser     `json:"assignee"`
	Customer        apiCustomer  `json:"customer"`
	Channel         string       `json:"channel"`
	Language        string       `json:"language"`
	Tags            []string     `json:"tags"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
	FirstResponseAt *time.Time   `json:"first_response_at"`
	SolvedAt        *time.Time   `json:"solved_at"`
	Messages        []apiMessage `json:"messages,omitempty"`
}

type apiUser struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type apiMessage struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Author    string    `json:"author"`
	FromAgent bool      `json:"from_agent"`
	Format    string    `json:"format"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

func toAPITicket(t desk.Ticket) apiTicket {
	a := apiTicket{ID: t.Number, Subject: t.Subject, Status: string(t.Status), Priority: string(t.Priority),
		Customer: apiCustomer{ID: t.Customer.ID, Name: t.Customer.Name, Email: t.Customer.Email, Organisation: t.Customer.Organisation},
		Channel:  string(t.Channel), Language: t.Language, Tags: t.Tags, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		FirstResponseAt: t.FirstResponseAt, SolvedAt: t.SolvedAt}
	if t.AssigneeID != 0 {
		a.Assignee = &apiUser{ID: t.AssigneeID, Name: t.AssigneeName}
	}
	return a
}

func toAPIMessage(m desk.Message) apiMessage {
	format := "text"
	if m.HTML {
		format = "html"
	}
	return apiMessage{ID: m.ID, Kind: string(m.Kind), Author: m.AuthorName, FromAgent: m.FromAgent, Format: format, Body: m.Body, CreatedAt: m.CreatedAt}
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data are errors that name what is wrong.
func decodeJSON(c echo.Context, v any) error {
	if ct := c.Request().Header.Get(echo.HeaderContentType); ct != "" {
		// Matched exactly: "application/jsonfoo" is not JSON, "application/json; charset=utf-8" is.
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != echo.MIMEApplicationJSON {
			return desk.Errorf(desk.EMALFORMED, "", "Send the body as application/json.")
		}
	}
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var limit *echo.HTTPError
	switch {
	case errors.As(err, new(*desk.Error)):
		return err // a field's own decoder explained it
	case err == nil:
		if dec.More() {
			return desk.Errorf(desk.EMALFORMED, "", "The body holds more than one JSON value.")
		}
		return nil
	case errors.As(err, &limit):
		return limit
	case errors.Is(err, io.EOF):
		return desk.Errorf(desk.EMALFORMED, "", "The body is empty; send a JSON object.")
	case errors.As(err, &syntax):
		return desk.Errorf(desk.EMALFORMED, "", "Malformed JSON at byte %d.", syntax.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return desk.Errorf(desk.EMALFORMED, "", "The body must be a JSON object, not %s.", jsonKind(typ.Value))
	case errors.As(err, &typ):
		return desk.Errorf(desk.EMALFORMED, typ.Field, "%s must be %s, not %s.", typ.Field, expectedKind(typ.Type), jsonKind(typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return desk.Errorf(desk.EMALFORMED, field, "Unknown field %q.", field)
	}
	return desk.Errorf(desk.EMALFORMED, "", "Malformed JSON: %v.", err)
}

// expectedKind says in JSON's words what a field takes, never in Go's.
func expectedKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return expectedKind(t.Elem())
	}
	return "a number"
}

// jsonKind names the JSON value that was sent ("array", "number" …) as encoding/json reports it.
func jsonKind(v string) string {
	switch v {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "bool":
		return "true or false"
	}
	if strings.HasPrefix(v, "number") {
		return "a number" // "number 1.5" for a fraction where a whole number belongs
	}
	return "a " + v
}

func (s *Server) apiListTickets(c echo.Context) error {
	u, _ := currentUser(c)
	f := filterFromQuery(c)
	if c.QueryParam("view") == "" {
		f.View = desk.ViewAll
	}
	f.UserID = u.ID
	page, err := s.store.ListTickets(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := struct {
		Tickets []apiTicket `json:"tickets"`
		Next    string      `json:"next"`
	}{Tickets: make([]apiTicket, len(page.Tickets)), Next: page.Next}
	for i, t := range page.Tickets {
		out.Tickets[i] = toAPITicket(t)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiTicket(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	t, err := s.store.Ticket(ctx, n)
	if err != nil {
		return err
	}
	thread, err := s.store.Thread(ctx, t.ID)
	if err != nil {
		return err
	}
	out := toAPITicket(t)
	out.Messages = make([]apiMessage, len(thread))
	for i, m := range thread {
		out.Messages[i] = toAPIMessage(m)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiCreateTicket(c echo.Context) error {
	u, _ := currentUser(c)
	var in struct {
		Subject  string      `json:"subject"`
		Customer apiCustomer `json:"customer"`
		Body     string      `json:"body"`
		Priority string      `json:"priority"`
		Tags     []string    `json:"tags"`
		Language string      `json:"language"`
		HTML     bool        `json:"html"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, err := s.desk.CreateTicket(c.Request().Context(), desk.NewTicket{
		Subject: in.Subject, Body: in.Body, HTML: in.HTML, CustomerName: in.Customer.Name, CustomerEmail: in.Customer.Email,
		Priority: desk.Priority(in.Priority), Channel: desk.ChannelAPI, Language: in.Language, Tags: in.Tags, ByUserID: u.ID,
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, fmt.Sprintf("/api/v1/tickets/%d", t.Number))
	return c.JSON(http.StatusCreated, toAPITicket(t))
}

func (s *Server) apiUpdateTicket(c echo.Context) error {
	u, _ := currentUser(c)
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	var in struct {
		Status   *string    `json:"status"`
		Priority *string    `json:"priority"`
		Assignee optionalID `json:"assignee"` // a user id; 0 or null unassigns
		Tags     *[]string  `json:"tags"`
		Language *string    `json:"language"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ch := desk.Change{Language: in.Language}
	if in.Status != nil {
		ch.Status = (*desk.Status)(in.Status)
	}
	if in.Priority != nil {
		ch.Priority = (*desk.Priority)(in.Priority)
	}
	if in.Assignee.set {
		ch.AssigneeID = &in.Assignee.id
	}
	ch.Tags = in.Tags
	if ch.Empty() {
		return desk.Errorf(desk.EINVALID, "", "Nothing to change: send status, priority, assignee, tags or language.")
	}
	t, err := s.desk.ChangeTicket(c.Request().Context(), n, u, ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAPITicket(t))
}

// optionalID is an id in a JSON patch: absent leaves it alone, null (like 0) means none.
// A plain *int64 could not tell null from absent, so {"assignee": null} changed nothing.
type optionalID struct {
	set bool
	id  int64
}

func (o *optionalID) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.id = 0
		return nil
	}
	if err := json.Unmarshal(b, &o.id); err != nil {
		return desk.Errorf(desk.EMALFORMED, "assignee", "assignee must be a user id (a whole number) or null.")
	}
	return nil
}

// apiAddMessage posts an agent's reply or note, or, with "from": "customer", the customer's next
// message (an e-mail gateway). Agent replies pass the coach's gate as in the composer.
func (s *Server) apiAddMessage(c echo.Context) error {
	ctx := c.Request().Context()
	u, _ := currentUser(c)
	n, err := ticketNumber(c)
	if err != nil {
		return err
	}
	var in struct {
		Kind           string `json:"kind"`
		Body           string `json:"body"`
		Status         string `json:"status"`
		From           string `json:"from"`
		Lang           string `json:"lang"`
		OverrideReason string `json:"override_reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var sent desk.Message
	switch in.From {
	case "", "agent":
		sent, err = s.desk.Send(ctx, helpdesk.Outgoing{Number: n, Agent: u, Kind: desk.MessageKind(in.Kind), Body: in.Body,
			SetStatus: desk.Status(in.Status), Lang: in.Lang, OverrideReason: in.OverrideReason})
	case "customer":
		// Speaking for a customer is for a gateway's token, not any agent's, and the audit trail names it.
		tok, _ := c.Get(ctxToken).(desk.Token)
		if !tok.Integration {
			return desk.Errorf(desk.EFORBIDDEN, "from", "Only a token created with --integration may post as the customer.")
		}
		if in.Kind != "" && in.Kind != string(desk.KindReply) {
			return desk.Errorf(desk.EINVALID, "kind", "A customer's message is a reply; only agents write notes.")
		}
		sent, err = s.desk.PostAsCustomer(ctx, n, in.Body, false, tok)
	default:
		return desk.Errorf(desk.EINVALID, "from", "from must be agent or customer, not %q.", in.From)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/tickets/"+strconv.FormatInt(n, 10))
	return c.JSON(http.StatusCreated, toAPIMessage(sent))
}
