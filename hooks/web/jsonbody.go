package web

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// BindJSON reads a JSON route's body into dst. Malformed JSON is a 400
// request.invalid; a value of the wrong type names its field
// (data.<field>.code request.invalid), so a client learns which one.
func BindJSON(e *core.RequestEvent, dst any) error {
	err := e.BindBody(dst)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return problem.Invalid(te.Field, "errors.bad_request", nil)
	}
	return problem.New(http.StatusBadRequest, "errors.bad_request")
}
