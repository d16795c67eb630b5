package channelsweb_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"plaza/hooks/internal/testapp"
)

// TestChannelsAPIErrorCodes: the refusals docs/API.md lists for Channels
// that the other tests do not meet, as a client sees them (status, code,
// the field's code).
func TestChannelsAPIErrorCodes(t *testing.T) {
	w := newWorld(t)
	w.channel(w.ann, "annrides")
	id := w.publish(w.ann, "Dawn ride", 1)
	video := append([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), bytes.Repeat([]byte{7}, 4000)...)
	var poster bytes.Buffer
	if err := jpeg.Encode(&poster, image.NewRGBA(image.Rect(0, 0, 32, 18)), nil); err != nil {
		t.Fatal(err)
	}
	form := func(fields map[string]string, files map[string][]byte) (string, map[string]string) {
		body, ctype := multipartBody(t, fields, files)
		return body, map[string]string{"Content-Type": ctype}
	}
	cases := []struct {
		name, method, path string
		fields             map[string]string
		files              map[string][]byte
		json               string
		status             int
		code, field, fc    string
	}{
		{name: "photos and a video", method: "POST", path: api + "/posts", fields: map[string]string{"duration_ms": "3000"},
			files:  map[string][]byte{"photos:a.png": testapp.PNG(t, 8, 8), "video:v.mp4": video, "poster:p.jpg": poster.Bytes()},
			status: 400, code: "request.invalid", field: "video", fc: "moments.photos_or_video"},
		{name: "a video over the length limit", method: "POST", path: api + "/posts", fields: map[string]string{"duration_ms": "601000"},
			files: map[string][]byte{"video:v.mp4": video, "poster:p.jpg": poster.Bytes()}, status: 400, code: "request.invalid", field: "video", fc: "moments.video_too_long"},
		{name: "not a video", method: "POST", path: api + "/posts", fields: map[string]string{"duration_ms": "3000"},
			files: map[string][]byte{"video:v.mp4": []byte("<html>no</html>"), "poster:p.jpg": poster.Bytes()}, status: 400, code: "request.invalid", field: "video", fc: "media.not_a_video"},
		{name: "a video without its length", method: "POST", path: api + "/posts", fields: map[string]string{"duration_ms": "long"},
			files: map[string][]byte{"video:v.mp4": video, "poster:p.jpg": poster.Bytes()}, status: 400, code: "request.invalid", field: "duration_ms", fc: "request.invalid"},
		{name: "a NUL in a caption", method: "POST", path: api + "/posts", fields: map[string]string{"caption": "a\x00b"},
			files: map[string][]byte{"photos:a.png": testapp.PNG(t, 8, 8)}, status: 400, code: "request.invalid", field: "caption", fc: "errors.nul_byte"},
		{name: "a location too long", method: "POST", path: api + "/posts", fields: map[string]string{"location": strings.Repeat("l", 101)},
			files: map[string][]byte{"photos:a.png": testapp.PNG(t, 8, 8)}, status: 400, code: "request.invalid", field: "location", fc: "profile.too_long"},
		{name: "a share's client id too long", method: "POST", path: api + "/posts/" + id + "/share", json: `{"to":["x"],"client_id":"` + strings.Repeat("k", 41) + `"}`,
			status: 400, code: "request.invalid", field: "client_id", fc: "request.invalid"},
		{name: "a comment too long", method: "POST", path: api + "/posts/" + id + "/comments", json: `{"text":"` + strings.Repeat("c", 501) + `"}`,
			status: 400, code: "request.invalid", field: "text", fc: "profile.too_long"},
		{name: "a report's note too long", method: "POST", path: api + "/posts/" + id + "/report", json: `{"reason":"spam","note":"` + strings.Repeat("n", 501) + `"}`,
			status: 400, code: "request.invalid", field: "note", fc: "profile.too_long"},
		{name: "a made-up cursor", method: "GET", path: api + "/following?after=2026|x", status: 400, code: "request.invalid", field: "after", fc: "request.invalid"},
		{name: "malformed JSON", method: "PATCH", path: api + "/posts/" + id, json: `{"caption":`, status: 400, code: "request.invalid"},
		{name: "no such post", method: "GET", path: api + "/posts/nosuchpost1234", status: 404, code: "channels.not_found"},
	}
	for _, c := range cases {
		body, headers := c.json, map[string]string(nil)
		if c.files != nil {
			body, headers = form(c.fields, c.files)
		}
		rec := w.do(w.ann, c.method, c.path, body, headers)
		w.refused(c.name, rec, c.status, c.code, c.field, c.fc)
	}
	if p := w.ok(200, nil, "GET", api+"/c/annrides", ""); p["posts"] != 1.0 {
		t.Errorf("a refused post was stored: %v", p)
	}
}
