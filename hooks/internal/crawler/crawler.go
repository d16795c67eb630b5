// Package crawler is the crawl test's machinery (hooks/crawl and
// hooks/crawl/member): the demo community on a test server, and a member's
// tabs submitting every settings form and visiting every page reachable
// from the tabs in Chromium, asserting no 5xx answer, no broken link and no
// console error anywhere.
package crawler

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"plaza/hooks/demo"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// Community is the demo community on a test server, with every demo
// member's password and a stranger ("stranger_kim") who knows no one.
type Community struct {
	Browser   *e2e.Browser
	Server    *e2e.Server
	Passwords map[string]string
}

// NewCommunity seeds the demo community on a new test server.
func NewCommunity(t *testing.T) *Community {
	b := e2e.NewBrowser(t)
	srv := e2e.StartServer(t)
	start := time.Now()
	seeded, err := demo.Seed(srv.App, testapp.Services(t, srv.App).Demo(), demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	passwords := map[string]string{}
	for _, s := range seeded {
		passwords[s.PlazaID] = s.Password
	}
	srv.Member(t, "stranger_kim")
	passwords["stranger_kim"] = testapp.DefaultPassword
	t.Logf("demo seeded in %s", time.Since(start).Round(time.Millisecond))
	return &Community{Browser: b, Server: srv, Passwords: passwords}
}

// Crawl signs in as plazaID in several tabs: the first submits every
// settings form of every chat and friend, then privacy, language and
// theme, each field with both values, while the others (and then it too)
// visit every page reachable by links from the four tabs (GET only, never
// sign-out). Nowhere may an answer be a 5xx, a link lead to a 4xx, or the
// console show an error or an exception. stranger says the member knows
// no one (no minimum of pages).
func (c *Community) Crawl(t *testing.T, plazaID string, stranger bool) {
	q := newQueue("/chats", "/contacts", "/discover", "/me")
	began := time.Now()
	t.Cleanup(func() {
		t.Logf("%s: %d pages visited and %d other links fetched in %s", plazaID, q.pages, q.fetched, time.Since(began).Round(time.Millisecond))
		if !stranger && q.pages < 20 {
			t.Errorf("%s reached only %d pages: the crawl is broken", plazaID, q.pages)
		}
		c.recheck(t, plazaID, q)
	})
	for i := range crawlTabs {
		t.Run(fmt.Sprint("links-", i), func(t *testing.T) {
			t.Parallel()
			w := &crawler{t: t, p: c.Browser.NewPage(t), base: c.Server.URL, q: q}
			c.Server.SignIn(w.p, plazaID, c.Passwords[plazaID])
			w.check("signing in")
			if i == 0 {
				formsBegan := time.Now()
				q.forms.Store(true)
				forms := w.settingsForms()
				q.forms.Store(false)
				t.Logf("%s: %d settings submits in %s", plazaID, forms, time.Since(formsBegan).Round(time.Millisecond))
			}
			w.crawl(q)
		})
	}
}

type crawler struct {
	t    *testing.T
	p    *e2e.Page
	base string
	q    *queue // nil while signing in
}

// check fails the test for anything that went wrong in the page since the
// last check: console errors and exceptions, 5xx answers, failed loads,
// and a document that answered 4xx or 5xx.
func (c *crawler) check(where string) {
	c.t.Helper()
	var status int
	c.p.Eval(`performance.getEntriesByType("navigation")[0]?.responseStatus ?? 0`, &status)
	if strings.HasPrefix(where, "GET ") && c.deferred(where, strings.TrimPrefix(where, "GET "), status) {
		return
	}
	for _, p := range c.p.TakeProblems() {
		c.t.Errorf("%s: %s", where, p)
	}
	if status >= 400 {
		c.t.Errorf("%s: the page at %s answered %d", where, c.p.URL(), status)
	}
}

// open navigates to a path of the site and checks the page.
func (c *crawler) open(path string) {
	c.t.Helper()
	c.p.Navigate(c.base + path)
	c.check("GET " + path)
}

// on reports whether the browser shows page (the submit came back to it)
// with the form.
func (c *crawler) on(page, sel string) bool {
	u, err := url.Parse(c.p.URL())
	return err == nil && u.RequestURI() == page && c.present(sel)
}

func (c *crawler) present(sel string) bool {
	var ok bool
	c.p.Eval(fmt.Sprintf(`!!document.querySelector(%q)`, sel), &ok)
	return ok
}

func (c *crawler) strings(js string) []string {
	var out []string
	c.p.Eval(js, &out)
	return out
}

// settingsForms submits every settings form the member has, and returns
// how many submits it made.
func (c *crawler) settingsForms() int {
	n := 0
	c.open("/chats")
	chats := c.strings(`[...document.querySelectorAll("[data-testid=chat-row]")].map(a => a.dataset.conv)`)
	c.open("/contacts/groups")
	for _, id := range c.strings(`[...document.querySelectorAll("a[href^='/chats/']")].map(a => a.getAttribute("href").slice(7))`) {
		if !slices.Contains(chats, id) {
			chats = append(chats, id)
		}
	}
	for _, id := range chats {
		info := "/chats/" + id + "/info"
		for _, action := range []string{"prefs", "group", "approval"} {
			n += c.fieldsForm(info, fmt.Sprintf(`form[action="/chats/%s/%s"]`, id, action))
		}
		for _, action := range []string{"unread", "clear", "hide"} {
			n += c.buttonForm(info, fmt.Sprintf(`form[action="/chats/%s/%s"]`, id, action))
		}
		c.unhide(id)
	}
	c.open("/contacts")
	var friends []string
	for _, id := range c.strings(`[...document.querySelectorAll("[data-testid=contact-row]")].map(a => a.dataset.id)`) {
		if !slices.Contains(friends, id) {
			friends = append(friends, id)
		}
	}
	for _, id := range friends {
		n += c.fieldsForm("/u/"+id+"/edit", fmt.Sprintf(`form[action="/u/%s/edit"]`, id))
	}
	n += c.fieldsForm("/me/privacy", `form[action="/me/privacy"]`)
	n += c.fieldsForm("/me/settings", `form[action="/me/settings"]`)
	return n
}

// field is a form control as the crawler sees it.
type field struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Value   string   `json:"value"`
	Checked bool     `json:"checked"`
	Options []string `json:"options"`
}

