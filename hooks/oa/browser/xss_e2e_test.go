package browser_test

import (
	"context"
	"io"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/net/html"

	"plaza/hooks/accounts"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
	"plaza/hooks/oa"
)

// TestBrowserXSSCorpus is issue 14's XSS acceptance for the pages: every
// vector of hooks/oa/testdata/xss.txt goes into article titles, digests
// and bodies (each alone, and all in one body), comments the operator
// shows and the operator's replies under them, menu labels and keywords,
// and account descriptions. Chromium loads the profiles, the articles, the
// console and the moderation page with alert, confirm and prompt replaced
// by a tripwire: nothing runs, no CSP violation is reported, and the DOM
// holds no script of its own, no event handler, no javascript:/data:/
// vbscript: address; every page's HTML, parsed, is neutralised the same
// way. (Auto-reply texts appear in chats: the conversations' browser test
// puts the corpus there.)
func TestBrowserXSSCorpus(t *testing.T) {
	t.Parallel()
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	vectors := corpus(t)
	w := seedCorpus(t, srv, vectors)

	paths := []string{"/oa/xss0", "/oa/xss1", "/oa/xss2", w.big}
	for i, id := range w.articles {
		if i%15 == 0 {
			paths = append(paths, id)
		}
	}
	visitor := b.NewPage(t)
	reader := b.NewPage(t)
	srv.SignIn(reader, "reader", testapp.DefaultPassword)
	owner := b.NewPage(t)
	srv.SignIn(owner, "owner0", testapp.DefaultPassword)
	for _, p := range []*e2e.Page{visitor, reader, owner} {
		tripwire(t, p)
	}
	for _, path := range paths {
		loadClean(t, visitor, srv.URL+path)
	}
	loadClean(t, reader, srv.URL+w.big)
	var shown int
	reader.Eval(`document.querySelectorAll("[data-testid=oa-comment-reply]").length`, &shown)
	if shown != len(vectors) {
		t.Errorf("the reader sees %d comments with their replies, want %d", shown, len(vectors))
	}
	loadClean(t, reader, srv.URL+"/oa/xss0")
	loadClean(t, owner, srv.URL+"/oa/xss0/console")
	loadClean(t, owner, srv.URL+w.moderation)

	// Every page's HTML, as served to a visitor, is neutralised.
	all := append([]string{"/oa/xss0", "/oa/xss1", "/oa/xss2", w.big}, w.articles...)
	for _, path := range all {
		neutralised(t, path, fetch(t, srv.URL+path, ""))
	}
	cookie := ownerCookie(t, srv)
	neutralised(t, "console", fetch(t, srv.URL+"/oa/xss0/console", cookie))
	neutralised(t, "moderation", fetch(t, srv.URL+w.moderation, cookie))
}

// corpus is the XSS corpus, one vector a line.
func corpus(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "xss.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range strings.Split(string(raw), "\n") {
		if v = strings.TrimSpace(v); v != "" && !strings.ContainsRune(v, 0) {
			out = append(out, v)
		}
	}
	if len(out) < 100 {
		t.Fatalf("the corpus has %d vectors, want at least 100", len(out))
	}
	return out
}

// corpusWorld is where the corpus went: its articles' pages, the one
// holding every vector with its comments, and that article's moderation.
type corpusWorld struct {
	articles   []string
	big        string
	moderation string
}

// seedCorpus puts the vectors through three accounts (so each profile
// lists its articles whole), published as a broadcast would.
func seedCorpus(t *testing.T, srv *e2e.Server, vectors []string) corpusWorld {
	t.Helper()
	svc := testapp.Services(t, srv.App).OA
	reader := srv.Member(t, "reader")
	var w corpusWorld
	per := (len(vectors) + 2) / 3
	accts := make([]oa.Account, 3)
	owners := make([]*core.Record, 3)
	for k := range accts {
		owners[k] = srv.Member(t, "owner"+string(rune('0'+k)))
		handle := "xss" + string(rune('0'+k))
		a, err := svc.Apply(owners[k].Id, oa.ApplyInput{Handle: handle, Name: clip(vectors[k], oa.NameMax),
			Description: clip(vectors[k+3], oa.DescriptionMax), Category: "news", Kind: oa.KindSubscription})
		if err != nil {
			t.Fatal(err)
		}
		setField(t, srv.App, "oa_accounts", a.ID, "status", oa.StatusApproved)
		accts[k] = a
	}
	for i, v := range vectors {
		k := i / per
		art, err := svc.WriteArticle(owners[k].Id, accts[k].ID, oa.ArticleInput{Title: clip(v, oa.TitleMax), Author: clip(v, oa.AuthorMax),
			Digest: clip(v, oa.DigestMax), Body: v})
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		publish(t, srv.App, art.ID)
		w.articles = append(w.articles, oa.ArticlePath(accts[k].Handle, art.ID))
	}
	big, err := svc.WriteArticle(owners[0].Id, accts[0].ID, oa.ArticleInput{Title: "Everything", CommentsOpen: true,
		Body: strings.Join(vectors, "\n\n")})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, srv.App, big.ID)
	w.big = oa.ArticlePath("xss0", big.ID)
	w.moderation = "/oa/xss0/console/a/" + big.ID + "/comments"
	for _, v := range vectors {
		c, err := svc.Comment(reader.Id, big.ID, clip(v, oa.TextMax))
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.ShowComment(owners[0].Id, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := svc.ReplyComment(owners[0].Id, c.ID, clip(v, oa.TextMax)); err != nil {
			t.Fatal(err)
		}
	}
	var menu oa.Menu
	for b := range oa.MenuButtonsMax {
		btn := oa.Button{Label: clip(vectors[b], oa.MenuLabelMax)}
		for i := range oa.MenuItemsMax {
			v := vectors[10+b*oa.MenuItemsMax+i]
			btn.Items = append(btn.Items, oa.Item{Label: clip(v, oa.MenuLabelMax), Action: oa.ActionKeyword, Value: clip(v, oa.MenuKeywordMax)})
		}
		menu = append(menu, btn)
	}
	if err := svc.SetMenu(owners[0].Id, accts[0].ID, menu); err != nil {
		t.Fatal(err)
	}
	return w
}

