package desk

import (
	"errors"
	"fmt"
)

// Error codes, mapped to HTTP statuses in one place in web/.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"   // a value breaks a rule: the field says which
	EMALFORMED    = "malformed" // the request itself cannot be read
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	ETOOMANY      = "too_many"    // a rate limit: try again shortly
	EUNAVAILABLE  = "unavailable" // the database cannot take a write now (full, read-only, busy): try again later
)

// Error is a failure the user can act on: Message is safe to show, Field names the input at fault.
type Error struct {
	Code    string
	Field   string
	Reason  string // which rule of the field broke (ReasonRequired, ReasonTooLong), so each gets its own message
	Message string
	Also    []*Error // further problems with the same input, so a form can show every one at once
}

// Reasons a field's value is refused.
const (
	ReasonRequired = "required"
	ReasonTooLong  = "too_long"
)

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return e.Code + ": " + e.Message
}

func Errorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Required says a field was left empty.
func Required(field, message string) *Error {
	return &Error{Code: EINVALID, Field: field, Reason: ReasonRequired, Message: message}
}

// TooLong says a field holds more than it may.
func TooLong(code, field, format string, args ...any) *Error {
	e := Errorf(code, field, format, args...)
	e.Reason = ReasonTooLong
	return e
}

// Problems collects what is wrong with one input, one problem per field, so it is reported all at once.
type Problems struct{ first *Error }

// Add keeps err (a *Error) unless nil or its field already has a problem.
func (p *Problems) Add(err error) {
	e, ok := AsError(err)
	if err == nil || !ok {
		return
	}
	if p.first == nil {
		p.first = e
		return
	}
	for _, known := range p.All() {
		if known.Field == e.Field {
			return
		}
	}
	p.first.Also = append(p.first.Also, e)
}

// Err is the first problem carrying the others in Also, or nil when there is none.
func (p *Problems) Err() error {
	if p.first == nil {
		return nil
	}
	return p.first
}

// All lists every problem, first one first.
func (p *Problems) All() []*Error {
	if p.first == nil {
		return nil
	}
	return append([]*Error{p.first}, p.first.Also...)
}

// ErrorCode returns the code of a desk error, or EINTERNAL for anything else.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// AsError returns the desk error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
