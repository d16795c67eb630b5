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
