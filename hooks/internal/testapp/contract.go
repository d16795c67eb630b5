package testapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The contract is docs/openapi.yaml. Every JSON answer under /api/plaza/
// that a test receives through Handler is checked against it: the status
// must be one the operation documents, and the body must match that
// status's schema (field names, types, required fields). A test whose
// request meets an undocumented answer fails, naming the route and the
// difference; so the spec cannot drift from what the server says.
var contract struct {
	once        sync.Once
	router      routers.Router
	errorSchema *openapi3.Schema
	err         error
}

// contractPath is docs/openapi.yaml, found from this source file.
func contractPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "docs", "openapi.yaml")
}

func contractRouter() (routers.Router, error) {
	contract.once.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(contractPath())
		if err != nil {
			contract.err = fmt.Errorf("loading docs/openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = fmt.Errorf("docs/openapi.yaml is not valid OpenAPI: %w", err)
			return
		}
		if ref := doc.Components.Schemas["Error"]; ref != nil {
			contract.errorSchema = ref.Value
		}
		contract.router, contract.err = gorillamux.NewRouter(doc)
	})
	return contract.router, contract.err
}

// checkContract wraps h so that answers under /api/plaza/ are checked
// against the contract and a mismatch fails t. Routes that tests register
// for themselves (/api/plaza/test/…) are not part of the contract.
func checkContract(t testing.TB, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/plaza/") || strings.HasPrefix(r.URL.Path, "/api/plaza/test/") {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		_, _ = w.Write(body)
		if err := validateAnswer(r, rec.Code, rec.Header(), body); err != nil {
			t.Errorf("testapp: %s %s answered %d, which docs/openapi.yaml does not allow: %v\nbody: %s",
				r.Method, r.URL.Path, rec.Code, err, truncate(body, 600))
		}
	})
}

// validateAnswer checks one answer against the contract.
func validateAnswer(r *http.Request, status int, header http.Header, body []byte) error {
	router, err := contractRouter()
	if err != nil {
		return err
	}
	route, params, err := router.FindRoute(r)
	if err != nil {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return validateGeneric(status, body) // no such route: the router's own answer
		}
		return fmt.Errorf("no operation in the spec: %w", err)
	}
	if _, documented := route.Operation.Responses.Map()[fmt.Sprint(status)]; !documented && genericStatus[status] {
		return validateGeneric(status, body)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    r,
			PathParams: params,
			Route:      route,
			Options:    &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: status,
		Header: header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// genericStatus lists the answers any route can give before its handler
// runs (docs/API.md, "Errors"): a body over the size limit and a rate limit.
// They carry the Error schema and are not repeated on every operation.
var genericStatus = map[int]bool{http.StatusRequestEntityTooLarge: true, http.StatusTooManyRequests: true}

// validateGeneric checks an answer that no operation documents against the
// spec's Error schema.
func validateGeneric(status int, body []byte) error {
	schema := contract.errorSchema
	if schema == nil {
		return fmt.Errorf("docs/openapi.yaml has no components.schemas.Error")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("a %d answer that is not JSON: %w", status, err)
	}
	return schema.VisitJSON(v)
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