const jsFields = `((sel) => [...document.querySelector(sel).elements]
	.filter((el) => el.name && !["hidden", "submit", "button", "file"].includes(el.type))
	.map((el) => ({name: el.name, type: el.type, value: el.value, checked: !!el.checked,
		options: el.tagName === "SELECT" ? [...el.options].map((o) => o.value) : []})))`

const jsSetFields = `((sel, values) => {
	const els = [...document.querySelector(sel).elements]
		.filter((el) => el.name && !["hidden", "submit", "button", "file"].includes(el.type));
	values.forEach((v, i) => {
		if (els[i].type === "checkbox" || els[i].type === "radio") els[i].checked = v === "1";
		else els[i].value = v;
	});
	return true;
})`

// fieldsForm submits the form on page with every field at each of its
// values: a checkbox flipped then back, a text field filled then back to
// what it held, a select at each option then back. Several rounds each
// change every field at once; it returns the number of submits.
func (c *crawler) fieldsForm(page, sel string) int {
	c.t.Helper()
	c.open(page)
	if !c.present(sel) {
		return 0 // not offered to this member (e.g. group tools to a plain member)
	}
	var fields []field
	c.p.Eval(fmt.Sprintf("%s(%q)", jsFields, sel), &fields)
	rounds := 2
	for _, f := range fields {
		rounds = max(rounds, len(f.Options)+1) // each option, then the original
	}
	for r := 0; r < rounds; r++ {
		values := make([]string, len(fields))
		last := r == rounds-1
		for i, f := range fields {
			switch {
			case f.Type == "checkbox" || f.Type == "radio":
				on := f.Checked
				if !last && r%2 == 0 {
					on = !on
				}
				values[i] = map[bool]string{true: "1", false: ""}[on]
			case len(f.Options) > 0:
				values[i] = f.Value
				if !last {
					values[i] = f.Options[r%len(f.Options)]
				}
			default:
				values[i] = f.Value
				if !last && r%2 == 0 {
					values[i] = fmt.Sprintf("Crawl %d 漫游", r)
				}
			}
		}
		if r > 0 && !c.on(page, sel) {
			c.open(page)
			if !c.present(sel) {
				c.t.Errorf("%s lost its form %s after a submit", page, sel)
				return r
			}
		}
		c.p.Eval(fmt.Sprintf("%s(%q, %s)", jsSetFields, sel, jsonList(values)), nil)
		c.submit(sel + " [type=submit]")
		c.check(fmt.Sprintf("submitting %s on %s (round %d: %q)", sel, page, r, values))
	}
	return rounds
}

