package accounts_test

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"plaza/hooks/accounts"
	"plaza/hooks/internal/testapp"
)

// TestSecurityAvatarNamedAsScript is the attacker's side of issue 10 #25:
// a real GIF uploaded as the avatar "a.js" (through the profile form and
// through PocketBase's records API) is stored as a .gif and served as a
// GIF with nosniff, so no <script src> on this origin can run it.
func TestSecurityAvatarNamedAsScript(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "gif_fan")
	h := testapp.Handler(t, app)
	img := image.NewPaletted(image.Rect(0, 0, 32, 32), []color.Color{color.White, color.Black})
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	for _, viaAPI := range []bool{false, true} {
		body, ctype := multipartBody(t, "avatar", "a.js", buf.Bytes())
		req := httptest.NewRequest(http.MethodPost, "/me/avatar", body)
		req.Header.Set("Cookie", testapp.SessionCookie(t, member))
		if viaAPI {
			req = httptest.NewRequest(http.MethodPatch, "/api/collections/users/records/"+member.Id, body)
			req.Header.Set("Authorization", testapp.Token(t, member))
		}
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 400 {
			t.Fatalf("upload (API %v): %d %s", viaAPI, rec.Code, rec.Body)
		}
		m, _ := accounts.FindByPlazaID(app, "gif_fan")
		name := m.GetString("avatar")
		if !strings.HasSuffix(name, ".gif") {
			t.Fatalf("avatar a.js stored as %q (API %v), want a .gif", name, viaAPI)
		}
		res := testapp.Do(h, http.MethodGet, "/api/files/users/"+member.Id+"/"+name, "", nil)
		if ct := res.Header().Get("Content-Type"); res.Code != http.StatusOK || ct != "image/gif" {
			t.Errorf("avatar served %d as %q, want image/gif", res.Code, ct)
		}
		if res.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Error("avatar served without nosniff")
		}
	}
}
