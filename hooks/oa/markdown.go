package oa

import (
	"bytes"
	"fmt"
	"regexp"

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

var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(relTransformer{}, 100))),
)

// relTransformer marks every link and autolink rel="nofollow noopener".
type relTransformer struct{}

// Transform implements parser.ASTTransformer.
func (relTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Link, *ast.AutoLink:
			n.SetAttributeString("rel", []byte(linkRel))
		}
		return ast.WalkContinue, nil
	})
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
	if err := markdown.Convert([]byte(md), &buf); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return Sanitize(buf.String(), accountID), nil
}

// Sanitize applies accountID's article allow-list to html.
func Sanitize(html, accountID string) string {
	return policy(accountID).Sanitize(html)
}