// submit clicks a submit button, confirms on the confirmation sheet when
// one opens, and waits for the next page.
func (c *crawler) submit(sel string) {
	c.t.Helper()
	c.p.Eval(`window.__plazaStale = true`, nil)
	c.p.Click(sel)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(30 * time.Millisecond) {
		var state string
		c.p.Eval(`window.__plazaStale ? (document.querySelector("[data-confirm-sheet][open]") ? "sheet" : "wait") : document.readyState`, &state)
		switch state {
		case "sheet":
			c.p.Click("[data-confirm-sheet][open] [data-confirm-ok]")
		case "complete":
			return
		}
	}
	c.t.Fatalf("no new page after clicking %s", sel)
}

// buttonForm submits a form that is a single button (mark unread, clear,
// hide).
func (c *crawler) buttonForm(page, sel string) int {
	c.t.Helper()
	c.open(page)
	if !c.present(sel) {
		return 0
	}
	c.submit(sel + " [type=submit]")
	c.check(fmt.Sprintf("submitting %s on %s", sel, page))
	return 1
}

// unhide brings a hidden chat back the way a member does: by writing in it
// (read-only chats stay hidden).
func (c *crawler) unhide(id string) {
	c.t.Helper()
	c.open("/chats/" + id)
	if !c.p.Visible("[data-testid=composer]") {
		return
	}
	c.p.Fill("[data-testid=composer]", "crawl was here\n")
	c.p.WaitVisible("[data-testid=msg][data-cid][data-seq]")
	c.check("writing in /chats/" + id)
}

// crawl visits, breadth first with the other tabs, every same-origin page
// linked from the tabs and fetches every other same-origin link
// (downloads, pictures).
func (c *crawler) crawl(q *queue) {
	c.t.Helper()
	type link struct {
		Href     string `json:"href"`
		Download bool   `json:"download"`
	}
	for {
		path, ok := q.next()
		if !ok {
			break
		}
		c.open(path)
		var links []link
		c.p.Eval(`[...document.querySelectorAll("a[href]")].map((a) => ({href: a.href, download: a.hasAttribute("download")}))`, &links)
		for _, l := range links {
			u, err := url.Parse(l.Href)
			if err != nil || u.Scheme+"://"+u.Host != c.base {
				continue // another site (none expected), mailto:…
			}
			u.Fragment = ""
			target := u.RequestURI()
			if strings.HasPrefix(u.Path, "/logout") || !q.add(target) {
				continue
			}
			if q.shapeSeen(u.Path) > browserPerShape {
				// Another page of a shape already rendered twice (another
				// chat's info page, another member's card): its answer is
				// checked, without rendering it once more.
				var status int
				c.p.Eval(fmt.Sprintf(`fetch(%q).then((r) => r.status)`, target), &status)
				if status >= 400 && !c.deferred(path, target, status) {
					c.t.Errorf("%s links to %s, which answers %d", path, target, status)
				}
				q.mu.Lock()
				q.fetched++
				q.mu.Unlock()
				continue
			}
			if l.Download || u.Query().Has("download") || fetchOnly(u.Path) {
				var status int
				c.p.Eval(fmt.Sprintf(`fetch(%q).then((r) => r.status)`, target), &status)
				if status >= 400 && !c.deferred(path, target, status) {
					c.t.Errorf("%s links to %s, which answers %d", path, target, status)
				}
				q.mu.Lock()
				q.fetched++
				q.mu.Unlock()
				continue
			}
			q.push(target)
		}
		q.done()
	}
	q.mu.Lock()
	left := len(q.waiting)
	q.mu.Unlock()
	if left > 0 {
		c.t.Errorf("the crawl stopped at %d pages with %d left to visit", maxPages, left)
	}
	time.Sleep(100 * time.Millisecond) // late console messages
	c.check("the crawl's last page")
}

// fetchOnly reports a link whose answer is checked without rendering it
// in a tab: pictures, videos, downloads, Atom feeds, assets.
func fetchOnly(path string) bool {
	for _, suffix := range []string{".png", ".csv", ".atom", "/avatar"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	for _, prefix := range []string{"/media/", "/moments/media/", "/channels/media/", "/public/"} {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

func jsonList(values []string) string {
	b, err := json.Marshal(values)
	if err != nil {
		panic(err) // strings always encode
	}
	return string(b)
}
