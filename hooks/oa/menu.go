package oa

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"

	"plaza/hooks/problem"
)

// Limits of a custom menu.
const (
	MenuButtonsMax  = 3
	MenuItemsMax    = 5
	MenuLabelMax    = 16 // characters of a button's or an item's label
	MenuKeywordMax  = 60
	MenuURLMax      = 500
	menuProgramsMax = 40
)

// Kinds of a menu entry's action.
const (
	ActionLink        = "link"        // opens Value, an http(s) address
	ActionKeyword     = "keyword"     // sends Value as the follower's message
	ActionMiniProgram = "miniprogram" // opens the mini program Value
)

var programPattern = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)

// Menu is an account's custom menu: up to MenuButtonsMax buttons.
type Menu []Button

// Button is a menu's top-level button: either an action of its own or up
// to MenuItemsMax items (and then no action).
type Button struct {
	Label  string `json:"label"`
	Action string `json:"action,omitempty"`
	Value  string `json:"value,omitempty"`
	Items  []Item `json:"items,omitempty"`
}

// Item is one entry under a button.
type Item struct {
	Label  string `json:"label"`
	Action string `json:"action"`
	Value  string `json:"value"`
}

// parseMenu reads a stored menu (an unreadable one is no menu).
func parseMenu(raw string) Menu {
	var m Menu
	if json.Unmarshal([]byte(raw), &m) != nil || m == nil {
		return Menu{}
	}
	return m
}

// Validate checks the menu's shape, labels and actions, naming each
// faulty entry's place (menu.0, menu.1.items.2…).
func (m Menu) Validate() error {
	p := &problem.Problem{Status: http.StatusBadRequest}
	if len(m) > MenuButtonsMax {
		p.Add("menu", "oa.menu_too_many_buttons", map[string]any{"max": MenuButtonsMax})
	}
	for i, b := range m {
		at := fmt.Sprintf("menu.%d", i)
		checkLabel(p, at, b.Label)
		switch {
		case len(b.Items) > MenuItemsMax:
			p.Add(at, "oa.menu_too_many_items", map[string]any{"max": MenuItemsMax})
		case len(b.Items) > 0 && (b.Action != "" || b.Value != ""):
			p.Add(at, "oa.menu_button_items_or_action", nil)
		case len(b.Items) == 0:
			checkAction(p, at, b.Action, b.Value)
		}
		for j, it := range b.Items {
			at := fmt.Sprintf("menu.%d.items.%d", i, j)
			checkLabel(p, at, it.Label)
			checkAction(p, at, it.Action, it.Value)
		}
	}
	return p.OrNil()
}

func checkLabel(p *problem.Problem, at, label string) {
	n := utf8.RuneCountInString(label)
	if strings.TrimSpace(label) == "" || n > MenuLabelMax || problem.HasNUL(label) || !utf8.ValidString(label) {
		p.Add(at, "oa.menu_bad_label", map[string]any{"max": MenuLabelMax})
	}
}

func checkAction(p *problem.Problem, at, action, value string) {
	ok := false
	switch action {
	case ActionLink:
		ok = isWebURL(value) && len(value) <= MenuURLMax
	case ActionKeyword:
		ok = strings.TrimSpace(value) != "" && utf8.RuneCountInString(value) <= MenuKeywordMax && !problem.HasNUL(value)
	case ActionMiniProgram:
		ok = programPattern.MatchString(value) && len(value) <= menuProgramsMax
	}
	if !ok {
		p.Add(at, "oa.menu_bad_action", nil)
	}
}

// isWebURL reports whether v is an absolute http or https address.
func isWebURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		!strings.ContainsAny(v, " \t\r\n\x00")
}

// SetMenu replaces the account's menu, for one who runs it.
func (s *Service) SetMenu(memberID, accountID string, m Menu) error {
	if _, err := s.console(memberID, accountID); err != nil {
		return err
	}
	if m == nil {
		m = Menu{}
	}
	if err := m.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode menu: %w", err)
	}
	_, err = s.app.DB().NewQuery(`UPDATE oa_accounts SET menu = {:m}, updated = {:at} WHERE id = {:a}`).
		Bind(dbx.Params{"m": string(raw), "at": s.stamp(), "a": accountID}).Execute()
	if err != nil {
		return fmt.Errorf("save menu: %w", err)
	}
	return nil
}
