package oa

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"plaza/hooks/accounts"
	"plaza/hooks/problem"
)

// console is the approved account accountID when memberID runs it (its
// owner or an operator); anyone else gets oa.not_found.
func (s *Service) console(memberID, accountID string) (accountRow, error) {
	return consoleIn(s.app, memberID, accountID)
}

// consoleIn is console on db (a transaction's app, or the app).
func consoleIn(app core.App, memberID, accountID string) (accountRow, error) {
	var row accountRow
	if memberID == "" {
		return row, notFound()
	}
	err := app.DB().NewQuery(`SELECT ` + accountColumns + ` FROM oa_accounts a
		WHERE a.id = {:a} AND a.status = 'approved'
		  AND (a.owner = {:m} OR EXISTS (SELECT 1 FROM oa_operators o WHERE o.account = a.id AND o.member = {:m}))`).
		Bind(dbx.Params{"a": accountID, "m": memberID}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return row, notFound()
	}
	if err != nil {
		return row, fmt.Errorf("load console: %w", err)
	}
	return row, nil
}

// owned is the approved account accountID when ownerID owns it.
func (s *Service) owned(ownerID, accountID string) (accountRow, error) {
	row, err := s.console(ownerID, accountID)
	if err != nil {
		return row, err
	}
	if row.Owner != ownerID {
		return accountRow{}, notFound()
	}
	return row, nil
}

// IsOperator reports whether memberID runs the approved account accountID
// (its owner counts).
func (s *Service) IsOperator(memberID, accountID string) (bool, error) {
	_, err := s.console(memberID, accountID)
	if p, ok := problem.As(err); ok && p.Status == http.StatusNotFound {
		return false, nil
	}
	return err == nil, err
}

// Operator is one of an account's operators.
type Operator struct {
	Member string `json:"member"`
	Owner  bool   `json:"owner"`
}

// AddOperator lets memberID run the account; only its owner may.
func (s *Service) AddOperator(ownerID, accountID, memberID string) error {
	memberID = strings.TrimSpace(memberID)
	if _, err := s.owned(ownerID, accountID); err != nil {
		return err
	}
	if memberID == "" || memberID == ownerID {
		return problem.Invalid("member", "oa.bad_operator", nil)
	}
	found, err := accounts.Members(s.app, []string{memberID})
	if err != nil {
		return err
	}
	if found[memberID] == nil {
		return problem.Invalid("member", "oa.bad_operator", nil)
	}
	_, err = s.app.DB().NewQuery(`INSERT INTO oa_operators (id, account, member, created) VALUES ({:id}, {:a}, {:m}, {:at})
		ON CONFLICT (account, member) DO NOTHING`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "a": accountID, "m": memberID, "at": s.stamp()}).Execute()
	if err != nil {
		return fmt.Errorf("add operator: %w", err)
	}
	return nil
}

// RemoveOperator stops memberID running the account; only its owner may.
func (s *Service) RemoveOperator(ownerID, accountID, memberID string) error {
	if _, err := s.owned(ownerID, accountID); err != nil {
		return err
	}
	_, err := s.app.DB().NewQuery(`DELETE FROM oa_operators WHERE account = {:a} AND member = {:m}`).
		Bind(dbx.Params{"a": accountID, "m": memberID}).Execute()
	if err != nil {
		return fmt.Errorf("remove operator: %w", err)
	}
	return nil
}

// Operators are the account's owner then its operators, for one who runs
// it.
func (s *Service) Operators(memberID, accountID string) ([]Operator, error) {
	row, err := s.console(memberID, accountID)
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := s.app.DB().NewQuery(`SELECT member FROM oa_operators WHERE account = {:a} ORDER BY created`).
		Bind(dbx.Params{"a": accountID}).Column(&ids); err != nil {
		return nil, fmt.Errorf("list operators: %w", err)
	}
	out := []Operator{{Member: row.Owner, Owner: true}}
	for _, id := range ids {
		out = append(out, Operator{Member: id})
	}
	return out, nil
}
