package oa

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"plaza/hooks/problem"
)

// Limits of an article.
const (
	TitleMax  = 64
	AuthorMax = 16
	DigestMax = 120
	BodyMax   = 20000
	ListMax   = 50 // articles one list shows
)

// ArticleInput is what an operator writes.
type ArticleInput struct {
	Title, Author, Digest, Body string
	Cover                       *filesystem.File // nil keeps the cover an edit had
	CommentsOpen                bool
}

// Article is an article as a viewer sees it. A draft (not yet published
// by a broadcast) is seen only by those who run its account.
type Article struct {
	ID           string `json:"id" db:"id"`
	Account      string `json:"account" db:"account"`
	Title        string `json:"title" db:"title"`
	Author       string `json:"author" db:"author"`
	Digest       string `json:"digest" db:"digest"`
	HTML         string `json:"html" db:"body_html"` // sanitised when saved
	Markdown     string `json:"markdown,omitempty" db:"body_md"`
	HasCover     bool   `json:"has_cover" db:"has_cover"`
	CommentsOpen bool   `json:"comments_open" db:"comments_open"`
	Reads        int    `json:"reads" db:"reads"`
	Likes        int    `json:"likes" db:"likes"`
	Wows         int    `json:"wows" db:"wows"`
	PublishedAt  string `json:"published_at" db:"published_at"` // "" for a draft
	Liked        bool   `json:"liked" db:"liked"`
	Wowed        bool   `json:"wowed" db:"wowed"`
	Operator     bool   `json:"operator" db:"-"` // the viewer runs its account
}

func checkArticle(in *ArticleInput) error {
	in.Title, in.Author, in.Digest = strings.TrimSpace(in.Title), strings.TrimSpace(in.Author), strings.TrimSpace(in.Digest)
	p := &problem.Problem{Status: http.StatusBadRequest}
	if in.Title == "" {
		p.Add("title", "validation_required", nil)
	}
	tooLong(p, "title", in.Title, TitleMax)
	tooLong(p, "author", in.Author, AuthorMax)
	tooLong(p, "digest", in.Digest, DigestMax)
	tooLong(p, "body", in.Body, BodyMax)
	return p.OrNil()
}

// WriteArticle saves a draft on accountID, for one who runs it; a
// broadcast publishes it.
func (s *Service) WriteArticle(memberID, accountID string, in ArticleInput) (Article, error) {
	if _, err := s.console(memberID, accountID); err != nil {
		return Article{}, err
	}
	col, err := s.app.FindCachedCollectionByNameOrId("oa_articles")
	if err != nil {
		return Article{}, fmt.Errorf("oa_articles collection: %w", err)
	}
	rec := core.NewRecord(col)
	rec.Set("account", accountID)
	if err := s.fillArticle(rec, accountID, in); err != nil {
		return Article{}, err
	}
	if err := s.app.Save(rec); err != nil {
		return Article{}, fmt.Errorf("save article: %w", err)
	}
	return s.Article(memberID, rec.Id)
}

// fillArticle checks in and sets it on rec, the body rendered and
// sanitised.
func (s *Service) fillArticle(rec *core.Record, accountID string, in ArticleInput) error {
	if err := checkArticle(&in); err != nil {
		return err
	}
	html, err := Render(in.Body, accountID)
	if err != nil {
		return err
	}
	cover, err := cleanImage(in.Cover, "cover")
	if err != nil {
		return err
	}
	rec.Load(map[string]any{"title": in.Title, "author": in.Author, "digest": in.Digest, "body_md": in.Body,
		"body_html": html, "comments_open": in.CommentsOpen})
	if cover != nil {
		rec.Set("cover", cover)
	}
	return nil
}

// EditArticle changes an article, for one who runs its account.
func (s *Service) EditArticle(memberID, articleID string, in ArticleInput) (Article, error) {
	rec, err := s.articleRecord(memberID, articleID)
	if err != nil {
		return Article{}, err
	}
	if err := s.fillArticle(rec, rec.GetString("account"), in); err != nil {
		return Article{}, err
	}
	if err := s.app.Save(rec); err != nil {
		return Article{}, fmt.Errorf("save article: %w", err)
	}
	return s.Article(memberID, articleID)
}

// DeleteArticle removes an article (its reads, reactions, comments and
// broadcasts go with it), for one who runs its account.
func (s *Service) DeleteArticle(memberID, articleID string) error {
	rec, err := s.articleRecord(memberID, articleID)
	if err != nil {
		return err
	}
	if err := s.app.Delete(rec); err != nil {
		return fmt.Errorf("delete article: %w", err)
	}
	return nil
}

// articleRecord is the article when memberID runs its account.
func (s *Service) articleRecord(memberID, articleID string) (*core.Record, error) {
	rec, err := s.app.FindRecordById("oa_articles", articleID)
	if err != nil {
		return nil, notFound()
	}
	if _, err := s.console(memberID, rec.GetString("account")); err != nil {
		return nil, err
	}
	return rec, nil
}

const articleColumns = `r.id, r.account, r.title, r.author, r.digest, r.body_html, r.body_md, (r.cover != '') AS has_cover,
	r.comments_open, r.reads, r.likes, r.wows, r.published_at,
	EXISTS (SELECT 1 FROM oa_reactions x WHERE x.article = r.id AND x.member = {:v} AND x.kind = 'like') AS liked,
	EXISTS (SELECT 1 FROM oa_reactions x WHERE x.article = r.id AND x.member = {:v} AND x.kind = 'wow') AS wowed`

// Article is articleID as viewerID ("" signed out) sees it: anyone once
// it is published on an approved account, its account's operators before.
func (s *Service) Article(viewerID, articleID string) (Article, error) {
	var a Article
	err := s.app.DB().NewQuery(`SELECT ` + articleColumns + ` FROM oa_articles r
		JOIN oa_accounts c ON c.id = r.account AND c.status = 'approved' WHERE r.id = {:id}`).
		Bind(dbx.Params{"id": articleID, "v": viewerID}).One(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return Article{}, notFound()
	}
	if err != nil {
		return Article{}, fmt.Errorf("load article: %w", err)
	}
	if a.Operator, err = s.IsOperator(viewerID, a.Account); err != nil {
		return Article{}, err
	}
	if a.PublishedAt == "" && !a.Operator {
		return Article{}, notFound()
	}
	if !a.Operator {
		a.Markdown = ""
	}
	return a, nil
}

// Articles are accountID's published articles, newest first, without
// bodies; those who run it see its drafts too.
func (s *Service) Articles(viewerID, accountID string) ([]Article, error) {
	acct, err := s.AccountByID(viewerID, accountID)
	if err != nil || acct.Status != StatusApproved {
		return nil, notFound()
	}
	where := `r.account = {:a} AND r.published_at > ''`
	if acct.Operator {
		where = `r.account = {:a}`
	}
	var out []Article
	err = s.app.DB().NewQuery(`SELECT ` + articleColumns + ` FROM oa_articles r WHERE ` + where +
		` ORDER BY r.published_at = '' DESC, r.published_at DESC, r.created DESC LIMIT {:n}`).
		Bind(dbx.Params{"a": accountID, "v": viewerID, "n": ListMax}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	for i := range out {
		out[i].HTML, out[i].Markdown, out[i].Operator = "", "", acct.Operator
	}
	return out, nil
}
