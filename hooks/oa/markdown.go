package oa

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// An article's body is Markdown, rendered by goldmark (raw HTML is never
// passed through: goldmark drops it) and then sanitised by bluemonday
// against an allow-list (docs/OFFICIAL_ACCOUNTS.md, "Article HTML"):
// text structure, tables, code, links to http, https and mailto with
// rel="nofollow noopener", and images only from the account's own uploads,
// MediaPath(account, id). Everything else is dropped.

// MediaPrefix starts the address of an account's uploaded image:
// /oa/media/<account id>/<media id>.
const MediaPrefix = "/oa/media/"

// MediaPath is the address of an account's uploaded image.
func MediaPath(accountID, mediaID string) string { return MediaPrefix + accountID + "/" + mediaID }

// linkRel is every article link's rel.
const linkRel = "nofollow noopener"

// converter is the Markdown converter for accountID's articles.
func converter(accountID string) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(articleTransformer{accountID}, 100))),
	)
}

// articleTransformer marks every safe link and autolink rel="nofollow
// noopener" (an unsafe one is left bare, so the sanitiser drops it), and
// unwraps images that are not the account's own into their alt text.
type articleTransformer struct{ account string }

// Transform implements parser.ASTTransformer.
func (t articleTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var foreign []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if linkPattern.Match(n.Destination) {
				n.SetAttributeString("rel", []byte(linkRel))
			}
		case *ast.AutoLink:
			if linkPattern.Match(n.URL(reader.Source())) {
				n.SetAttributeString("rel", []byte(linkRel))
			}
		case *ast.Image:
			if !t.ownImage(string(n.Destination)) {
				foreign = append(foreign, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range foreign {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; c = n.FirstChild() {
			parent.InsertBefore(parent, n, c)
		}
		parent.RemoveChild(parent, n)
	}
}

// ownImage reports whether src is one of the account's uploads.
func (t articleTransformer) ownImage(src string) bool {
	id, ok := strings.CutPrefix(src, MediaPrefix+t.account+"/")
	return ok && accountPattern.MatchString(t.account) && accountPattern.MatchString(id)
}

var (
	idPattern      = `[a-z0-9]{15}`
	accountPattern = regexp.MustCompile(`^` + idPattern + `$`)
)

// policy is the allow-list for accountID's articles.
func policy(accountID string) *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs() // parseable; http, https, mailto or relative; rel="nofollow"
	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "em", "strong",
		"del", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("href").Matching(linkPattern).OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	p.AllowAttrs("title").Matching(bluemonday.Paragraph).OnElements("a", "img")
	p.AllowAttrs("alt").Matching(bluemonday.Paragraph).OnElements("img")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[A-Za-z0-9_+-]{1,30}$`)).OnElements("code")
	if accountPattern.MatchString(accountID) {
		p.AllowAttrs("src").Matching(regexp.MustCompile(`^` + regexp.QuoteMeta(MediaPrefix+accountID+"/") + idPattern + `$`)).OnElements("img")
	}
	return p
}

// linkPattern admits an absolute http(s) or mailto address, a path on
// this site, or a fragment; never a scheme-relative //host address.
var linkPattern = regexp.MustCompile(`^(?:(?i:https?://|mailto:)[^\s]*|/(?:[^/\\\s][^\s]*)?|#[^\s]*)$`)

// Render turns Markdown into the sanitised HTML accountID's article shows.
func Render(md, accountID string) (string, error) {
	var buf bytes.Buffer
	if err := converter(accountID).Convert([]byte(md), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return Sanitize(buf.String(), accountID), nil
}

// Sanitize applies accountID's article allow-list to html.
func Sanitize(html, accountID string) string {
	return policy(accountID).Sanitize(html)
}
