package crawl_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"plaza/hooks/demo"
	"plaza/hooks/internal/e2e"
	"plaza/hooks/internal/testapp"
)

// TestCrawl signs in to the demo community as a group owner (alice_w owns
// "Weekend riders"), a plain member (carol_z) and a stranger (a new member
// with no friends and no chats). Each submits, in the browser, every
// settings form of every chat (pin, mute, alias, announcement, group name,
// invite approval, mark unread, clear, hide) and of every friend (remark,
// tags, star and permissions), then privacy, language and theme, each field
// with both values; then visits every page reachable by links from the four
// tabs (GET only, never sign-out). Nowhere may an answer be a 5xx, a link
// lead to a 4xx, or the console show an error or an exception.
func TestCrawl(t *testing.T) {
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

	for _, who := range []struct{ role, plazaID string }{{"owner", "alice_w"}, {"member", "carol_z"}, {"stranger", "stranger_kim"}} {
		t.Run(who.role, func(t *testing.T) {
			t.Parallel()
			// The links, by several tabs of the member sharing one queue;
			// the first tab submits every settings form before it joins
			// (the others crawl meanwhile: forms change settings, never
			// what exists).
			q := newQueue("/chats", "/contacts", "/discover", "/me")
			began := time.Now()
			t.Cleanup(func() {
				t.Logf("%s: %d pages visited and %d other links fetched in %s", who.plazaID, q.pages, q.fetched, time.Since(began).Round(time.Millisecond))
				if who.role != "stranger" && q.pages < 20 {
					t.Errorf("%s reached only %d pages: the crawl is broken", who.plazaID, q.pages)
				}
			})
			for i := range crawlTabs {
				t.Run(fmt.Sprint("links-", i), func(t *testing.T) {
					t.Parallel()
					w := &crawler{t: t, p: b.NewPage(t), base: srv.URL}
					srv.SignIn(w.p, who.plazaID, passwords[who.plazaID])
					w.check("signing in")
					if i == 0 {
						formsBegan := time.Now()
						forms := w.settingsForms()
						t.Logf("%s: %d settings submits in %s", who.plazaID, forms, time.Since(formsBegan).Round(time.Millisecond))
					}
					w.crawl(q)
				})
			}
		})
	}
}

// crawlTabs is how many tabs of each member crawl the links at once.
const crawlTabs = 3

// queue is the breadth-first crawl's shared list of pages to visit.
type queue struct {
	mu       sync.Mutex
	waiting  []string
	seen     map[string]bool
	inflight int
	pages    int
	fetched  int
	shapes   map[string]int // pages per shape, see shapeSeen
}

func newQueue(start ...string) *queue {
	q := &queue{waiting: start, seen: map[string]bool{}}
	for _, s := range start {
		q.seen[s] = true
	}
	return q
}

// next returns the next page to visit, waiting while other tabs may still
// add some; false when the crawl is over.
func (q *queue) next() (string, bool) {
	for {
		q.mu.Lock()
		if len(q.waiting) > 0 && q.pages < maxPages {
			path := q.waiting[0]
			q.waiting = q.waiting[1:]
			q.inflight++
			q.pages++
			q.mu.Unlock()
			return path, true
		}
		if q.inflight == 0 || q.pages >= maxPages {
			q.mu.Unlock()
			return "", false
		}
		q.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
}

// browserPerShape is how many pages of one shape (the path with its ids
// taken out) each member renders in the browser; the rest are fetched.
const browserPerShape = 1

// idSegment matches a path segment that names a record (PocketBase ids
// are 15 lower-case letters and digits) or a number.
var idSegment = regexp.MustCompile(`^([a-z0-9]{15}|[0-9]+)$`)

// shapeSeen counts a page of path's shape and returns how many have been
// counted so far, this one included.
func (q *queue) shapeSeen(path string) int {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if idSegment.MatchString(p) {
			parts[i] = "{id}"
		}
	}
	shape := strings.Join(parts, "/")
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shapes == nil {
		q.shapes = map[string]int{}
	}
	q.shapes[shape]++
	return q.shapes[shape]
}

// add marks a link seen and reports whether it is new.
func (q *queue) add(target string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.seen[target] {
		return false
	}
	q.seen[target] = true
	return true
}

func (q *queue) push(path string) {
	q.mu.Lock()
	q.waiting = append(q.waiting, path)
	q.mu.Unlock()
}

func (q *queue) done() {
	q.mu.Lock()
	q.inflight--
	q.mu.Unlock()
}

// maxPages bounds the crawl of one member.
const maxPages = 600

type crawler struct {
	t    *testing.T
	p    *e2e.Page
	base string
}

// check fails the test for anything that went wrong in the page since the
// last check: console errors and exceptions, 5xx answers, failed loads,
// and a document that answered 4xx or 5xx.
func (c *crawler) check(where string) {
	c.t.Helper()
	for _, p := range c.p.TakeProblems() {
		c.t.Errorf("%s: %s", where, p)
	}
	var status int
	c.p.Eval(`performance.getEntriesByType("navigation")[0]?.responseStatus ?? 0`, &status)
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
				if status >= 400 {
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
				if status >= 400 {
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
