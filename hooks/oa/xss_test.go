package oa_test

// The article allow-list against a corpus of XSS vectors
// (testdata/xss.txt, one a line, shared with the browser test): every
// rendered body is parsed and each element, attribute and URL checked
// against what docs/OFFICIAL_ACCOUNTS.md allows.

import (
	"bufio"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"plaza/hooks/oa"
)

const xssAccount = "aaaaaaaaaaaaaaa"

// xssVectors are the corpus's vectors.
func xssVectors(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("testdata/xss.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// allowed are the elements and, for each, the attributes an article may
// hold.
var allowed = map[string]map[string]bool{
	"a": {"href": true, "rel": true, "title": true}, "img": {"src": true, "alt": true, "title": true},
	"ol": {"start": true}, "code": {"class": true},
	"p": {}, "br": {}, "hr": {}, "h1": {}, "h2": {}, "h3": {}, "h4": {}, "h5": {}, "h6": {}, "blockquote": {}, "pre": {},
	"em": {}, "strong": {}, "del": {}, "ul": {}, "li": {}, "table": {}, "thead": {}, "tbody": {}, "tr": {}, "th": {}, "td": {},
}

var ownImage = regexp.MustCompile(`^/oa/media/` + xssAccount + `/[a-z0-9]{15}$`)

// checkSafe fails t for anything in body outside the allow-list.
func checkSafe(t *testing.T, vector, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%q: parse: %v", vector, err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.CommentNode:
			t.Errorf("%q: a comment survived: %q", vector, body)
		case html.ElementNode:
			if n.Data != "html" && n.Data != "head" && n.Data != "body" {
				checkElement(t, vector, body, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func checkElement(t *testing.T, vector, body string, n *html.Node) {
	attrs, ok := allowed[n.Data]
	if !ok || n.Namespace != "" {
		t.Errorf("%q: element <%s> survived: %q", vector, n.Data, body)
		return
	}
	for _, a := range n.Attr {
		if !attrs[a.Key] || a.Namespace != "" {
			t.Errorf("%q: attribute %s on <%s> survived: %q", vector, a.Key, n.Data, body)
			continue
		}
		switch {
		case a.Key == "href":
			if u, err := url.Parse(a.Val); err != nil || !safeLink(u, a.Val) {
				t.Errorf("%q: link %q survived: %q", vector, a.Val, body)
			}
		case a.Key == "src" && !ownImage.MatchString(a.Val):
			t.Errorf("%q: image %q survived: %q", vector, a.Val, body)
		case a.Key == "rel" && a.Val != "nofollow noopener":
			t.Errorf("%q: rel %q: %q", vector, a.Val, body)
		}
	}
	if n.Data == "a" && attrValue(n, "href") != "" && attrValue(n, "rel") != "nofollow noopener" {
		t.Errorf("%q: a link without rel=\"nofollow noopener\": %q", vector, body)
	}
}

func safeLink(u *url.URL, raw string) bool {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	case "":
		return u.Host == "" && !strings.HasPrefix(raw, "//") && !strings.ContainsAny(raw, "\\:")
	}
	return false
}

func attrValue(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestXSSCorpusIsNeutralised(t *testing.T) {
	vectors := xssVectors(t)
	if len(vectors) < 100 {
		t.Fatalf("the corpus has %d vectors, want ≥ 100", len(vectors))
	}
	for _, v := range vectors {
		for _, md := range []string{v, "Before " + v + " after", "> " + v, "- " + v, "# " + v} {
			out, err := oa.Render(md, xssAccount)
			if err != nil {
				t.Fatalf("%q: %v", md, err)
			}
			checkSafe(t, md, out)
			if strings.Contains(strings.ToLower(out), "<script") {
				t.Errorf("%q: %q", md, out)
			}
		}
	}
	whole, err := oa.Render(strings.Join(vectors, "\n"), xssAccount)
	if err != nil {
		t.Fatal(err)
	}
	checkSafe(t, "the whole corpus", whole)
}

// TestArticleHTMLKeepsWhatIsAllowed: the allow-list is not so strict an
// article loses its own images, links, lists, tables and code.
func TestArticleHTMLKeepsWhatIsAllowed(t *testing.T) {
	own := oa.MediaPath(xssAccount, "bbbbbbbbbbbbbbb")
	md := "# Title\n\nSome *em* and **strong** ~~gone~~.\n\n![a cat](" + own + ")\n\n" +
		"[site](https://example.org/page) and https://example.org/auto and [mail](mailto:a@example.org)\n\n" +
		"1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nx := 1\n```\n"
	out, err := oa.Render(md, xssAccount)
	if err != nil {
		t.Fatal(err)
	}
	checkSafe(t, md, out)
	for _, want := range []string{`<img src="` + own + `" alt="a cat"`, `<a href="https://example.org/page" rel="nofollow noopener">site</a>`,
		`<a href="https://example.org/auto" rel="nofollow noopener">`, `<a href="mailto:a@example.org" rel="nofollow noopener">`,
		"<h1>Title</h1>", "<em>em</em>", "<del>gone</del>", "<ol>", "<table>", `<code class="language-go">`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in %s", want, out)
		}
	}
	other, _ := oa.Render("![x]("+oa.MediaPath("ccccccccccccccc", "bbbbbbbbbbbbbbb")+")", xssAccount)
	if strings.Contains(other, "<img") {
		t.Errorf("another account's image survived: %s", other)
	}
}
