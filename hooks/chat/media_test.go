package chat_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/chat"
	"plaza/hooks/internal/testapp"
)

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	return testapp.PNG(t, w, h)
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type uploadResult struct {
	Status  int
	Seq     int64         `json:"seq"`
	MID     string        `json:"mid"`
	M       *chat.Message `json:"m"`
	Message string        `json:"message"`
	Data    map[string]struct {
		Message string `json:"message"`
	} `json:"data"`
}

func upload(t testing.TB, base string, member *core.Record, conv, cid, name string, data []byte) uploadResult {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("cid", cid)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/chats/"+conv+"/media", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	if member != nil {
		req.Header.Set("Cookie", testapp.SessionCookie(t, member))
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out := uploadResult{Status: res.StatusCode}
	raw, _ := io.ReadAll(res.Body)
	_ = json.Unmarshal(raw, &out)
	return out
}

func get(t testing.TB, url string, member *core.Record) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if member != nil {
		req.Header.Set("Cookie", testapp.SessionCookie(t, member))
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func TestImageAndFileMessages(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	bo, _, err := dial(t, base, p.bo, nil)
	if err != nil {
		t.Fatal(err)
	}

	// A picture: stored as an image message with its size, delivered live.
	res := upload(t, base, p.ann, p.conv, "img-1", "holiday.png", pngBytes(t, 640, 480))
	if res.Status != http.StatusOK || res.M == nil || res.M.Kind != chat.MsgImage || res.M.Media == nil || res.M.Media.W != 640 || res.M.Media.H != 480 {
		t.Fatalf("image upload: %+v", res)
	}
	live := bo.next("msg")
	if live.M.Media == nil || live.M.Media.ID != res.M.Media.ID || live.M.Kind != chat.MsgImage {
		t.Fatalf("Bo got %+v", live.M)
	}
	// The same client id again stores nothing new.
	again := upload(t, base, p.ann, p.conv, "img-1", "holiday.png", pngBytes(t, 640, 480))
	if again.Seq != res.Seq || again.MID != res.MID {
		t.Fatalf("a retried upload was stored twice: %+v vs %+v", again, res)
	}
	if n, _ := p.app.CountRecords(chat.MediaCollection); n != 1 {
		t.Fatalf("%d media records after a retry, want 1", n)
	}

	// A file that is not a picture (even when named .png) is sent as a file.
	fake := upload(t, base, p.ann, p.conv, "file-1", "notes.png", []byte("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"))
	if fake.Status != http.StatusOK || fake.M.Kind != chat.MsgFile || fake.M.Text != "notes.png" {
		t.Fatalf("svg upload: %+v", fake)
	}

	// Too large for the community's limit: a clear 400, nothing stored.
	row, _ := p.app.FindRecordById("settings", "plazasettings01")
	row.Set("chat_file_max_mb", 1)
	if err := p.app.Save(row); err != nil {
		t.Fatal(err)
	}
	big := upload(t, base, p.ann, p.conv, "big-1", "big.bin", bytes.Repeat([]byte("x"), 1<<20+10))
	if big.Status != http.StatusBadRequest || !strings.Contains(big.Data["file"].Message, "1 MB") {
		t.Fatalf("oversize upload: %+v", big)
	}
	// An image bomb's header is refused before anything decodes it.
	bomb := upload(t, base, p.ann, p.conv, "bomb-1", "bomb.png", pngHeader(t, 30000, 30000))
	if bomb.Status != http.StatusBadRequest {
		t.Fatalf("image bomb: %+v", bomb)
	}

	// A member opens it through /media/{id}: a redirect to PocketBase with a
	// file token, which serves the picture and its thumbnail.
	media := res.M.Media.ID
	for _, q := range []string{"", "?thumb=1"} {
		r := get(t, base+"/media/"+media+q, p.bo)
		loc := r.Header.Get("Location")
		if r.StatusCode != http.StatusFound || !strings.Contains(loc, "token=") || !strings.HasPrefix(loc, "/api/files/chat_media/") {
			t.Fatalf("member /media%s: %d %q", q, r.StatusCode, loc)
		}
		if f := get(t, base+loc, nil); f.StatusCode != http.StatusOK || !strings.HasPrefix(f.Header.Get("Content-Type"), "image/") {
			t.Fatalf("file with token: %d %s", f.StatusCode, f.Header.Get("Content-Type"))
		}
	}
	loc := get(t, base+"/media/"+media, p.ann).Header.Get("Location")
	plain := base + loc[:strings.Index(loc, "?")]

	// The outsider's side: /media is 404, the file without a token or with
	// the outsider's own token is refused.
	if r := get(t, base+"/media/"+media, p.cy); r.StatusCode != http.StatusNotFound {
		t.Fatalf("outsider /media: %d", r.StatusCode)
	}
	if r := get(t, plain, nil); r.StatusCode == http.StatusOK {
		t.Fatal("a chat picture was served without a file token")
	}
	cyToken, err := p.cy.NewFileToken()
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, plain+"?token="+cyToken, nil); r.StatusCode == http.StatusOK {
		t.Fatal("a chat picture was served with an outsider's file token")
	}
	if r := get(t, plain+"?token=not-a-token", nil); r.StatusCode == http.StatusOK {
		t.Fatal("a chat picture was served with a bad token")
	}
	// Cy in another chat of his own still cannot open Ann and Bo's media.
	befriend(t, p.app, p.cy, p.bo)
	if _, err := chat.OpenDirect(p.app, p.cy.Id, p.bo.Id); err != nil {
		t.Fatal(err)
	}
	if r := get(t, plain+"?token="+cyToken, nil); r.StatusCode == http.StatusOK {
		t.Fatal("membership of another chat opened this chat's picture")
	}
	// The records API lists no media at all.
	h := testapp.Handler(t, p.app)
	if r := testapp.Do(h, http.MethodGet, "/api/collections/chat_media/records", "", map[string]string{"Authorization": testapp.Token(t, p.bo)}); r.Code == http.StatusOK && strings.Contains(r.Body.String(), media) {
		t.Fatal("the records API listed chat media")
	}
	// An outsider cannot upload into the chat.
	if r := upload(t, base, p.cy, p.conv, "x-1", "a.png", pngBytes(t, 20, 20)); r.Status != http.StatusNotFound {
		t.Fatalf("outsider upload: %+v", r)
	}
}

