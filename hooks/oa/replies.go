package oa

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/problem"
)

// Matches of an auto-reply's keyword.
const (
	MatchExact    = "exact"    // the whole message, ignoring case and surrounding space
	MatchContains = "contains" // anywhere in the message, ignoring case
)

// KeywordMax is the longest auto-reply keyword.
const KeywordMax = 60

// AutoReplyRule is one keyword auto-reply.
type AutoReplyRule struct {
	ID      string `json:"id" db:"id"`
	Keyword string `json:"keyword" db:"keyword"`
	Match   string `json:"match" db:"match_type"`
	Reply   string `json:"reply" db:"reply"`
}

// SetAutoReply adds (or replaces, for the same keyword and match) a
// keyword auto-reply, for one who runs the account.
func (s *Service) SetAutoReply(memberID, accountID string, r AutoReplyRule) (AutoReplyRule, error) {
	r.Keyword, r.Reply = strings.TrimSpace(r.Keyword), strings.TrimSpace(r.Reply)
	p := &problem.Problem{Status: http.StatusBadRequest}
	if r.Keyword == "" {
		p.Add("keyword", "validation_required", nil)
	}
	if r.Reply == "" {
		p.Add("reply", "validation_required", nil)
	}
	if r.Match != MatchExact && r.Match != MatchContains {
		p.Add("match", "oa.bad_match", nil)
	}
	tooLong(p, "keyword", r.Keyword, KeywordMax)
	tooLong(p, "reply", r.Reply, TextMax)
	if err := p.OrNil(); err != nil {
		return AutoReplyRule{}, err
	}
	if _, err := s.console(memberID, accountID); err != nil {
		return AutoReplyRule{}, err
	}
	r.ID = core.GenerateDefaultRandomId()
	err := s.app.DB().NewQuery(`INSERT INTO oa_autoreplies (id, account, keyword, match_type, reply, created)
		VALUES ({:id}, {:a}, {:k}, {:m}, {:r}, {:at})
		ON CONFLICT (account, keyword, match_type) DO UPDATE SET reply = excluded.reply RETURNING id`).
		Bind(dbx.Params{"id": r.ID, "a": accountID, "k": r.Keyword, "m": r.Match, "r": r.Reply, "at": s.stamp()}).Row(&r.ID)
	if err != nil {
		return AutoReplyRule{}, fmt.Errorf("save auto-reply: %w", err)
	}
	return r, nil
}

// RemoveAutoReply deletes a keyword auto-reply, for one who runs the
// account.
func (s *Service) RemoveAutoReply(memberID, accountID, ruleID string) error {
	if _, err := s.console(memberID, accountID); err != nil {
		return err
	}
	_, err := s.app.DB().NewQuery(`DELETE FROM oa_autoreplies WHERE id = {:id} AND account = {:a}`).
		Bind(dbx.Params{"id": ruleID, "a": accountID}).Execute()
	if err != nil {
		return fmt.Errorf("remove auto-reply: %w", err)
	}
	return nil
}

// AutoReplies are the account's keyword auto-replies, for one who runs
// it.
func (s *Service) AutoReplies(memberID, accountID string) ([]AutoReplyRule, error) {
	if _, err := s.console(memberID, accountID); err != nil {
		return nil, err
	}
	return s.rules(accountID)
}

func (s *Service) rules(accountID string) ([]AutoReplyRule, error) {
	var out []AutoReplyRule
	err := s.app.DB().NewQuery(`SELECT id, keyword, match_type, reply FROM oa_autoreplies WHERE account = {:a} ORDER BY created, id`).
		Bind(dbx.Params{"a": accountID}).All(&out)
	if err != nil {
		return nil, fmt.Errorf("list auto-replies: %w", err)
	}
	return out, nil
}

// AutoReply is the account's answer to a follower's text: an exact
// keyword's reply, else the reply of the longest keyword the text
// contains (the oldest rule of equal length), else the default reply;
// ok is false when there is none.
func (s *Service) AutoReply(accountID, text string) (reply string, ok bool, err error) {
	rules, err := s.rules(accountID)
	if err != nil {
		return "", false, err
	}
	msg := strings.ToLower(strings.TrimSpace(text))
	best := -1
	for i, r := range rules {
		kw := strings.ToLower(r.Keyword)
		if r.Match == MatchExact && kw == msg {
			return r.Reply, true, nil
		}
		if r.Match == MatchContains && strings.Contains(msg, kw) && (best < 0 || len(kw) > len(rules[best].Keyword)) {
			best = i
		}
	}
	if best >= 0 {
		return rules[best].Reply, true, nil
	}
	var def []string
	if err := s.app.DB().NewQuery(`SELECT default_reply FROM oa_accounts WHERE id = {:a} AND status = 'approved'`).
		Bind(dbx.Params{"a": accountID}).Column(&def); err != nil {
		return "", false, fmt.Errorf("read default reply: %w", err)
	}
	if len(def) == 0 || def[0] == "" {
		return "", false, nil
	}
	return def[0], true, nil
}

// Texts are an account's description, welcome and default reply; nil
// fields stay.
type Texts struct {
	Description, Welcome, DefaultReply *string
}

// SetTexts changes the account's description, welcome or default reply,
// for one who runs it.
func (s *Service) SetTexts(memberID, accountID string, in Texts) error {
	p := &problem.Problem{Status: http.StatusBadRequest}
	set := dbx.Params{}
	for field, v := range map[string]*string{"description": in.Description, "welcome": in.Welcome, "default_reply": in.DefaultReply} {
		if v != nil {
			set[field] = strings.TrimSpace(*v)
			tooLong(p, field, set[field].(string), textLimits[field])
		}
	}
	if err := p.OrNil(); err != nil {
		return err
	}
	if _, err := s.console(memberID, accountID); err != nil {
		return err
	}
	if len(set) == 0 {
		return nil
	}
	_, err := s.app.DB().Update("oa_accounts", set, dbx.HashExp{"id": accountID}).Execute()
	if err != nil {
		return fmt.Errorf("save texts: %w", err)
	}
	return nil
}

var textLimits = map[string]int{"description": DescriptionMax, "welcome": TextMax, "default_reply": TextMax}