// clip cuts s to n characters.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n]))
	}
	return s
}

// publish marks an article published, as a broadcast does (the corpus
// would be over any day's quota).
func publish(t *testing.T, app core.App, id string) {
	t.Helper()
	setField(t, app, "oa_articles", id, "published_at", types.NowDateTime().String())
}

func setField(t *testing.T, app core.App, collection, id, field string, value any) {
	t.Helper()
	rec, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Set(field, value)
	if err := app.Save(rec); err != nil {
		t.Fatal(err)
	}
}

// tripwire replaces alert, confirm and prompt in every document p loads.
func tripwire(t *testing.T, p *e2e.Page) {
	t.Helper()
	const trip = `for (const f of ["alert", "confirm", "prompt", "print"]) window[f] = () => { window.__xss = (window.__xss || 0) + 1; };`
	ctx, cancel := context.WithTimeout(p.Ctx(), 10*time.Second)
	defer cancel()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: trip}); err != nil {
		t.Fatal(err)
	}
}

// loadClean loads url in p, lets it settle, and checks that nothing ran
// and nothing dangerous is in the DOM.
func loadClean(t *testing.T, p *e2e.Page, url string) {
	t.Helper()
	p.Navigate(url)
	p.WaitVisible("main")
	time.Sleep(150 * time.Millisecond) // an onload or a meta refresh would have fired
	var got struct {
		Ran    int
		Unsafe []string
		URL    string
	}
	p.Eval(`(() => {
		const unsafe = [];
		for (const el of document.querySelectorAll("*")) {
			for (const a of el.attributes) {
				if (/^on/i.test(a.name)) unsafe.push(el.tagName + " " + a.name);
				if (/^(href|src|action|formaction|srcset|poster|data|xlink:href|background)$/i.test(a.name) &&
					/^[\s\u0000-\u001f]*(javascript|data|vbscript)\s*:/i.test(a.value.replace(/[\s\u0000-\u001f]/g, ""))) unsafe.push(el.tagName + " " + a.name + "=" + a.value);
			}
			if (el.tagName === "SCRIPT" && (!el.src || new URL(el.src).origin !== location.origin || el.textContent.trim() !== "")) unsafe.push("SCRIPT " + el.outerHTML.slice(0, 80));
			if (/^(IFRAME|FRAME|OBJECT|EMBED|BASE|APPLET)$/.test(el.tagName)) unsafe.push(el.tagName);
			if (el.tagName === "META" && el.httpEquiv) unsafe.push("META " + el.httpEquiv);
		}
		for (const box of document.querySelectorAll("[data-testid=oa-article-body], [data-testid=oa-comment-list], [data-testid=oa-menu], [data-testid=oa-articles], [data-testid=oa-moderation-list], [data-testid=oa-console-articles]")) {
			for (const el of box.querySelectorAll("svg, math, form, style, link, input, textarea, button, video, audio")) {
				if (!el.closest("[data-testid=oa-moderation-list] form, [data-testid=oa-verified], svg[aria-hidden=true]")) unsafe.push("in content: " + el.tagName);
			}
		}
		return {ran: window.__xss || 0, unsafe, url: location.pathname};
	})()`, &got)
	want, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	if got.Ran > 0 || len(got.Unsafe) > 0 || got.URL != want.Path { // a redirect (meta refresh, location=) would show
		t.Errorf("%s: ran %d times, unsafe %q, now at %s", url, got.Ran, got.Unsafe, got.URL)
	}
	for _, prob := range p.TakeProblems() {
		if strings.Contains(prob, "Security Policy") || strings.Contains(prob, "Refused") || strings.Contains(prob, "failed to load") {
			t.Errorf("%s: %s", url, prob)
		}
	}
}

// fetch GETs url (with a session cookie, or none) and returns the body.
func fetch(t *testing.T, url, cookie string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	return string(body)
}

func ownerCookie(t *testing.T, srv *e2e.Server) string {
	t.Helper()
	rec, err := accounts.FindByPlazaID(srv.App, "owner0")
	if err != nil {
		t.Fatal(err)
	}
	return testapp.SessionCookie(t, rec)
}

var badScheme = regexp.MustCompile(`(?i)^(javascript|data|vbscript):`)

// neutralised parses a page and checks it holds nothing that runs: no
// script but our own files, no event handler, no dangerous address, no
// frame, object, embed, base or meta refresh.
func neutralised(t *testing.T, what, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "iframe", "frame", "frameset", "object", "embed", "base", "applet":
				t.Errorf("%s: a <%s>", what, n.Data)
			case "script":
				if src := attr(n, "src"); !strings.HasPrefix(src, "/") || strings.HasPrefix(src, "//") || n.FirstChild != nil {
					t.Errorf("%s: a script %q", what, src)
				}
			case "meta":
				if attr(n, "http-equiv") != "" {
					t.Errorf("%s: a meta http-equiv", what)
				}
			}
			for _, a := range n.Attr {
				clean := strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val)
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s>", what, n.Data, a.Key)
				}
				switch a.Key {
				case "href", "src", "action", "formaction", "srcset", "poster", "xlink:href", "background":
					if badScheme.MatchString(clean) {
						t.Errorf("%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
