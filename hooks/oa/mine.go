package oa

import (
	"fmt"

	"github.com/pocketbase/dbx"
)

// MyAccounts are the accounts memberID owns (whatever their status, with
// the reject reason) and the approved ones they operate, by name.
func (s *Service) MyAccounts(memberID string) ([]Account, error) {
	if memberID == "" {
		return nil, notFound()
	}
	var rows []accountRow
	err := s.app.DB().NewQuery(`SELECT ` + accountColumns + ` FROM oa_accounts a WHERE a.owner = {:m}
		UNION ALL
		SELECT ` + accountColumns + ` FROM oa_operators o JOIN oa_accounts a ON a.id = o.account AND a.status = 'approved'
		WHERE o.member = {:m} AND a.owner != {:m}
		ORDER BY 4`).Bind(dbx.Params{"m": memberID}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("my accounts: %w", err)
	}
	out := make([]Account, 0, len(rows))
	for _, r := range rows {
		a := r.account()
		a.Mine = r.Owner == memberID
		a.Operator = a.Mine || a.Status == StatusApproved
		if a.Mine {
			a.RejectReason = r.RejectReason
		}
		out = append(out, a)
	}
	return out, nil
}

// ConsoleTexts are the account's description, welcome and default reply,
// for one who runs it (the console's forms; SetTexts changes them).
func (s *Service) ConsoleTexts(memberID, accountID string) (TextsView, error) {
	if _, err := s.console(memberID, accountID); err != nil {
		return TextsView{}, err
	}
	var v TextsView
	err := s.app.DB().NewQuery(`SELECT description, welcome, default_reply FROM oa_accounts WHERE id = {:a}`).
		Bind(dbx.Params{"a": accountID}).One(&v)
	if err != nil {
		return TextsView{}, fmt.Errorf("read texts: %w", err)
	}
	return v, nil
}

// TextsView is an account's texts as its operators edit them.
type TextsView struct {
	Description  string `json:"description" db:"description"`
	Welcome      string `json:"welcome" db:"welcome"`
	DefaultReply string `json:"default_reply" db:"default_reply"`
}
