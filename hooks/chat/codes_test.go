package chat_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

// TestChatAPIErrorCodes: the chat JSON routes' errors as a client sees
// them (status and code): a chat one is not in, bad paging parameters, a
// guest, a media upload without a file.
func TestChatAPIErrorCodes(t *testing.T) {
	app := testapp.New(t)
	ann := testapp.CreateMember(t, app, "ann_chatcodes")
	bo := testapp.CreateMember(t, app, "bo_chatcodes")
	oz := testapp.CreateMember(t, app, "oz_chatcodes")
	befriend(t, app, ann, bo)
	conv, err := chat.OpenDirect(app, ann.Id, bo.Id)
	if err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, app)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("cid", "codes-upload-1")
	_ = mw.Close()
	cases := []struct {
		name, method, path, body string
		headers                  map[string]string
		status                   int
		code, field, fc          string
	}{
		{"a chat I am not in", "GET", "/api/plaza/chats/" + conv + "/messages", "", map[string]string{"Authorization": testapp.Token(t, oz)}, 404, "chat.not_found", "", ""},
		{"a bad after", "GET", "/api/plaza/chats/" + conv + "/messages?after=-1", "", map[string]string{"Authorization": testapp.Token(t, ann)}, 400, "request.invalid", "", ""},
		{"a guest", "GET", "/api/plaza/chats", "", nil, 401, "auth.required", "", ""},
		{"a guest asking for a ticket", "POST", "/api/plaza/ws-ticket", "", nil, 401, "auth.required", "", ""},
		{"an upload without a file", "POST", "/chats/" + conv + "/media", body.String(),
			map[string]string{"Authorization": testapp.Token(t, ann), "Content-Type": mw.FormDataContentType()}, 400, "request.invalid", "file", "chat.file_missing"},
	}
	for _, c := range cases {
		res := testapp.Do(h, c.method, c.path, c.body, c.headers)
		out := map[string]any{}
		if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
			t.Errorf("%s: not JSON: %d %s", c.name, res.Code, res.Body.String())
			continue
		}
		if res.Code != c.status || out["code"] != c.code || out["message"] == "" {
			t.Errorf("%s: got %d %s, want %d %s", c.name, res.Code, res.Body.String(), c.status, c.code)
			continue
		}
		if c.field != "" {
			data, _ := out["data"].(map[string]any)
			if f, _ := data[c.field].(map[string]any); f["code"] != c.fc {
				t.Errorf("%s: data.%s = %v, want %s", c.name, c.field, data[c.field], c.fc)
			}
		}
	}
	if res := testapp.Do(h, "GET", "/api/plaza/chats/"+conv+"/messages", "", map[string]string{"Authorization": testapp.Token(t, ann)}); res.Code != http.StatusOK {
		t.Fatalf("a member's own chat: %d", res.Code)
	}
}
