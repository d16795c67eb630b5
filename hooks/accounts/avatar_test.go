package accounts_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"plaza/hooks/accounts"
	"plaza/hooks/internal/testapp"
)

func pngOf(t testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a tiny file whose header claims 50000×50000 pixels: decoding
// it would allocate 10 GB.
func bombPNG(t testing.TB) []byte {
	b := pngOf(t, 16, 16)
	binary.BigEndian.PutUint32(b[16:], 50000)
	binary.BigEndian.PutUint32(b[20:], 50000)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestAvatarUpload(t *testing.T) {
	app := testapp.New(t)
	member := testapp.CreateMember(t, app, "photo_fan")
	stranger := testapp.CreateMember(t, app, "stranger")
	h := testapp.Handler(t, app)

	upload := func(name string, content []byte, as string, viaAPI bool) *httptest.ResponseRecorder {
		body, ctype := multipartBody(t, "avatar", name, content)
		path := "/me/avatar"
		hdr := map[string]string{"Content-Type": ctype, "HX-Request": "true", "Cookie": testapp.SessionCookie(t, member)}
		if viaAPI {
			path = "/api/collections/users/records/" + member.Id
			hdr = map[string]string{"Content-Type": ctype, "Authorization": testapp.Token(t, member)}
			if as == "stranger" {
				hdr["Authorization"] = testapp.Token(t, stranger)
			}
		}
		req := httptest.NewRequest(map[bool]string{false: http.MethodPost, true: http.MethodPatch}[viaAPI], path, body)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	avatar := func() string {
		m, _ := accounts.FindByPlazaID(app, "photo_fan")
		return m.GetString("avatar")
	}

	cases := []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"image bomb", "bomb.png", bombPNG(t), "16 to 4096 pixels"},
		{"SVG", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "JPEG, PNG, WebP or GIF"},
		{"HTML named .png", "x.png", []byte("<!doctype html><script>alert(1)</script>"), "JPEG, PNG, WebP or GIF"},
		{"too small", "tiny.png", pngOf(t, 4, 4), "16 to 4096 pixels"},
	}
	for _, c := range cases {
		res := upload(c.file, c.content, "", false)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), c.want) {
			t.Errorf("%s: got %d %q, want 422 with %q", c.name, res.Code, res.Body.String(), c.want)
		}
		if res := upload(c.file, c.content, "", true); res.Code != http.StatusBadRequest {
			t.Errorf("%s through the records API: got %d, want 400", c.name, res.Code)
		}
		if avatar() != "" {
			t.Fatalf("%s: the refused file became the avatar", c.name)
		}
	}

	if res := upload("ok.png", pngOf(t, 64, 64), "stranger", true); res.Code != http.StatusNotFound || avatar() != "" {
		t.Fatalf("a stranger set my avatar: %d", res.Code)
	}
	res := upload("ok.png", pngOf(t, 64, 64), "", false)
	if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `data-testid="avatar-ok"`) || avatar() == "" {
		t.Fatalf("a good picture was refused: %d %s", res.Code, res.Body.String())
	}
	if !strings.Contains(res.Body.String(), "thumb=240x240") {
		t.Error("the new avatar should be shown as a thumbnail")
	}
}
