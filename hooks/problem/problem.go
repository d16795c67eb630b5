// Package problem carries user-facing errors from domain operations to the
// HTTP handlers. A Problem names an i18n key instead of an English sentence,
// so the handler can say it in the member's language, as JSON or on a page.
package problem

import (
	"errors"
	"net/http"
	"strings"
)

// Problem is an error a member caused and can fix (bad input, a taken name,
// a wrong password). Anything that is not a Problem is an internal error.
type Problem struct {
	Status int            // HTTP status for the response (400, 404, 409, 429…)
	Key    string         // i18n key of the overall message; may be empty when Fields say it all
	Args   map[string]any // values for %{name} placeholders in Key
	Fields []Field        // per-field problems, in form order
}

// Field is a problem with one input field.
type Field struct {
	Name string         // form / JSON field name
	Key  string         // i18n key of the message
	Args map[string]any // values for %{name} placeholders
}

// Error implements error with the keys, for logs and tests.
func (p *Problem) Error() string {
	parts := []string{}
	if p.Key != "" {
		parts = append(parts, p.Key)
	}
	for _, f := range p.Fields {
		parts = append(parts, f.Name+": "+f.Key)
	}
	return "problem: " + strings.Join(parts, "; ")
}

// New returns a Problem with a status and a message key.
func New(status int, key string) *Problem {
	return &Problem{Status: status, Key: key}
}

// Invalid returns a 400 Problem about one field.
func Invalid(field, key string, args map[string]any) *Problem {
	return (&Problem{Status: http.StatusBadRequest}).Add(field, key, args)
}

// Add records a problem with a field and returns p for chaining.
func (p *Problem) Add(field, key string, args map[string]any) *Problem {
	p.Fields = append(p.Fields, Field{Name: field, Key: key, Args: args})
	return p
}

// HasNUL reports whether free text holds a NUL byte. No member text may:
// SQLite's FTS5 and LIKE patterns end a string at one (a search answered
// 500), and nothing a person types holds one. Domain checks of free text
// call it and answer Invalid(field, "errors.nul_byte", nil); form and query
// values are refused before any handler sees them (hooks/web's
// textMiddleware).
func HasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// Has reports whether any problem was recorded.
func (p *Problem) Has() bool { return p.Key != "" || len(p.Fields) > 0 }

// OrNil returns p as an error when it holds a problem, else nil.
func (p *Problem) OrNil() error {
	if p.Has() {
		return p
	}
	return nil
}

// As extracts a Problem from err.
func As(err error) (*Problem, bool) {
	var p *Problem
	ok := errors.As(err, &p)
	return p, ok
}

// Generic codes: what a JSON client reads in "code" when no domain key says
// more (PocketBase's own errors, bad JSON, missing routes, internal errors).
const (
	CodeInvalid      = "request.invalid"      // 400: malformed request or field problems (see data)
	CodeTooLarge     = "request.too_large"    // 413: the body is over the limit
	CodeCrossOrigin  = "request.cross_origin" // 403: a browser request from another site
	CodeAuthRequired = "auth.required"        // 401: no valid credentials
	CodeForbidden    = "forbidden"            // 403: signed in, but not allowed
	CodeNotFound     = "not_found"            // 404: no such route or record (for this member)
	CodeRateLimited  = "rate_limited"         // 429: too many requests; wait and retry
	CodeUnavailable  = "unavailable"          // 503: the server is shutting down; retry in a moment
	CodeInternal     = "internal"             // 5xx: nothing the client did; the detail is only logged
)

// genericKeys are the i18n keys of the generic messages and the codes
// they stand for: a JSON client never sees "errors.*" as a code.
var genericKeys = map[string]string{
	"errors.bad_request":  CodeInvalid,
	"errors.check_fields": CodeInvalid,
	"errors.unauthorized": CodeAuthRequired, // pages; JSON says auth.required
	"errors.forbidden":    CodeForbidden,
	"errors.not_found":    CodeNotFound,
	"errors.too_large":    CodeTooLarge,
	"errors.too_many":     CodeRateLimited,
	"errors.internal":     CodeInternal,
	"errors.cross_origin": CodeCrossOrigin,
	"errors.unavailable":  CodeUnavailable,
}

// CodeForKey is the machine code of an i18n message key: the key itself
// (e.g. "wallet.pin_wrong"), or the generic code for an "errors.*" key.
func CodeForKey(key string) string {
	if c, ok := genericKeys[key]; ok {
		return c
	}
	return key
}

// CodeForStatus is the generic code of an HTTP error status.
func CodeForStatus(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return CodeAuthRequired
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusRequestEntityTooLarge:
		return CodeTooLarge
	case http.StatusTooManyRequests:
		return CodeRateLimited
	case http.StatusServiceUnavailable:
		return CodeUnavailable
	}
	if status >= 500 {
		return CodeInternal
	}
	return CodeInvalid
}

// Code is the problem's stable machine code, sent to JSON clients as
// "code" next to the translated message: its key; when only fields are
// named, request.invalid for a 400 (each field's own code is in
// data.<field>.code), else the first field's key (a 409
// auth.plaza_id_taken says more than "conflict").
func (p *Problem) Code() string {
	switch {
	case p.Key != "":
		return CodeForKey(p.Key)
	case len(p.Fields) > 0 && p.Status == http.StatusBadRequest:
		return CodeInvalid
	case len(p.Fields) > 0:
		return CodeForKey(p.Fields[0].Key)
	}
	return CodeForStatus(p.Status)
}