// pngHeader is the start of a PNG claiming the given size (no pixel data).
func pngHeader(t testing.TB, w, h int) []byte {
	full := pngBytes(t, 16, 16)
	// The IHDR chunk's width and height sit at bytes 16–23, its CRC (over
	// bytes 12–28) at 29–32.
	b := append([]byte(nil), full...)
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// TestSearchByKind: pictures, files (by name, 2-character Chinese too) and
// links, each only from chats the searcher is in.
func TestSearchByKind(t *testing.T) {
	p := newPair(t)
	base := serve(t, p)
	upload(t, base, p.ann, p.conv, "i1", "beach.png", pngBytes(t, 32, 32))
	upload(t, base, p.ann, p.conv, "f1", "会议纪要.txt", []byte("minutes of the meeting"))
	upload(t, base, p.bo, p.conv, "f2", "budget-2026.txt", []byte("numbers"))
	for i, text := range []string{"see https://example.org/trail for the map", "no link here", "http://old.example 会议"} {
		if _, err := p.svc.Send(p.ann.Id, p.conv, chat.SendInput{ClientID: fmt.Sprint("t", i), Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(who *core.Record, q, kind string) int {
		t.Helper()
		hits, err := chat.Search(p.app, who.Id, "", q, kind)
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	for _, c := range []struct {
		q, kind string
		want    int
	}{
		{"", chat.SearchImages, 1},
		{"", chat.SearchFiles, 2},
		{"会议", chat.SearchFiles, 1},     // two characters: the LIKE fallback
		{"budget", chat.SearchFiles, 1}, // trigram index over file names
		{"", chat.SearchLinks, 2},
		{"trail", chat.SearchLinks, 1},
		{"会议", chat.SearchText, 1}, // a file name is not a text message
		{"", chat.SearchText, 0},
	} {
		if got := count(p.bo, c.q, c.kind); got != c.want {
			t.Errorf("Bo searching %q among %q: %d, want %d", c.q, c.kind, got, c.want)
		}
		if got := count(p.cy, c.q, c.kind); got != 0 {
			t.Errorf("Cy (outsider) searching %q among %q found %d", c.q, c.kind, got)
		}
	}
	h := testapp.Handler(t, p.app)
	page := testapp.Do(h, http.MethodGet, "/chats/search?kind=image", "", map[string]string{"Cookie": testapp.SessionCookie(t, p.bo)})
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "?thumb=1") {
		t.Fatalf("images search page: %d", page.Code)
	}
}
