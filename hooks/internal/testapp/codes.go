package testapp

import (
	"encoding/json"
	"testing"
)

// WantCode checks a JSON error answer as docs/API.md describes it: the
// status, its "code" and a "message", and, when field is set, the field's
// data.<field>.code. name says which case failed.
func WantCode(t testing.TB, name string, status int, body string, wantStatus int, code, field, fieldCode string) {
	t.Helper()
	out := map[string]any{}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Errorf("%s: not JSON: %d %q", name, status, body)
		return
	}
	WantCodeOf(t, name, status, out, wantStatus, code, field, fieldCode)
}

// WantCodeOf is WantCode for an answer already decoded.
func WantCodeOf(t testing.TB, name string, status int, out map[string]any, wantStatus int, code, field, fieldCode string) {
	t.Helper()
	if status != wantStatus || out["code"] != code || out["message"] == "" {
		t.Errorf("%s: got %d %v, want %d %s", name, status, out, wantStatus, code)
		return
	}
	if field != "" {
		data, _ := out["data"].(map[string]any)
		f, _ := data[field].(map[string]any)
		if f["code"] != fieldCode {
			t.Errorf("%s: data.%s = %v, want %s", name, field, data[field], fieldCode)
		}
	}
}
